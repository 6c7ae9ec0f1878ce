import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { forceBackend, loadTensorflow, TfBackendError, type Tf } from '../../core/model/backend.js';
import { buildMlp, ModelInputError, type MlpOptions } from '../../core/model/mlp.js';
import {
  encodeLabels,
  fitLabelEncoder,
  fitPreprocessor,
  LabelEncodingError,
  PreprocessingError,
  transform,
  transformInto,
  type ColumnChunk,
} from '../../core/model/preprocessing.js';
import {
  deserializeModel,
  initialEarlyStoppingState,
  modelWeightsSha256,
  predict,
  serializeModel,
  trainEpochs,
  updateEarlyStopping,
  type EpochEnd,
  type ModelArtifacts,
  type TrainingData,
} from '../../core/model/trainer.js';
import { createRng, normal } from '../../core/random.js';

// Model tests pin the pure-JS cpu backend: its results are the reference the assertions were written against.
async function cpuTf(): Promise<Tf> {
  return (await forceBackend('cpu')).tf;
}

function approx(actual: number, expected: number, tolerance = 1e-6): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `expected ${expected} ± ${tolerance}, got ${actual}`);
}

const handChunk: ColumnChunk = {
  length: 4,
  numeric: { a: Float64Array.from([1, 2, NaN, 5]), b: Float64Array.from([4, 4, 4, 4]) },
  categorical: { c: ['b', 'a', null, 'b'] },
};
const handFeatures = { numeric: ['a', 'b'], categorical: ['c'] };

/** A two-class problem with a noisy linear boundary and a categorical shift, built through the real preprocessing. */
function learnableProblem(
  seed: number,
  n: number,
): { train: TrainingData; validation: TrainingData; inputDim: number } {
  const rng = createRng(seed);
  const cities = ['north', 'south', 'east'];
  const shift: Record<string, number> = { north: 1, south: -1, east: 0 };
  const x1 = new Float64Array(n);
  const x2 = new Float64Array(n);
  const x3 = new Float64Array(n);
  const city: (string | null)[] = [];
  const label: string[] = [];
  for (let i = 0; i < n; i++) {
    x1[i] = normal(rng, 10, 3);
    x2[i] = normal(rng, -5, 0.5);
    x3[i] = rng() < 0.05 ? NaN : normal(rng);
    city.push(rng() < 0.05 ? null : cities[Math.floor(rng() * 3)]!);
    const score = (x1[i]! - 10) / 3 - 2 * (x2[i]! + 5) + shift[city[i] ?? 'east']! + normal(rng, 0, 0.3);
    label.push(score > 0 ? 'yes' : 'no');
  }
  const cut = Math.floor(n * 0.8);
  const part = (from: number, to: number): ColumnChunk => ({
    length: to - from,
    numeric: { x1: x1.slice(from, to), x2: x2.slice(from, to), x3: x3.slice(from, to) },
    categorical: { city: city.slice(from, to) },
  });
  const trainChunk = part(0, cut);
  const validationChunk = part(cut, n);
  const pre = fitPreprocessor([trainChunk], { numeric: ['x1', 'x2', 'x3'], categorical: ['city'] });
  const labels = fitLabelEncoder(label.slice(0, cut), 'binary');
  return {
    inputDim: pre.inputDim,
    train: { x: transform(pre, trainChunk), y: encodeLabels(labels, label.slice(0, cut)), n: cut },
    validation: { x: transform(pre, validationChunk), y: encodeLabels(labels, label.slice(cut)), n: n - cut },
  };
}

const problem = learnableProblem(11, 1000);
const mlpOptions = (seed: number): MlpOptions => ({
  inputDim: problem.inputDim,
  task: 'binary',
  numClasses: 2,
  hiddenLayers: [16, 8],
  activation: 'relu',
  learningRate: 0.01,
  seed,
});

