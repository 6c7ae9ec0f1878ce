// trainModel: TensorFlow.js on the snapshot's train split. Every epoch writes a checkpoint, a metrics
// row and a heartbeat; a retried attempt (after a worker crash or a timeout) resumes bit-exactly from
// the newest committed checkpoint, and the attempt it replaced can no longer write (see checkpoints.ts).
import { activityInfo, log } from '@temporalio/activity';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { resolveFeatures, type FeatureColumns } from '../core/datasets/features.js';
import { loadSplits, type SplitColumns } from '../core/datasets/load-splits.js';
import { loadTensorflow, type Tf } from '../core/model/backend.js';
import { loadModelBundle, saveModelBundle, type PreprocessingBundle } from '../core/model/bundle-store.js';
import { buildMlp } from '../core/model/mlp.js';
import { encodeLabels, fitLabelEncoder, fitPreprocessor, transform } from '../core/model/preprocessing.js';
import { claimCheckpoints, TrainingSupersededError } from '../core/model/checkpoints.js';
import { modelWeightsSha256, trainEpochs, type TrainingData } from '../core/model/trainer.js';
import type { PipelineSpec } from '../core/pipeline-spec/schema.js';
import { warehousePart } from '../core/warehouse/writer.js';
import { modelBundleKeys } from '../core/storage/keys.js';
import type { ActivityDeps } from './deps.js';
import { startHeartbeat } from './heartbeat.js';
import type { TrainModelInput, TrainingResult } from '../core/contracts/index.js';

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
  const splits = await loadSplits({
    parquetPath: await deps.catalog.localParquet(manifest),
    features,
    split: spec.split,
    numericLabel: spec.task === 'regression',
    keep: ['train', 'validation'],
  });
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

  return {
    async trainModel(input: TrainModelInput): Promise<TrainingResult> {
      const { spec, runId } = input;
      const info = activityInfo();
      const { attempt } = info;
      // Heartbeats from the first moment: loading data can take a while, and a worker that dies
      // doing it must be noticed within the heartbeat timeout, not the start-to-close one.
      const hb = startHeartbeat({ epoch: 0, phase: 'loading' });
      try {
        const { tf, backend, reason } = await loadTensorflow();
        const t = spec.training;

        const lease = await claimCheckpoints(store, runId, {
          execution: `${info.workflowExecution?.runId ?? runId}/${info.activityId}`,
          attempt,
        });
        const resumed = lease.resumeFrom;
        const startEpoch = resumed.prefix ? resumed.epoch : 0;
        let model: LayersModel;
        // Bad data or hyper-parameters (PreprocessingError, LabelEncodingError, ModelInputError,
        // TrainingDivergedError: all InvalidInput) end the run through the worker's activity interceptor.
        let data: PreparedData;
        if (resumed.prefix) {
          const restored = await loadModelBundle(store, resumed.prefix, tf);
          model = restored.model;
          data = await prepareTrainingData(deps, spec, input.datasetSha, restored.preprocessing);
        } else {
          data = await prepareTrainingData(deps, spec, input.datasetSha);
          model = buildModel(tf, spec, data);
        }
        hb.beat({ epoch: startEpoch, phase: 'data-loaded' });

        const inputSchema = {
          numeric: data.features.numeric,
          categorical: data.features.categorical,
          label: data.features.label,
          nulls: spec.serving.nulls,
          ...(data.preprocessing.labels.task !== 'regression'
            ? { classes: data.preprocessing.labels.classes }
            : {}),
        };
        /** Every write is preceded by this: a cancelled or superseded attempt writes nothing more. */
        const mayWrite = async (): Promise<void> => {
          hb.throwIfCancelled();
          await lease.assertOwner();
        };
        let summary;
        let modelPrefix: string;
        let weightsSha256: string;
        try {
          summary = await trainEpochs({
            tf,
            model,
            train: data.train,
            validation: data.validation,
            epochs: t.epochs,
            startEpoch,
            batchSize: t.batchSize,
            seed: t.seed,
            earlyStopping: t.earlyStopping,
            ...(resumed.earlyStoppingState ? { earlyStoppingState: resumed.earlyStoppingState } : {}),
            onEpochEnd: async (e) => {
              hb.beat({ epoch: e.epoch, phase: 'checkpointing' });
              // Checkpoint files first, under this attempt's own prefix (harmless if it turns out superseded),
              // then the epoch's row, then the commit. A crash before the commit re-trains this one epoch.
              await mayWrite();
              const prefix = lease.epochPrefix(e.epoch);
              await saveModelBundle(store, prefix, tf, model, data.preprocessing);
              await mayWrite();
              const row = await metrics.append(
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
                  part: warehousePart(
                    `${runId}-epoch-${String(e.epoch).padStart(6, '0')}-attempt-${attempt}`,
                  ),
                },
              );
              try {
                await lease.commit({ epoch: e.epoch, prefix, earlyStoppingState: e.earlyStoppingState });
              } catch (err) {
                // Lost the run to a successor between the check and the commit: take back the row it will write itself.
                if (err instanceof TrainingSupersededError)
                  await store.delete(row.key).catch(() => undefined);
                throw err;
              }
              hb.beat({ epoch: e.epoch, loss: e.loss, valLoss: e.valLoss, metric: e.metric });
            },
          });
          await mayWrite();
          modelPrefix = lease.modelPrefix();
          await saveModelBundle(store, modelPrefix, tf, model, data.preprocessing);
          weightsSha256 = modelWeightsSha256(model);
        } finally {
          // tfjs does not free an optimizer it did not create with the model: Adam's state would leak.
          model.optimizer?.dispose();
          model.dispose();
        }
        // The activity context logger adds the workflow id, run id and activity type (and trace ids).
        log.info('model trained', {
          epochs: summary.lastEpoch,
          resumedFromEpoch: startEpoch,
          stoppedEarly: summary.stoppedEarly,
          backend,
          trainRows: data.train.n,
        });
        return {
          modelPrefix,
          preprocessingKey: modelBundleKeys(modelPrefix).preprocessing,
          backend,
          backendReason: reason,
          epochsTrained: summary.lastEpoch,
          lastEpoch: summary.lastEpoch,
          resumedFromEpoch: startEpoch,
          stoppedEarly: summary.stoppedEarly,
          finalLoss: summary.last?.loss ?? null,
          finalValLoss: summary.last?.valLoss ?? null,
          trainRows: data.train.n,
          validationRows: data.validation.n,
          inputSchema,
          weightsSha256,
        };
      } finally {
        hb.stop();
      }
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
