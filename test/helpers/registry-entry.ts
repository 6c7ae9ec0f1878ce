// A minimal candidate version for registry tests: placeholder artifacts and lineage, tied to one run.
import type { NewVersion } from '../../core/registry/registry.js';

/** A candidate version of `model` produced by run `runId`; every other field is a fixed placeholder. */
export function candidateEntry(model: string, runId: string): NewVersion {
  return {
    model,
    status: 'candidate',
    artifacts: {
      modelPrefix: `runs/${runId}/model/`,
      preprocessingKey: 'p',
      evaluationKey: 'e',
      cardKey: 'c',
      validationKey: 'v',
    },
    metrics: { auc: 0.8 },
    lineage: {
      datasetName: 'd',
      datasetSha: 'x',
      specHash: 'y',
      codeRevision: 'z',
      runId,
      backend: 'cpu',
      seeds: { split: 1, training: 2 },
    },
    inputSchema: { numeric: ['a'], categorical: [], label: 'l' },
  };
}