async function train(
  tf: Tf,
  model: LayersModel,
  run: {
    epochs: number;
    startEpoch?: number;
    earlyStopping?: { patience: number; minDelta: number };
    earlyStoppingState?: EpochEnd['earlyStoppingState'];
  },
): Promise<{ events: EpochEnd[]; summary: Awaited<ReturnType<typeof trainEpochs>> }> {
  const events: EpochEnd[] = [];
  const summary = await trainEpochs({
    tf,
    model,
    train: problem.train,
    validation: problem.validation,
    epochs: run.epochs,
    startEpoch: run.startEpoch ?? 0,
    batchSize: 32,
    seed: 5,
    ...(run.earlyStopping ? { earlyStopping: run.earlyStopping } : {}),
    ...(run.earlyStoppingState ? { earlyStoppingState: run.earlyStoppingState } : {}),
    onEpochEnd: async (e) => {
      events.push(e);
    },
  });
  return { events, summary };
}

function weightsOf(tf: Tf, model: LayersModel): Float32Array[] {
  return model.getWeights().map((w) => Float32Array.from(w.dataSync()));
}

function maxAbsDifference(a: Float32Array[], b: Float32Array[]): number {
  assert.equal(a.length, b.length);
  let max = 0;
  a.forEach((wa, i) => {
    const wb = b[i]!;
    assert.equal(wa.length, wb.length);
    for (let j = 0; j < wa.length; j++) max = Math.max(max, Math.abs(wa[j]! - wb[j]!));
  });
  return max;
}

/** Stores and reloads artifacts the way an activity would: JSON for the parts, bytes for the blob. */
function throughStorage(artifacts: ModelArtifacts): ModelArtifacts {
  const { weightData, ...json } = artifacts;
  return {
    ...(JSON.parse(JSON.stringify(json)) as Omit<ModelArtifacts, 'weightData'>),
    weightData: Uint8Array.from(weightData),
  };
}

function disposeModel(tf: Tf, model: LayersModel): void {
  model.dispose();
  model.optimizer?.dispose();
}

test('the first load picks tfjs-node when installed, otherwise the faster wasm backend, and says why', async () => {
  let nodeInstalled = true;
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
  } catch {
    nodeInstalled = false;
  }
  const loaded = await loadTensorflow();
  if (nodeInstalled) {
    assert.equal(loaded.backend, 'tensorflow');
  } else {
    assert.equal(loaded.backend, 'wasm');
    assert.match(loaded.reason, /^tfjs-node not installed: /);
  }
  assert.equal(loaded.tf.getBackend(), loaded.backend);
  assert.equal(await loadTensorflow(), loaded, 'a second call returns the memoized result');
});

test('forcing a backend switches the engine, and an unknown name is rejected by name', async () => {
  await assert.rejects(forceBackend('gpu'), (err: unknown) => {
    assert.ok(err instanceof TfBackendError);
    assert.equal(err.backend, 'gpu');
    assert.equal(err.message, 'unknown TensorFlow.js backend "gpu"; expected one of: tensorflow, wasm, cpu');
    return true;
  });
  const wasm = await forceBackend('wasm');
  assert.equal(wasm.tf.getBackend(), 'wasm');
  assert.deepEqual(
    Array.from(wasm.tf.tidy(() => wasm.tf.mul(wasm.tf.tensor1d([2, 3]), 2).dataSync())),
    [4, 6],
  );
  const cpu = await loadTensorflow({ backend: 'cpu' });
  assert.equal(cpu.backend, 'cpu');
  assert.equal(cpu.reason, 'requested explicitly');
  assert.equal(cpu.tf.getBackend(), 'cpu');
  assert.equal((await loadTensorflow()).backend, 'cpu', 'later loads keep the forced backend');
});

