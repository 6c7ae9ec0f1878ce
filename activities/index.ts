// Every activity the worker registers, built from injected dependencies.
import type { ObjectStore } from '../core/storage/object-store.js';
import { createArtifactActivities } from './artifacts.js';

export interface ActivityDeps {
  store: ObjectStore;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createArtifactActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
