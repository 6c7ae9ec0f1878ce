// The pipeline's activities with the real names and signatures but no work: each returns a canned
// result at once, so a run's wall time is Temporal's orchestration alone (bench/orchestration-overhead.ts).
import type { Activities } from '../activities/index.js';
import { keys, modelBundleKeys } from '../core/storage/keys.js';

/**
 * The activities trainingPipelineWorkflow calls with the auto policy, and its rollout child with a
 * direct rollout, typed from the real ones so the shapes cannot drift.
 */
export type PipelineActivities = Pick<
  Activities,
  | 'validateDataset'
  | 'trainModel'
  | 'evaluateModel'
  | 'registerModel'
  | 'recordDecision'
  | 'setTraffic'
  | 'promoteModel'
  | 'recordRun'
>;

const datasetSha = 'b'.repeat(64);

export function createNoopActivities(): PipelineActivities {
  return {
    async validateDataset({ runId }) {
      return {
        datasetSha,
        rowCount: 5000,
        passed: true,
        errors: 0,
        warnings: [],
        reportKey: keys.run(runId).validationReport,
      };
    },
    async trainModel({ runId, spec }) {
      const modelPrefix = keys.run(runId).model('noop');
      return {
        modelPrefix,
        preprocessingKey: modelBundleKeys(modelPrefix).preprocessing,
        backend: 'noop',
        backendReason: 'benchmark',
        epochsTrained: spec.training.epochs,
        lastEpoch: spec.training.epochs,
        resumedFromEpoch: 0,
        stoppedEarly: false,
        finalLoss: 0.4,
        finalValLoss: 0.41,
        trainRows: 3500,
        validationRows: 500,
        inputSchema: {
          numeric: ['a', 'b'],
          categorical: ['c'],
          label: spec.dataset.label,
          classes: ['0', '1'],
        },
      };
    },
    async evaluateModel({ runId }) {
      return {
        passed: true,
        reasons: ['✓ auc 0.8500 ≥ 0.7', '· no champion yet: nothing to compare against'],
        primaryMetric: 'auc',
        metrics: { auc: 0.85, accuracy: 0.8, testRows: 1000 },
        beatsChampion: true,
        reportKey: keys.run(runId).evaluationReport,
        cardKey: keys.run(runId).modelCard,
      };
    },
    async registerModel() {
      return { version: 1 };
    },
    async recordDecision() {},
    async setTraffic() {
      return { revision: 1 };
    },
    async promoteModel() {
      return { fromVersion: null };
    },
    async recordRun() {},
  };
}