test('standardisation uses the mean and population std of non-null values, and a constant column gets std 1', () => {
  const state = fitPreprocessor([handChunk], handFeatures);
  assert.equal(state.numeric[0]!.name, 'a');
  approx(state.numeric[0]!.mean, 8 / 3, 1e-12);
  approx(state.numeric[0]!.std, Math.sqrt(26) / 3, 1e-12);
  assert.deepEqual(state.numeric[1], { name: 'b', mean: 4, std: 1 });
  assert.deepEqual(state.categorical, [{ name: 'c', categories: ['a', 'b'] }]);
  assert.equal(state.inputDim, 5);
  assert.deepEqual(state.featureNames, ['a', 'b', 'c=a', 'c=b', 'c=<unknown>']);
  assert.deepEqual(JSON.parse(JSON.stringify(state)), state, 'the state is plain JSON');
});

test('fitting over several chunks gives the same state as one chunk with all the rows', () => {
  const first: ColumnChunk = {
    length: 1,
    numeric: { a: handChunk.numeric.a!.slice(0, 1), b: handChunk.numeric.b!.slice(0, 1) },
    categorical: { c: handChunk.categorical.c!.slice(0, 1) },
  };
  const rest: ColumnChunk = {
    length: 3,
    numeric: { a: handChunk.numeric.a!.slice(1), b: handChunk.numeric.b!.slice(1) },
    categorical: { c: handChunk.categorical.c!.slice(1) },
  };
  const whole = fitPreprocessor([handChunk], handFeatures);
  const split = fitPreprocessor([first, rest], handFeatures);
  approx(split.numeric[0]!.mean, whole.numeric[0]!.mean, 1e-12);
  approx(split.numeric[0]!.std, whole.numeric[0]!.std, 1e-12);
  assert.deepEqual(split.categorical, whole.categorical);
});

test('nulls become 0 after scaling, and unseen or null categories land in the trailing unknown bucket', () => {
  const state = fitPreprocessor([handChunk], handFeatures);
  const std = Math.sqrt(26) / 3;
  const out = transform(state, {
    length: 3,
    numeric: { a: Float64Array.from([8 / 3 + std, NaN, 2]), b: Float64Array.from([5, 4, 4]) },
    categorical: { c: ['z', null, 'a'] },
  });
  assert.equal(out.length, 15);
  const rows = [0, 1, 2].map((r) => Array.from(out.subarray(r * 5, r * 5 + 5)));
  approx(rows[0]![0]!, 1);
  assert.deepEqual(rows[0]!.slice(1), [1, 0, 0, 1]);
  assert.deepEqual(rows[1], [0, 0, 0, 0, 1]);
  approx(rows[2]![0]!, (2 - 8 / 3) / std);
  assert.deepEqual(rows[2]!.slice(1), [0, 1, 0, 0]);
});

test('transformInto writes chunks at their row offset over a dirty buffer and refuses to overflow it', () => {
  const state = fitPreprocessor([handChunk], handFeatures);
  const out = new Float32Array(6 * 5).fill(7);
  const second: ColumnChunk = {
    length: 2,
    numeric: { a: Float64Array.from([NaN, NaN]), b: Float64Array.from([4, 4]) },
    categorical: { c: ['b', 'b'] },
  };
  transformInto(state, handChunk, out, 0);
  transformInto(state, second, out, 4);
  assert.deepEqual(Array.from(out.subarray(0, 20)), Array.from(transform(state, handChunk)));
  assert.deepEqual(Array.from(out.subarray(20)), [0, 0, 0, 1, 0, 0, 0, 0, 1, 0]);
  assert.throws(() => transformInto(state, handChunk, out, 3), {
    name: 'PreprocessingError',
    message: 'cannot write 4 rows at row 3 into a matrix of 6 rows × 5',
  });
});

test('a chunk without a fitted column is rejected naming the column', () => {
  const state = fitPreprocessor([handChunk], handFeatures);
  const { c: _dropped, ...noCategorical } = handChunk.categorical;
  assert.throws(
    () => transform(state, { ...handChunk, categorical: noCategorical }),
    (err: unknown) =>
      err instanceof PreprocessingError &&
      err.column === 'c' &&
      err.message === 'categorical column "c" is missing from the chunk',
  );
});

