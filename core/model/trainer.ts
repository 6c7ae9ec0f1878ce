// Deterministic, resumable epoch loop over in-memory matrices, plus model (de)serialisation and batched
// prediction. The caller owns checkpoints and heartbeats; it gets control back after every epoch.
import { FailureType, typedError } from '../errors.js';
import { createHash } from 'node:crypto';
import type { Tensor, Variable } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { createRng, shuffleInPlace } from '../random.js';
import type { Tf } from './backend.js';
import { ModelInputError, positiveInteger } from './mlp.js';

/** Row-major features (`n × inputDim`) with class indices (Int32Array) or regression targets (Float32Array). */
export interface TrainingData {
  x: Float32Array;
  y: Int32Array | Float32Array;
  n: number;
}

/** Stop when validation loss has not improved by more than `minDelta` for `patience` epochs. */
export interface EarlyStoppingConfig {
  patience: number;
  minDelta: number;
}

/** Early-stopping bookkeeping as plain JSON, checkpointed with the model so a resumed run stops where a straight one would. */
export interface EarlyStoppingState {
  /** Lowest validation loss so far; null before the first epoch. */
  bestValLoss: number | null;
  /** 1-based epoch that reached `bestValLoss`; 0 before the first epoch. */
  bestEpoch: number;
  /** Epochs since the last improvement. */
  wait: number;
  stopped: boolean;
}

/** What `onEpochEnd` receives after each epoch. */
export interface EpochEnd {
  /** 1-based number of epochs completed, so a resume passes the last one seen as `startEpoch`. */
  epoch: number;
  /** Mean training loss over the epoch's batches, weighted by batch size. */
  loss: number;
  valLoss: number;
  /** Validation accuracy for classification, validation RMSE for regression. */
  metric: number;
  /** True when early stopping ends training after this epoch. */
  stop: boolean;
  earlyStoppingState: EarlyStoppingState;
  /** Wall time of the epoch's training and validation, excluding `onEpochEnd` itself. */
  ms: number;
}

/** Arguments to `trainEpochs`. */
export interface TrainEpochsOptions {
  tf: Tf;
  model: LayersModel;
  train: TrainingData;
  validation: TrainingData;
  /** Total epochs of the run, counting those already done before `startEpoch`. */
  epochs: number;
  /** Epochs already completed (0 for a fresh run). */
  startEpoch: number;
  batchSize: number;
  seed: number;
  earlyStopping?: EarlyStoppingConfig;
  earlyStoppingState?: EarlyStoppingState;
  /** Awaited after every epoch before the next starts; the place to checkpoint and heartbeat. */
  onEpochEnd: (e: EpochEnd) => Promise<void>;
}

/** How a `trainEpochs` call ended. */
export interface TrainSummary {
  /** Epochs run by this call. */
  epochsRun: number;
  /** 1-based number of epochs completed in total. */
  lastEpoch: number;
  stoppedEarly: boolean;
  /** The last epoch's numbers; null when this call ran no epoch. */
  last: { loss: number; valLoss: number; metric: number } | null;
  earlyStoppingState: EarlyStoppingState;
  ms: number;
}

/** A model as plain data for object storage: JSON parts plus one weight blob (model weights, then optimizer state). */
export interface ModelArtifacts {
  format: 'ferry-tfjs-layers/1';
  modelTopology: unknown;
  /** Loss, metrics and optimizer config, so a loaded model is compiled as the saved one was. */
  trainingConfig: unknown;
  weightSpecs: WeightSpec[];
  weightData: Uint8Array;
  /**
   * Adam's running powers of beta1/beta2. tfjs saves only the iteration count and recomputes them as
   * `beta ** (iterations + 1)` on load, which differs in the last bits from the product training
   * accumulated; restoring the exact values makes a resumed run end with identical weights.
   */
  optimizerState?: { accBeta1: number; accBeta2: number };
}

/** One tensor's slice of `weightData`; group `optimizer` marks Adam's moments and iteration count. */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool' | 'string' | 'complex64';
  group?: 'model' | 'optimizer';
}

/** Thrown when the loss becomes NaN or infinite; training is deterministic, so a retry would diverge again. */
export class TrainingDivergedError extends typedError(FailureType.InvalidInput) {
  constructor(
    readonly epoch: number,
    readonly loss: number,
  ) {
    super(
      `training diverged in epoch ${epoch}: loss is ${loss}; lower the learning rate or check the features for extreme values`,
    );
  }
}

/** The state before any epoch ran. */
export function initialEarlyStoppingState(): EarlyStoppingState {
  return { bestValLoss: null, bestEpoch: 0, wait: 0, stopped: false };
}

/** Folds one epoch's validation loss into the early-stopping state; without a config it only tracks the best epoch. */
export function updateEarlyStopping(
  state: EarlyStoppingState,
  epoch: number,
  valLoss: number,
  config: EarlyStoppingConfig | undefined,
): EarlyStoppingState {
  if (state.bestValLoss === null || valLoss < state.bestValLoss - (config?.minDelta ?? 0))
    return { bestValLoss: valLoss, bestEpoch: epoch, wait: 0, stopped: false };
  const wait = state.wait + 1;
  return { ...state, wait, stopped: config !== undefined && wait >= config.patience };
}

