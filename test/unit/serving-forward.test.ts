// The serving forward pass must give what tfjs's model.predict gives, for every activation Ferry
// builds, for classification and regression; layers it does not know go through tfjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forceBackend, type Tf } from '../../core/model/backend.js';
import { buildMlp, type MlpOptions } from '../../core/model/mlp.js';
import { predict } from '../../core/model/trainer.js';
import { createRng } from '../../core/random.js';
import { compileForward } from '../../core/serving/forward.js';

async function cpuTf(): Promise<Tf> {
  return (await forceBackend('cpu')).tf;
}

function randomRows(n: number, dim: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n * dim }, () => (rng() - 0.5) * 6);
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

const base: MlpOptions = {
  inputDim: 7,
  task: 'binary',
  numClasses: 2,
  hiddenLayers: [12, 5],
  activation: 'relu',
  learningRate: 0.01,
  seed: 3,
};

for (const activation of ['relu', 'tanh', 'sigmoid', 'elu'] as const) {
  test(`${activation === 'elu' ? 'an' : 'a'} ${activation} classifier scores like model.predict, and its rows are probabilities`, async () => {
    const tf = await cpuTf();
    const model = buildMlp(tf, { ...base, activation, task: 'multiclass', numClasses: 3 });
    const forward = compileForward(tf, model);
    assert.equal(forward.kind, 'js');
    assert.deepEqual([forward.inputDim, forward.outputs], [7, 3]);
    const x = randomRows(50, 7, 11);
    const ours = forward.run(x, 50);
    assert.ok(
      maxDiff(ours, predict(tf, model, x, 50)) < 1e-5,
      `max difference ${maxDiff(ours, predict(tf, model, x, 50))}`,
    );
    for (let r = 0; r < 50; r++)
      assert.ok(Math.abs(ours[r * 3]! + ours[r * 3 + 1]! + ours[r * 3 + 2]! - 1) < 1e-5);
    model.dispose();
  });
}

test('a regression model (linear output) and a model without hidden layers score like model.predict', async () => {
  const tf = await cpuTf();
  for (const options of [
    { ...base, task: 'regression' as const },
    { ...base, hiddenLayers: [] },
  ]) {
    const model = buildMlp(tf, options);
    const forward = compileForward(tf, model);
    assert.equal(forward.kind, 'js');
    const x = randomRows(20, 7, 5);
    assert.ok(maxDiff(forward.run(x, 20), predict(tf, model, x, 20)) < 1e-5);
    model.dispose();
  }
});

test('the compiled pass keeps its own copy of the weights: disposing the model does not change its answers', async () => {
  const tf = await cpuTf();
  const model = buildMlp(tf, base);
  const forward = compileForward(tf, model);
  const x = randomRows(3, 7, 9);
  const before = forward.run(x, 3);
  model.dispose();
  assert.deepEqual(forward.run(x, 3), before);
});

test('a model with a layer other than Dense goes through tfjs and still scores', async () => {
  const tf = await cpuTf();
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 4, activation: 'relu', inputShape: [7] }));
  model.add(tf.layers.dropout({ rate: 0.5 }));
  model.add(tf.layers.dense({ units: 2, activation: 'softmax' }));
  const forward = compileForward(tf, model);
  assert.equal(forward.kind, 'tfjs');
  const x = randomRows(4, 7, 2);
  assert.deepEqual(forward.run(x, 4), predict(tf, model, x, 4));
  model.dispose();
});

test('an input of the wrong size is refused instead of read out of bounds', async () => {
  const tf = await cpuTf();
  const model = buildMlp(tf, base);
  assert.throws(
    () => compileForward(tf, model).run(new Float32Array(13), 2),
    /x has 13 values; expected 2 × 7/,
  );
  model.dispose();
});