test('class labels are sorted distinct strings, numeric ones by value', () => {
  const binary = fitLabelEncoder(['yes', 'no', 'yes'], 'binary');
  assert.deepEqual(binary, { task: 'binary', classes: ['no', 'yes'] });
  assert.deepEqual(Array.from(encodeLabels(binary, ['yes', 'no', 'no'])), [1, 0, 0]);
  const multi = fitLabelEncoder([10, 2, 1, '2'], 'multiclass');
  assert.deepEqual(multi, { task: 'multiclass', classes: ['1', '2', '10'] });
  const encoded = encodeLabels(multi, [10, '1', 2]);
  assert.ok(encoded instanceof Int32Array);
  assert.deepEqual(Array.from(encoded), [2, 0, 1]);
});

test('an unknown class or a null label is rejected naming the value and its row', () => {
  const state = fitLabelEncoder(['yes', 'no'], 'binary');
  assert.throws(
    () => encodeLabels(state, ['no', 'maybe']),
    (err: unknown) => {
      assert.ok(err instanceof LabelEncodingError);
      assert.equal(err.message, 'unknown class "maybe" at row 1; known classes: "no", "yes"');
      assert.equal(err.value, 'maybe');
      assert.equal(err.row, 1);
      return true;
    },
  );
  assert.throws(() => encodeLabels(state, [null]), {
    name: 'LabelEncodingError',
    message: 'null label at row 0',
  });
  assert.throws(() => fitLabelEncoder(['a', 'b', null], 'multiclass'), {
    name: 'LabelEncodingError',
    message: 'null label at row 2',
  });
  assert.throws(() => fitLabelEncoder(['a', 'b', 'c'], 'binary'), {
    name: 'LabelEncodingError',
    message: 'a binary task needs exactly 2 classes, found 3: "a", "b", "c"',
  });
});

test('regression labels pass through as float32 and non-numbers are rejected naming the value', () => {
  const state = fitLabelEncoder([1.5, -2], 'regression');
  assert.deepEqual(state, { task: 'regression' });
  const y = encodeLabels(state, [1.5, -2, 0]);
  assert.ok(y instanceof Float32Array);
  assert.deepEqual(Array.from(y), [1.5, -2, 0]);
  assert.throws(() => encodeLabels(state, [1, null]), {
    name: 'LabelEncodingError',
    message: 'null label at row 1',
  });
  assert.throws(() => encodeLabels(state, [1, 'abc']), {
    name: 'LabelEncodingError',
    message: 'regression label at row 1 must be a finite number, got "abc"',
  });
});

test('the MLP has the requested layers, a softmax over the classes or one linear unit, and rejects a 3-class binary task', async () => {
  const tf = await cpuTf();
  const classifier = buildMlp(tf, { ...mlpOptions(1), task: 'multiclass', numClasses: 4 });
  assert.deepEqual(
    classifier.layers.map((l) => l.name),
    ['hidden_1', 'hidden_2', 'output'],
  );
  assert.deepEqual(classifier.outputs[0]!.shape, [null, 4]);
  assert.equal(classifier.loss, 'sparseCategoricalCrossentropy');
  const regressor = buildMlp(tf, { ...mlpOptions(1), task: 'regression', numClasses: 0 });
  assert.deepEqual(regressor.outputs[0]!.shape, [null, 1]);
  assert.equal(regressor.loss, 'meanSquaredError');
  assert.throws(
    () => buildMlp(tf, { ...mlpOptions(1), numClasses: 3 }),
    (err: unknown) => {
      return (
        err instanceof ModelInputError &&
        err.field === 'numClasses' &&
        err.message === 'a binary task has 2 classes, got numClasses 3'
      );
    },
  );
  disposeModel(tf, classifier);
  disposeModel(tf, regressor);
});