// Batches go through trainOnBatch rather than fit({ epochs: 1, shuffle: false }): on the
// backend.ts benchmark they tie on wasm (253–285 vs 259–270 ms/epoch) and trainOnBatch is a
// little faster on cpu (570–578 vs 598–678 ms), and it needs no shuffled n × inputDim copy of
// the training matrix per epoch, which fit would.
const yieldEveryMs = 500;

/** Trains from `startEpoch` up to `epochs`, shuffling each epoch with `createRng(seed + epoch index)`. */
export async function trainEpochs(options: TrainEpochsOptions): Promise<TrainSummary> {
  const { tf, model, train, validation, epochs, startEpoch, batchSize, seed, earlyStopping, onEpochEnd } =
    options;
  const inputDim = checkShapes(model, train, validation);
  positiveInteger('batchSize', batchSize);
  for (const [field, value] of Object.entries({ startEpoch, epochs }))
    if (!Number.isInteger(value) || value < 0)
      throw new ModelInputError(field, `${field} must be an integer ≥ 0, got ${value}`);
  if (earlyStopping) {
    positiveInteger('earlyStopping.patience', earlyStopping.patience);
    if (!(earlyStopping.minDelta >= 0))
      throw new ModelInputError(
        'earlyStopping.minDelta',
        `earlyStopping.minDelta must be ≥ 0, got ${earlyStopping.minDelta}`,
      );
  }
  const classification = train.y instanceof Int32Array;

  const started = performance.now();
  let state = options.earlyStoppingState ?? initialEarlyStoppingState();
  let last: TrainSummary['last'] = null;
  let epoch = startEpoch;
  if (state.stopped)
    return { epochsRun: 0, lastEpoch: epoch, stoppedEarly: true, last, earlyStoppingState: state, ms: 0 };

  const order = new Int32Array(train.n);
  const validationX = tf.tensor2d(validation.x, [validation.n, inputDim]);
  const validationY = tf.tensor2d(Float32Array.from(validation.y), [validation.n, 1]);
  try {
    while (epoch < epochs && !state.stopped) {
      const epochStarted = performance.now();
      for (let i = 0; i < train.n; i++) order[i] = i;
      shuffleInPlace(order, createRng(seed + epoch));

      let lossSum = 0;
      let yielded = performance.now();
      for (let start = 0; start < train.n; start += batchSize) {
        // trainOnBatch resolves in microtasks, which starve timers: give the event loop a turn now and
        // then so the caller's heartbeat timer (and any I/O) runs during a long epoch.
        if (performance.now() - yielded > yieldEveryMs) {
          await new Promise((resolve) => setImmediate(resolve));
          yielded = performance.now();
        }
        const size = Math.min(batchSize, train.n - start);
        // Fresh arrays per batch: the cpu backend keeps a reference to a tensor's source array.
        const xb = new Float32Array(size * inputDim);
        const yb = new Float32Array(size);
        for (let r = 0; r < size; r++) {
          const row = order[start + r]!;
          xb.set(train.x.subarray(row * inputDim, (row + 1) * inputDim), r * inputDim);
          yb[r] = train.y[row]!;
        }
        const xt = tf.tensor2d(xb, [size, inputDim]);
        const yt = tf.tensor2d(yb, [size, 1]);
        try {
          const result = await model.trainOnBatch(xt, yt);
          lossSum += (Array.isArray(result) ? result[0]! : result) * size;
        } finally {
          tf.dispose([xt, yt]);
        }
      }
      epoch++;
      const loss = lossSum / train.n;
      if (!Number.isFinite(loss)) throw new TrainingDivergedError(epoch, loss);

      const scores = model.evaluate(validationX, validationY, { batchSize: 4096 });
      const values = (Array.isArray(scores) ? scores : [scores]).map((s) => s.dataSync()[0]!);
      tf.dispose(scores);
      const valLoss = values[0]!;
      const metric = classification ? values[1]! : Math.sqrt(valLoss);
      if (!Number.isFinite(valLoss)) throw new TrainingDivergedError(epoch, valLoss);

      state = updateEarlyStopping(state, epoch, valLoss, earlyStopping);
      last = { loss, valLoss, metric };
      const ms = performance.now() - epochStarted;
      await onEpochEnd({ epoch, loss, valLoss, metric, stop: state.stopped, earlyStoppingState: state, ms });
    }
  } finally {
    tf.dispose([validationX, validationY]);
  }
  return {
    epochsRun: epoch - startEpoch,
    lastEpoch: epoch,
    stoppedEarly: state.stopped,
    last,
    earlyStoppingState: state,
    ms: performance.now() - started,
  };
}

