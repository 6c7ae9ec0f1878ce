// Prediction input checks: every problem is named by row and feature with its rule, and good rows
// become the column chunk training's preprocessing takes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitPreprocessor, transform } from '../../core/model/preprocessing.js';
import { InvalidInputError } from '../../core/serving/errors.js';
import { createInputDecoder, maxRowsPerRequest } from '../../core/serving/input.js';

const schema = { numeric: ['age', 'tenure'], categorical: ['plan'] };
const decoder = createInputDecoder(schema);
const good = { age: 41, tenure: 12.5, plan: 'basic' };

function problems(rows: unknown[], d = decoder): { field: string; rule: string }[] {
  try {
    d.decode(rows);
  } catch (err) {
    assert.ok(err instanceof InvalidInputError, String(err));
    return [...err.errors];
  }
  assert.fail('expected InvalidInputError');
}

test('good rows become columns: numbers in Float64Arrays, categories as strings', () => {
  const chunk = decoder.decode([good, { age: 30, tenure: 0, plan: 'premium' }]);
  assert.equal(chunk.length, 2);
  assert.deepEqual([...chunk.numeric.age!], [41, 30]);
  assert.deepEqual([...chunk.numeric.tenure!], [12.5, 0]);
  assert.deepEqual(chunk.categorical.plan, ['basic', 'premium']);
});

test('a missing feature is named with its row and kind', () => {
  assert.deepEqual(problems([good, { age: 41, plan: 'basic' }]), [
    { field: 'rows[1].tenure', rule: 'is missing (numeric feature)' },
  ]);
  assert.deepEqual(problems([{ age: 41, tenure: 1 }]), [
    { field: 'rows[0].plan', rule: 'is missing (categorical feature)' },
  ]);
});

test('a numeric feature given a string, a boolean or a non-finite number is refused with what it got', () => {
  assert.deepEqual(problems([{ ...good, age: 'forty' }]), [
    { field: 'rows[0].age', rule: 'must be a finite number (numeric feature), got "forty"' },
  ]);
  assert.deepEqual(problems([{ ...good, age: true }]), [
    { field: 'rows[0].age', rule: 'must be a finite number (numeric feature), got true' },
  ]);
  assert.deepEqual(problems([{ ...good, tenure: Infinity }]), [
    { field: 'rows[0].tenure', rule: 'must be a finite number (numeric feature), got Infinity' },
  ]);
  assert.deepEqual(problems([{ ...good, tenure: NaN }]), [
    { field: 'rows[0].tenure', rule: 'must be a finite number (numeric feature), got NaN' },
  ]);
  assert.deepEqual(problems([{ ...good, age: '41' }]), [
    { field: 'rows[0].age', rule: 'must be a finite number (numeric feature), got "41"' },
  ]);
});

test('a categorical feature given a number or an object is refused', () => {
  assert.deepEqual(problems([{ ...good, plan: 3 }]), [
    { field: 'rows[0].plan', rule: 'must be a string (categorical feature), got 3' },
  ]);
  assert.deepEqual(problems([{ ...good, plan: { name: 'basic' } }]), [
    { field: 'rows[0].plan', rule: 'must be a string (categorical feature), got {"name":"basic"}' },
  ]);
});

test('an unknown category is accepted and lands in the unknown slot of the one-hot block', () => {
  const state = fitPreprocessor([decoder.decode([good, { age: 50, tenure: 3, plan: 'premium' }])], schema);
  const x = transform(state, decoder.decode([{ ...good, plan: 'platinum' }]));
  assert.deepEqual(state.featureNames.slice(2), ['plan=basic', 'plan=premium', 'plan=<unknown>']);
  assert.deepEqual([...x.slice(2)], [0, 0, 1]);
});

test('null means "value unknown" and is encoded as training encodes nulls', () => {
  const chunk = decoder.decode([{ age: null, tenure: 1, plan: null }]);
  assert.ok(Number.isNaN(chunk.numeric.age![0]));
  assert.deepEqual(chunk.categorical.plan, [null]);
});