test('a small learnable problem reaches more than 0.85 validation accuracy in five epochs', async () => {
  const tf = await cpuTf();
  const model = buildMlp(tf, mlpOptions(3));
  const { events, summary } = await train(tf, model, { epochs: 5 });
  assert.deepEqual(
    events.map((e) => e.epoch),
    [1, 2, 3, 4, 5],
  );
  assert.equal(summary.epochsRun, 5);
  assert.ok(summary.last!.metric > 0.85, `validation accuracy ${summary.last!.metric}`);
  assert.ok(events[4]!.valLoss < events[0]!.valLoss, 'validation loss falls');
  const probabilities = predict(tf, model, problem.validation.x, problem.validation.n, 64);
  assert.equal(probabilities.length, problem.validation.n * 2);
  let correct = 0;
  for (let i = 0; i < problem.validation.n; i++) {
    approx(probabilities[2 * i]! + probabilities[2 * i + 1]!, 1, 1e-5);
    if (Number(probabilities[2 * i + 1]! > probabilities[2 * i]!) === problem.validation.y[i]) correct++;
  }
  approx(correct / problem.validation.n, summary.last!.metric, 1e-6);
  disposeModel(tf, model);
});

test('the same seed gives identical weights and another seed different ones', async () => {
  const tf = await cpuTf();
  const a = buildMlp(tf, mlpOptions(21));
  const b = buildMlp(tf, mlpOptions(21));
  const c = buildMlp(tf, mlpOptions(22));
  for (const model of [a, b, c]) await train(tf, model, { epochs: 2 });
  assert.equal(maxAbsDifference(weightsOf(tf, a), weightsOf(tf, b)), 0);
  assert.ok(maxAbsDifference(weightsOf(tf, a), weightsOf(tf, c)) > 1e-3);
  for (const model of [a, b, c]) disposeModel(tf, model);
});

test('training 2 epochs, serializing, deserializing and training 2 more ends with the same weights hash as 4 straight epochs', async () => {
  const tf = await cpuTf();
  const straight = buildMlp(tf, mlpOptions(8));
  const straightRun = await train(tf, straight, { epochs: 4 });

  const first = buildMlp(tf, mlpOptions(8));
  await train(tf, first, { epochs: 2 });
  const artifacts = throughStorage(await serializeModel(tf, first));
  assert.ok(
    artifacts.weightSpecs.some((s) => s.group === 'optimizer'),
    'optimizer state is saved',
  );
  disposeModel(tf, first);
  const resumed = await deserializeModel(tf, artifacts);
  const resumedRun = await train(tf, resumed, { epochs: 4, startEpoch: 2 });

  assert.deepEqual(
    resumedRun.events.map((e) => e.epoch),
    [3, 4],
  );
  assert.equal(resumedRun.summary.lastEpoch, 4);
  // Bit-exact, not merely close: a resumed run must be indistinguishable from an uninterrupted one.
  assert.equal(modelWeightsSha256(resumed), modelWeightsSha256(straight));
  assert.equal(resumedRun.summary.last!.valLoss, straightRun.summary.last!.valLoss);
  disposeModel(tf, straight);
  disposeModel(tf, resumed);
});

test('a checkpoint without the optimizer state resumes differently, so the resume test can tell', async () => {
  const tf = await cpuTf();
  const straight = buildMlp(tf, mlpOptions(8));
  await train(tf, straight, { epochs: 4 });
  const first = buildMlp(tf, mlpOptions(8));
  await train(tf, first, { epochs: 2 });
  const artifacts = await serializeModel(tf, first);
  const modelSpecs = artifacts.weightSpecs.filter((s) => s.group !== 'optimizer');
  const modelBytes = modelSpecs.reduce((sum, s) => sum + 4 * s.shape.reduce((p, d) => p * d, 1), 0);
  const withoutOptimizer = await deserializeModel(tf, {
    ...artifacts,
    weightSpecs: modelSpecs,
    weightData: artifacts.weightData.slice(0, modelBytes),
  });
  await train(tf, withoutOptimizer, { epochs: 4, startEpoch: 2 });
  assert.ok(maxAbsDifference(weightsOf(tf, straight), weightsOf(tf, withoutOptimizer)) > 1e-4);
  for (const model of [straight, first, withoutOptimizer]) disposeModel(tf, model);
});