/** Captures topology, weights and optimizer state, so a model loaded from it resumes training exactly. */
export async function serializeModel(tf: Tf, model: LayersModel): Promise<ModelArtifacts> {
  let captured: Parameters<Parameters<Tf['io']['withSaveHandler']>[0]>[0] | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
    { includeOptimizer: true },
  );
  if (!captured?.modelTopology || !captured.weightSpecs || captured.weightData === undefined)
    throw new Error('model.save produced no topology or weights');
  const data = captured.weightData;
  const buffer = Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data;
  const adam = adamState(model);
  return {
    format: 'ferry-tfjs-layers/1',
    modelTopology: captured.modelTopology,
    trainingConfig: captured.trainingConfig ?? null,
    weightSpecs: captured.weightSpecs as WeightSpec[],
    weightData: new Uint8Array(buffer.slice(0)),
    ...(adam && {
      optimizerState: { accBeta1: adam.accBeta1.dataSync()[0]!, accBeta2: adam.accBeta2.dataSync()[0]! },
    }),
  };
}

/** The private accumulators of a tfjs Adam optimizer; undefined for any other optimizer. */
interface AdamAccumulators {
  accBeta1: Variable;
  accBeta2: Variable;
}
function adamState(model: LayersModel): AdamAccumulators | undefined {
  const optimizer = model.optimizer as unknown as Partial<AdamAccumulators> | undefined;
  const { accBeta1, accBeta2 } = optimizer ?? {};
  return accBeta1 && accBeta2 ? { accBeta1, accBeta2 } : undefined;
}

/** sha256 of the model's weights (not the optimizer's) in layer order: equal hashes mean bit-identical models. */
export function modelWeightsSha256(model: LayersModel): string {
  const hash = createHash('sha256');
  for (const w of model.getWeights()) {
    const values = w.dataSync();
    hash.update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  }
  return hash.digest('hex');
}

/** Rebuilds a compiled model, optimizer state included, from `serializeModel` output. */
export async function deserializeModel(tf: Tf, artifacts: ModelArtifacts): Promise<LayersModel> {
  if (artifacts.format !== 'ferry-tfjs-layers/1')
    throw new ModelInputError(
      'format',
      `unsupported model artifact format "${String(artifacts.format)}"; expected "ferry-tfjs-layers/1"`,
    );
  const bytes = artifacts.weightData;
  // tfjs wants an ArrayBuffer of exactly the weight bytes, not a view into a larger one.
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: artifacts.modelTopology as object,
      weightSpecs: artifacts.weightSpecs,
      weightData,
      ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig as never } : {}),
    }),
  );
  const saved = artifacts.optimizerState;
  const adam = adamState(model);
  if (saved && adam) {
    // After loadLayersModel's setWeights, which overwrote them with recomputed powers.
    tf.tidy(() => {
      adam.accBeta1.assign(tf.scalar(saved.accBeta1));
      adam.accBeta2.assign(tf.scalar(saved.accBeta2));
    });
  }
  return model;
}

/** Runs the model over `n` rows in batches; returns row-major `n × outputs` (class probabilities or one regression value per row). */
export function predict(
  tf: Tf,
  model: LayersModel,
  x: Float32Array,
  n: number,
  batchSize = 4096,
): Float32Array {
  const inputDim = modelInputDim(model);
  if (x.length !== n * inputDim)
    throw new ModelInputError('x', `x has ${x.length} values; expected n × inputDim = ${n} × ${inputDim}`);
  positiveInteger('batchSize', batchSize);
  const outputs = model.outputs[0]?.shape[1] ?? 1;
  const out = new Float32Array(n * outputs);
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const values = tf.tidy(() => {
      const xb = tf.tensor2d(x.subarray(start * inputDim, (start + size) * inputDim), [size, inputDim]);
      return (model.predict(xb) as Tensor).dataSync();
    });
    out.set(values, start * outputs);
  }
  return out;
}

function checkShapes(model: LayersModel, train: TrainingData, validation: TrainingData): number {
  const inputDim = modelInputDim(model);
  const outputs = model.outputs[0]?.shape[1] ?? 1;
  for (const [field, data] of Object.entries({ train, validation })) {
    positiveInteger(`${field}.n`, data.n);
    if (data.x.length !== data.n * inputDim)
      throw new ModelInputError(
        `${field}.x`,
        `${field}.x has ${data.x.length} values; expected n × inputDim = ${data.n} × ${inputDim}`,
      );
    if (data.y.length !== data.n)
      throw new ModelInputError(`${field}.y`, `${field}.y has ${data.y.length} labels for ${data.n} rows`);
    if (data.y instanceof Int32Array) {
      const bad = data.y.findIndex((c) => c < 0 || c >= outputs);
      if (bad >= 0)
        throw new ModelInputError(
          `${field}.y`,
          `${field}.y[${bad}] is class ${data.y[bad]}, outside 0…${outputs - 1}`,
        );
    }
    if (data.y instanceof Int32Array !== outputs > 1)
      throw new ModelInputError(
        `${field}.y`,
        `${field}.y must be ${outputs > 1 ? 'class indices (Int32Array)' : 'regression targets (Float32Array)'} for a model with ${outputs} output(s)`,
      );
  }
  return inputDim;
}

function modelInputDim(model: LayersModel): number {
  const dim = model.inputs[0]?.shape[1];
  if (typeof dim !== 'number')
    throw new ModelInputError('model', 'model must take one 2-D input with a fixed width');
  return dim;
}