test('fields that are not features are named, with the features the model takes', () => {
  assert.deepEqual(problems([{ ...good, churned: 1, note: 'x' }]), [
    { field: 'rows[0].churned', rule: 'is not a feature of this model (features: age, tenure, plan)' },
    { field: 'rows[0].note', rule: 'is not a feature of this model (features: age, tenure, plan)' },
  ]);
});

test('a row that is not an object is named', () => {
  assert.deepEqual(problems([good, [1, 2], null, 'x']), [
    { field: 'rows[1]', rule: 'must be an object of feature values, got [1,2]' },
    { field: 'rows[2]', rule: 'must be an object of feature values, got null' },
    { field: 'rows[3]', rule: 'must be an object of feature values, got "x"' },
  ]);
});

test('every problem of a request is reported together, up to 20, and the message lists them', () => {
  const rows = Array.from({ length: 30 }, (_, i) => ({ age: 'x', tenure: i, plan: 'basic' }));
  const errors = problems(rows);
  assert.equal(errors.length, 20);
  assert.equal(errors[19]!.field, 'rows[19].age');
  assert.throws(() => decoder.decode([{ age: 'x', tenure: 1 }]), {
    name: 'InvalidInputError',
    message:
      'rows[0].age: must be a finite number (numeric feature), got "x"; rows[0].plan: is missing (categorical feature)',
  });
});

test('an empty request and one over the batch cap are refused before any row is read', () => {
  assert.equal(maxRowsPerRequest, 1000);
  assert.deepEqual(problems([]), [{ field: 'rows', rule: 'must hold at least one row' }]);
  assert.deepEqual(problems(new Array(1001).fill(good)), [
    { field: 'rows', rule: 'must hold at most 1000 rows per request, got 1001' },
  ]);
  const small = createInputDecoder(schema, { maxRows: 2 });
  assert.deepEqual(problems([good, good, good], small), [
    { field: 'rows', rule: 'must hold at most 2 rows per request, got 3' },
  ]);
  assert.equal(small.decode([good, good]).length, 2);
});

test('long values are shortened in messages', () => {
  const [problem] = problems([{ ...good, age: 'a'.repeat(100) }]);
  assert.equal(problem!.rule, `must be a finite number (numeric feature), got "${'a'.repeat(36)}...`);
});

test('a finite number far outside the training data (1e40 overflows float32) is refused naming the feature and the bound', () => {
  const scaled = createInputDecoder(schema, {
    scales: new Map([
      ['age', { mean: 40, std: 10 }],
      ['tenure', { mean: 12, std: 4 }],
    ]),
  });
  assert.deepEqual(
    problems(
      [
        { ...good, age: 1e40 },
        { ...good, tenure: -1e300 },
      ],
      scaled,
    ),
    [
      {
        field: 'rows[0].age',
        rule: 'must lie within 1000000 training standard deviations of the training mean (-9999960 … 10000040), got 1e+40',
      },
      {
        field: 'rows[1].tenure',
        rule: 'must lie within 1000000 training standard deviations of the training mean (-3999988 … 4000012), got -1e+300',
      },
    ],
  );
  assert.equal(scaled.decode([{ ...good, age: 9_000_000 }]).length, 1, 'large but in bounds is answered');
});

test('null features are imputed by default and refused when the spec says so, naming each one', () => {
  const imputed = decoder.decode([{ age: null, tenure: 1, plan: null }]);
  assert.ok(Number.isNaN(imputed.numeric.age![0]!));
  assert.deepEqual(imputed.categorical.plan, [null]);
  const strict = createInputDecoder({ ...schema, nulls: 'refuse' });
  assert.deepEqual(problems([{ age: null, tenure: 1, plan: null }], strict), [
    { field: 'rows[0].age', rule: "is null, and this model's spec refuses nulls (serving.nulls: refuse)" },
    { field: 'rows[0].plan', rule: "is null, and this model's spec refuses nulls (serving.nulls: refuse)" },
  ]);
});
