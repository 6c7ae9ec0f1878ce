// Every activity the worker registers, built from injected dependencies.
import { createArtifactActivities } from './artifacts.js';
import type { ActivityDeps } from './deps.js';
import { createEvaluateActivities } from './evaluate-model.js';
import { createMonitorActivities } from './monitor-activities.js';
import { createRegistryActivities } from './registry-activities.js';
import { createRolloutActivities } from './rollout-activities.js';
import { createTrainActivities } from './train-model.js';
import { createValidateActivities } from './validate-dataset.js';

export type { ActivityDeps } from './deps.js';

export function createActivities(deps: ActivityDeps) {
  return {
    ...createArtifactActivities(deps),
    ...createValidateActivities(deps),
    ...createTrainActivities(deps),
    ...createEvaluateActivities(deps),
    ...createRegistryActivities(deps),
    ...createRolloutActivities(deps),
    ...createMonitorActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