test('early stopping counts epochs without an improvement larger than minDelta', () => {
  const config = { patience: 2, minDelta: 0.01 };
  let state = updateEarlyStopping(initialEarlyStoppingState(), 1, 1.0, config);
  assert.deepEqual(state, { bestValLoss: 1.0, bestEpoch: 1, wait: 0, stopped: false });
  state = updateEarlyStopping(state, 2, 0.995, config);
  assert.deepEqual(state, { bestValLoss: 1.0, bestEpoch: 1, wait: 1, stopped: false });
  state = updateEarlyStopping(state, 3, 0.9, config);
  assert.deepEqual(state, { bestValLoss: 0.9, bestEpoch: 3, wait: 0, stopped: false });
  state = updateEarlyStopping(state, 4, 0.95, config);
  state = updateEarlyStopping(state, 5, 0.91, config);
  assert.deepEqual(state, { bestValLoss: 0.9, bestEpoch: 3, wait: 2, stopped: true });
  assert.equal(updateEarlyStopping(state, 6, 2, undefined).stopped, false, 'without a config it never stops');
});

test('early stopping ends training, and its state survives a serialize and resume', async () => {
  const tf = await cpuTf();
  // A minDelta no epoch can beat makes the stopping epoch known in advance: best at 1, stop at 1 + patience.
  const earlyStopping = { patience: 2, minDelta: 1e9 };
  const straight = buildMlp(tf, mlpOptions(4));
  const straightRun = await train(tf, straight, { epochs: 10, earlyStopping });
  assert.deepEqual(
    straightRun.events.map((e) => [e.epoch, e.stop]),
    [
      [1, false],
      [2, false],
      [3, true],
    ],
  );
  assert.equal(straightRun.summary.stoppedEarly, true);
  assert.equal(straightRun.summary.lastEpoch, 3);

  const first = buildMlp(tf, mlpOptions(4));
  const firstRun = await train(tf, first, { epochs: 2, earlyStopping });
  const saved = JSON.stringify(firstRun.summary.earlyStoppingState);
  const artifacts = throughStorage(await serializeModel(tf, first));
  disposeModel(tf, first);
  const resumed = await deserializeModel(tf, artifacts);
  const resumedRun = await train(tf, resumed, {
    epochs: 10,
    startEpoch: 2,
    earlyStopping,
    earlyStoppingState: JSON.parse(saved),
  });
  assert.deepEqual(
    resumedRun.events.map((e) => [e.epoch, e.stop]),
    [[3, true]],
  );
  assert.deepEqual(resumedRun.summary.earlyStoppingState, straightRun.summary.earlyStoppingState);
  assert.equal(modelWeightsSha256(resumed), modelWeightsSha256(straight));

  const afterStop = await train(tf, resumed, {
    epochs: 10,
    startEpoch: 3,
    earlyStopping,
    earlyStoppingState: resumedRun.summary.earlyStoppingState,
  });
  assert.equal(afterStop.summary.epochsRun, 0, 'a run that already stopped trains no further');
  disposeModel(tf, straight);
  disposeModel(tf, resumed);
});

test('no tensors leak across epochs, after training, or from predict', async () => {
  const tf = await cpuTf();
  const model = buildMlp(tf, mlpOptions(9));
  // The first epoch creates Adam's moment variables; from then on the count must hold still.
  await train(tf, model, { epochs: 1 });
  const baseline = tf.memory().numTensors;
  const counts: number[] = [];
  await trainEpochs({
    tf,
    model,
    train: problem.train,
    validation: problem.validation,
    epochs: 4,
    startEpoch: 1,
    batchSize: 32,
    seed: 5,
    onEpochEnd: async () => {
      counts.push(tf.memory().numTensors);
    },
  });
  assert.equal(counts.length, 3);
  assert.deepEqual(counts, [counts[0], counts[0], counts[0]]);
  assert.equal(tf.memory().numTensors, baseline);
  predict(tf, model, problem.validation.x, problem.validation.n, 50);
  assert.equal(tf.memory().numTensors, baseline);
  disposeModel(tf, model);
});
