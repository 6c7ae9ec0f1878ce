import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DatasetProfile } from '../../core/datasets/profile.js';
import { specDataIssues } from '../../core/pipeline-spec/dataset-check.js';
import { DraftLabelError, draftSpec } from '../../core/pipeline-spec/draft.js';
import { parseSpec } from '../../core/pipeline-spec/load.js';

const profile: DatasetProfile = {
  rowCount: 120,
  columns: [
    { name: 'id', type: 'VARCHAR', numeric: false, nulls: 0, distinct: 120 },
    { name: 'age', type: 'BIGINT', numeric: true, nulls: 12, distinct: 40, min: 18, max: 80 },
    { name: 'temp', type: 'DOUBLE', numeric: true, nulls: 0, distinct: 120, min: -12.5, max: 31.25 },
    {
      name: 'colour',
      type: 'VARCHAR',
      numeric: false,
      nulls: 0,
      distinct: 3,
      values: { red: 50, blue: 40, green: 30 },
    },
    {
      name: 'grade',
      type: 'VARCHAR',
      numeric: false,
      nulls: 0,
      distinct: 3,
      values: { a: 100, b: 17, c: 3 },
    },
  ],
};
const input = { dataset: 'd', snapshot: 'f'.repeat(64), profile, pipeline: 'p', model: 'm' };

test('a draft for a three-valued text label is multiclass, leaves out the identifier and eases rules to small, gappy data', () => {
  const { spec, notes } = draftSpec({ ...input, label: 'grade' });
  const parsed = parseSpec(spec);
  assert.equal(parsed.task, 'multiclass');
  assert.deepEqual(parsed.dataset.features, ['age', 'temp', 'colour']);
  assert.deepEqual(parsed.dataset.categorical, ['colour']);
  assert.deepEqual(parsed.validation.ranges, { age: { min: 11, max: 87 }, temp: { min: -17, max: 36 } });
  assert.deepEqual(parsed.validation.domains, { colour: ['blue', 'green', 'red'] });
  assert.equal(parsed.validation.minRows, 60);
  assert.equal(parsed.validation.maxNullFraction, 0.11);
  assert.equal(parsed.validation.minClassFraction, 0.012);
  assert.deepEqual(parsed.training.hiddenLayers, [16]);
  assert.ok(
    notes.some((n) => n.startsWith('left out "id"')),
    notes.join('\n'),
  );
  // The draft fits the data it came from.
  assert.deepEqual(
    specDataIssues(parsed, {
      columns: profile.columns,
      label: { distinct: 3, numeric: false, values: ['a', 'b', 'c'] },
    }),
    [],
  );
});

test('a draft for a many-valued numeric label is regression; a label that is not a column is refused naming it', () => {
  assert.equal(draftSpec({ ...input, label: 'temp' }).spec.task, 'regression');
  assert.throws(
    () => draftSpec({ ...input, label: 'colur' }),
    (err: unknown) =>
      err instanceof DraftLabelError &&
      err.fieldErrors?.[0]?.field === 'querystring.label' &&
      err.message === 'label: "colur" is not a column of dataset "d": did you mean "colour"?',
  );
});
