// Wires the real dependencies of Ferry's activities from config.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ActivityDeps } from '../activities/deps.js';
import type { FerryConfig } from '../core/config.js';
import { createDatasetCatalog } from '../core/datasets/catalog.js';
import { createWarehouse } from '../core/warehouse/store.js';
import { createAuditLog } from '../core/audit/log.js';
import { createPipelineSpecStore } from '../core/pipelines/spec-store.js';
import { createRegistry, type RegistryConflict } from '../core/registry/registry.js';
import { createDeploymentStore } from '../core/serving/deployment.js';
import { createObjectStore } from '../core/storage/object-store.js';
import { webhookPolicyOf } from '../core/webhooks/secrets.js';

/** The checkout's commit (with "-dirty" for local changes), or "unknown" outside a git checkout. */
export function codeRevision(): string {
  const cwd = dirname(fileURLToPath(import.meta.url));
  const head = spawnSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8' });
  if (head.status !== 0) return 'unknown';
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], {
    cwd,
    encoding: 'utf8',
  });
  return `${head.stdout.trim()}${dirty.stdout.trim() ? '-dirty' : ''}`;
}

/** Real activity dependencies; the local cache lives under FERRY_HOME/cache (safe to delete). */
export function createActivityDeps(
  config: FerryConfig,
  cacheSuffix = '',
  hooks: { onRegistryConflict?: (kind: RegistryConflict) => void } = {},
): ActivityDeps {
  const store = createObjectStore(config.s3);
  const cacheDir = join(config.home, 'cache', cacheSuffix);
  const registry = createRegistry({
    store,
    ...(hooks.onRegistryConflict ? { onConflict: hooks.onRegistryConflict } : {}),
  });
  return {
    store,
    catalog: createDatasetCatalog({ store, cacheDir }),
    metrics: createWarehouse({ store, cacheDir }),
    registry,
    audit: createAuditLog({ store }),
    deployments: createDeploymentStore({ store, registry }),
    cacheDir,
    now: () => new Date(),
    codeRevision: codeRevision(),
    pipelines: createPipelineSpecStore({ store }),
    webhooks: {
      policy: webhookPolicyOf(config),
      ...(config.webhooks.secret ? { secret: config.webhooks.secret } : {}),
    },
  };
}
