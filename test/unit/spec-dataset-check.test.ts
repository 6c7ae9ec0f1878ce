import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closest, specDataIssues } from '../../core/pipeline-spec/dataset-check.js';
import { changedFields } from '../../core/pipeline-spec/diff.js';
import { parseSpec } from '../../core/pipeline-spec/load.js';

const columns = [
  { name: 'tenure_months', type: 'INTEGER' },
  { name: 'plan', type: 'VARCHAR' },
  { name: 'region', type: 'VARCHAR' },
  { name: 'churned', type: 'INTEGER' },
];
const spec = (over: Record<string, unknown> = {}) =>
  parseSpec({ name: 'c', model: 'c', dataset: { name: 'c', label: 'churned' }, task: 'binary', ...over });

test('a spec that fits its snapshot has no issues', () => {
  assert.deepEqual(specDataIssues(spec(), { columns, label: { distinct: 2, numeric: true } }), []);
});

test('a missing label, feature, categorical, slice, range or domain column is named with the closest columns', () => {
  const s = spec({
    dataset: {
      name: 'c',
      label: 'churnd',
      features: ['tenure', 'plan'],
      categorical: ['plan', 'regoin'].slice(0, 1),
    },
    validation: { ranges: { tenur_months: { min: 0 } }, domains: { zzz: ['a'] } },
  });
  assert.deepEqual(specDataIssues(s, { columns }), [
    {
      path: 'dataset.label',
      rule: 'column "churnd" is not in the dataset\'s snapshot: did you mean "churned"?',
    },
    {
      path: 'dataset.features.0',
      rule: 'column "tenure" is not in the dataset\'s snapshot: did you mean "tenure_months"?',
    },
    {
      path: 'validation.ranges.tenur_months',
      rule: 'column "tenur_months" is not in the dataset\'s snapshot: did you mean "tenure_months"?',
    },
    {
      path: 'validation.domains.zzz',
      rule: 'column "zzz" is not in the dataset\'s snapshot: columns are "tenure_months", "plan", "region", "churned"',
    },
  ]);
  assert.deepEqual(closest('regoin', ['plan', 'region', 'churned']), ['region', 'plan', 'churned']);
});

test('a threshold on a metric the task does not produce is refused, naming what it produces', () => {
  assert.deepEqual(specDataIssues(spec({ evaluation: { thresholds: { rmse: 1 } } }), { columns }), [
    {
      path: 'evaluation.thresholds.rmse',
      rule: 'task "binary" does not produce metric "rmse": it produces accuracy, auc, count, f1, logLoss, precision, recall',
    },
  ]);
});

test('a binary task on a label with three values says how many it has; regression needs a numeric label', () => {
  assert.deepEqual(
    specDataIssues(spec(), { columns, label: { distinct: 3, numeric: false, values: ['a', 'b', 'c'] } }),
    [
      {
        path: 'task',
        rule: '"binary" needs a label with exactly 2 distinct values; "churned" has 3 ("a", "b", "c"): use "multiclass"',
      },
    ],
  );
  const reg = parseSpec({ name: 'c', model: 'c', dataset: { name: 'c', label: 'plan' }, task: 'regression' });
  assert.deepEqual(specDataIssues(reg, { columns, label: { distinct: 3, numeric: false } }), [
    {
      path: 'task',
      rule: '"regression" needs a numeric label; "plan" is VARCHAR: use "binary" or "multiclass"',
    },
  ]);
});

test('changedFields names the dotted leaves that differ, arrays as one leaf, sorted', () => {
  assert.deepEqual(changedFields(spec(), spec()), []);
  assert.deepEqual(
    changedFields(
      spec(),
      spec({ training: { hiddenLayers: [8] }, validation: { ranges: { a: { max: 1 } } }, description: 'x' }),
    ),
    ['description', 'training.hiddenLayers', 'validation.ranges.a.max'],
  );
});
