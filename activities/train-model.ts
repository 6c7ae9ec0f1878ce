// trainModel: TensorFlow.js on the snapshot's train split. Every epoch writes a metrics row, a
// checkpoint in object storage and a heartbeat; a retried attempt (e.g. after a worker crash)
// resumes from the newest complete checkpoint instead of epoch 0.
import {
  activityInfo,
  ApplicationFailure,
  CancelledFailure,
  heartbeat,
  cancellationSignal,
} from '@temporalio/activity';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { openDuckDb } from '../core/data/duckdb.js';
import { resolveFeatures, type FeatureColumns } from '../core/datasets/features.js';
import { loadSplits, type SplitColumns } from '../core/datasets/load-splits.js';
import { FailureType } from '../core/errors.js';
import { loadTensorflow, type Tf } from '../core/model/backend.js';
import { loadModelBundle, saveModelBundle, type PreprocessingBundle } from '../core/model/bundle-store.js';
import { buildMlp, ModelInputError } from '../core/model/mlp.js';
import {
  encodeLabels,
  fitLabelEncoder,
  fitPreprocessor,
  LabelEncodingError,
  PreprocessingError,
  transform,
} from '../core/model/preprocessing.js';
import {
  trainEpochs,
  TrainingDivergedError,
  type EarlyStoppingState,
  type TrainingData,
} from '../core/model/trainer.js';
import type { PipelineSpec } from '../core/spec/schema.js';
import { metricsPart } from '../core/metrics/store.js';
import type { ActivityDeps } from './deps.js';

export interface TrainModelInput {
  runId: string;
  spec: PipelineSpec;
  datasetSha: string;
}

/** What training produced: references to artifacts, never the artifacts themselves. */
export interface TrainingResult {
  modelPrefix: string;
  preprocessingKey: string;
  backend: string;
  backendReason: string;
  epochsTrained: number;
  lastEpoch: number;
  resumedFromEpoch: number;
  stoppedEarly: boolean;
  finalLoss: number | null;
  finalValLoss: number | null;
  trainRows: number;
  validationRows: number;
  inputSchema: { numeric: string[]; categorical: string[]; label: string; classes?: string[] };
}

interface CheckpointState {
  epoch: number;
  earlyStoppingState: EarlyStoppingState;
  attempt: number;
}

const checkpointsPrefix = (runId: string) => `runs/${runId}/checkpoints/`;
const checkpointPrefix = (runId: string, epoch: number) =>
  `${checkpointsPrefix(runId)}epoch-${String(epoch).padStart(6, '0')}/`;

/** Data prepared for training: matrices plus what is needed to rebuild them identically. */
export interface PreparedData {
  features: FeatureColumns;
  preprocessing: PreprocessingBundle;
  train: TrainingData;
  validation: TrainingData;
}

/** Reads the train and validation splits and builds matrices; preprocessing is fitted on train unless given. */
export async function prepareTrainingData(
  deps: ActivityDeps,
  spec: PipelineSpec,
  datasetSha: string,
  fitted?: PreprocessingBundle,
): Promise<PreparedData> {
  const manifest = await deps.catalog.manifest(spec.dataset.name, datasetSha);
  const features = resolveFeatures(spec, manifest.schema);
  const db = await openDuckDb();
  let splits: Record<'train' | 'validation' | 'test', SplitColumns>;
  try {
    splits = await loadSplits({
      db,
      parquetPath: await deps.catalog.localParquet(manifest),
      features,
      split: spec.split,
      numericLabel: spec.task === 'regression',
      keep: ['train', 'validation'],
    });
  } finally {
    db.close();
  }
  const preprocessing: PreprocessingBundle = fitted ?? {
    preprocessor: fitPreprocessor([splits.train], features),
    labels: fitLabelEncoder(splits.train.labels, spec.task),
    label: features.label,
  };
  const toData = (s: SplitColumns): TrainingData => ({
    x: transform(preprocessing.preprocessor, s),
    y: encodeLabels(preprocessing.labels, s.labels),
    n: s.length,
  });
  return { features, preprocessing, train: toData(splits.train), validation: toData(splits.validation) };
}

