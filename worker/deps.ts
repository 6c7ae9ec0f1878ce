// Wires the real dependencies of Ferry's activities from config.
import { join } from 'node:path';
import type { ActivityDeps } from '../activities/deps.js';
import type { FerryConfig } from '../core/config.js';
import { createDatasetCatalog } from '../core/datasets/catalog.js';
import { createMetricsStore } from '../core/metrics/store.js';
import { createRegistry } from '../core/registry/registry.js';
import { createDeploymentStore } from '../core/serving/deployment.js';
import { createObjectStore } from '../core/storage/object-store.js';

/** Real activity dependencies; the local cache lives under FERRY_HOME/cache (safe to delete). */
export function createActivityDeps(config: FerryConfig, cacheSuffix = ''): ActivityDeps {
  const store = createObjectStore(config.s3);
  const cacheDir = join(config.home, 'cache', cacheSuffix);
  const registry = createRegistry({ store });
  return {
    store,
    catalog: createDatasetCatalog({ store, cacheDir }),
    metrics: createMetricsStore({ store, cacheDir }),
    registry,
    deployments: createDeploymentStore({ store, registry }),
    cacheDir,
    now: () => new Date(),
  };
}
