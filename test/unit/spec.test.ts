import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadSpecDir, parseSpec, parseSpecText, SpecError, specHash } from '../../core/pipeline-spec/load.js';
import { primaryMetric } from '../../core/pipeline-spec/schema.js';
import { parseDurationMs } from '../../core/contracts/index.js';

const minimal = {
  name: 'houses',
  model: 'house-prices',
  dataset: { name: 'houses', label: 'price' },
  task: 'regression',
};

function issuesOf(value: unknown): { path: string; rule: string }[] {
  try {
    parseSpec(value, 'test');
  } catch (err) {
    assert.ok(err instanceof SpecError, `expected SpecError, got ${String(err)}`);
    return [...err.issues];
  }
  assert.fail('the spec should have been rejected');
}

test('the shipped pipeline specs are valid and have unique names', async () => {
  const specs = await loadSpecDir(join(import.meta.dirname, '..', '..', 'pipelines'));
  assert.ok(
    specs.some((s) => s.name === 'churn'),
    'churn is shipped',
  );
});

test('a minimal spec gets every default filled in', () => {
  const spec = parseSpec(minimal);
  assert.equal(spec.dataset.features, 'all-but-label');
  assert.deepEqual(spec.split, { test: 0.2, validation: 0.1, seed: 42 });
  assert.equal(spec.training.epochs, 20);
  assert.deepEqual(spec.approval, { policy: 'manual', timeout: '7d', onTimeout: 'reject', fourEyes: true });
  assert.equal(primaryMetric(spec), 'rmse');
});

test('the spec hash ignores key order and changes with content', () => {
  const a = parseSpec(minimal);
  const b = parseSpec({
    task: 'regression',
    dataset: { label: 'price', name: 'houses' },
    model: 'house-prices',
    name: 'houses',
  });
  assert.equal(specHash(a), specHash(b));
  assert.notEqual(specHash(a), specHash(parseSpec({ ...minimal, model: 'other' })));
});

test('every bad path is named with its rule, all at once', () => {
  const issues = issuesOf({
    name: 'Bad Name',
    dataset: { name: 'houses', label: 'price', extra: true },
    task: 'ranking',
    split: { test: 0.6, validation: 0.4 },
    approval: { policy: 'sometimes', timeout: 'soon' },
  });
  const byPath = Object.fromEntries(issues.map((i) => [i.path, i.rule]));
  assert.match(byPath['name']!, /lowercase letters, digits/);
  assert.equal(byPath['model'], 'is required');
  assert.equal(byPath['dataset'], 'unknown field(s) "extra"');
  assert.match(byPath['task']!, /expected one of "binary"\|"multiclass"\|"regression"/);
  assert.equal(byPath['split'], 'test + validation must leave at least 10% for training');
  assert.match(byPath['approval.policy']!, /expected one of "manual"\|"auto"\|"auto-if-better"/);
  assert.match(byPath['approval.timeout']!, /must be a duration such as "500ms"/);
});

test('cross-field rules name the offending entry', () => {
  const issues = issuesOf({
    ...minimal,
    task: 'binary',
    dataset: { name: 'houses', label: 'price', features: ['size', 'price'], categorical: ['city'] },
    evaluation: { primaryMetric: 'rmse', slices: ['size'] },
  });
  assert.deepEqual(issues, [
    { path: 'dataset.features', rule: 'must not include the label column "price"' },
    { path: 'dataset.categorical.0', rule: '"city" is not one of dataset.features' },
    { path: 'evaluation.primaryMetric', rule: '"rmse" does not apply to task "binary"' },
    { path: 'evaluation.slices.0', rule: '"size" must be one of dataset.categorical' },
  ]);
});

test('column names that could inject SQL are refused', () => {
  const issues = issuesOf({ ...minimal, dataset: { name: 'houses', label: 'price"; DROP TABLE x; --' } });
  assert.equal(issues[0]!.path, 'dataset.label');
  assert.match(issues[0]!.rule, /plain column name/);
});

test('malformed YAML is reported as a file-level problem', () => {
  assert.throws(
    () => parseSpecText('name: [unclosed', 'broken.yaml'),
    (err: unknown) =>
      err instanceof SpecError &&
      err.issues[0]!.path === '(file)' &&
      /not valid YAML/.test(err.issues[0]!.rule),
  );
});

test('durations parse to milliseconds and bad ones name the rule', () => {
  assert.equal(parseDurationMs('7d'), 604_800_000);
  assert.equal(parseDurationMs('1500ms'), 1500);
  assert.throws(() => parseDurationMs('7 days'), /"7 days" must be a duration such as "500ms"/);
});