export function createTrainActivities(deps: ActivityDeps) {
  const { store, metrics } = deps;

  async function latestCheckpoint(runId: string): Promise<CheckpointState | undefined> {
    const states = (await store.list(checkpointsPrefix(runId)))
      .filter((o) => o.key.endsWith('/state.json'))
      .map((o) => o.key)
      .sort();
    const newest = states.at(-1);
    return newest ? store.getJson<CheckpointState>(newest) : undefined;
  }

  return {
    async trainModel(input: TrainModelInput): Promise<TrainingResult> {
      const { spec, runId } = input;
      const { attempt } = activityInfo();
      const { tf, backend, reason } = await loadTensorflow();
      const t = spec.training;

      const checkpoint = await latestCheckpoint(runId);
      let model: LayersModel;
      let data: PreparedData;
      try {
        if (checkpoint) {
          const restored = await loadModelBundle(store, checkpointPrefix(runId, checkpoint.epoch), tf);
          model = restored.model;
          data = await prepareTrainingData(deps, spec, input.datasetSha, restored.preprocessing);
        } else {
          data = await prepareTrainingData(deps, spec, input.datasetSha);
          model = buildModel(tf, spec, data);
        }
      } catch (err) {
        throw asNonRetryable(err);
      }
      heartbeat({ epoch: checkpoint?.epoch ?? 0, phase: 'data-loaded' });

      const inputSchema = {
        numeric: data.features.numeric,
        categorical: data.features.categorical,
        label: data.features.label,
        ...(data.preprocessing.labels.task !== 'regression'
          ? { classes: data.preprocessing.labels.classes }
          : {}),
      };
      const signal = cancellationSignal();
      let summary;
      try {
        summary = await trainEpochs({
          tf,
          model,
          train: data.train,
          validation: data.validation,
          epochs: t.epochs,
          startEpoch: checkpoint?.epoch ?? 0,
          batchSize: t.batchSize,
          seed: t.seed,
          earlyStopping: t.earlyStopping,
          earlyStoppingState: checkpoint?.earlyStoppingState,
          onEpochEnd: async (e) => {
            // Metrics row first, then the checkpoint: a crash in between re-trains one epoch (at most
            // one epoch trained twice) rather than losing the epoch's row.
            await metrics.append(
              'training_epochs',
              [
                {
                  run_id: runId,
                  model: spec.model,
                  attempt,
                  epoch: e.epoch,
                  loss: e.loss,
                  val_loss: e.valLoss,
                  val_metric: e.metric,
                  samples: data.train.n,
                  ms: e.ms,
                  backend,
                  ts: deps.now().toISOString(),
                },
              ],
              {
                model: spec.model,
                part: metricsPart(`${runId}-epoch-${String(e.epoch).padStart(6, '0')}-attempt-${attempt}`),
              },
            );
            const prefix = checkpointPrefix(runId, e.epoch);
            await saveModelBundle(store, prefix, tf, model, data.preprocessing);
            await store.putJson(`${prefix}state.json`, {
              epoch: e.epoch,
              earlyStoppingState: e.earlyStoppingState,
              attempt,
            } satisfies CheckpointState);
            heartbeat({ epoch: e.epoch, loss: e.loss, valLoss: e.valLoss, metric: e.metric });
            if (signal.aborted) throw new CancelledFailure('training cancelled');
          },
        });
      } catch (err) {
        model.optimizer?.dispose();
        model.dispose();
        throw asNonRetryable(err);
      }

      const modelPrefix = `runs/${runId}/model/`;
      await saveModelBundle(store, modelPrefix, tf, model, data.preprocessing);
      // tfjs does not free an optimizer it did not create with the model: Adam's state would leak.
      model.optimizer?.dispose();
      model.dispose();
      return {
        modelPrefix,
        preprocessingKey: `${modelPrefix}preprocessing.json`,
        backend,
        backendReason: reason,
        epochsTrained: summary.lastEpoch,
        lastEpoch: summary.lastEpoch,
        resumedFromEpoch: checkpoint?.epoch ?? 0,
        stoppedEarly: summary.stoppedEarly,
        finalLoss: summary.last?.loss ?? null,
        finalValLoss: summary.last?.valLoss ?? null,
        trainRows: data.train.n,
        validationRows: data.validation.n,
        inputSchema,
      };
    },
  };
}

function buildModel(tf: Tf, spec: PipelineSpec, data: PreparedData): LayersModel {
  const t = spec.training;
  return buildMlp(tf, {
    inputDim: data.preprocessing.preprocessor.inputDim,
    task: spec.task,
    numClasses:
      data.preprocessing.labels.task === 'regression' ? 1 : data.preprocessing.labels.classes.length,
    hiddenLayers: t.hiddenLayers,
    activation: t.activation,
    learningRate: t.learningRate,
    seed: t.seed,
  });
}

/** Problems no retry can fix (bad data or hyper-parameters) end the run; others are retried. */
function asNonRetryable(err: unknown): unknown {
  if (
    err instanceof TrainingDivergedError ||
    err instanceof ModelInputError ||
    err instanceof PreprocessingError ||
    err instanceof LabelEncodingError
  ) {
    return ApplicationFailure.nonRetryable(err.message, FailureType.InvalidInput);
  }
  return err;
}
