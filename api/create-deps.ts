// Wires the API's real dependencies from config (also used by API tests against the test stack).
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createAuditLog } from '../core/audit/log.js';
import { loadTokens, type StoredToken } from '../core/auth/tokens.js';
import type { FerryConfig } from '../core/config.js';
import { fastTemporalOptions } from '../core/dependencies.js';
import { createDatasetCatalog } from '../core/datasets/catalog.js';
import { createLogger } from '../core/logger.js';
import { createWarehouse } from '../core/warehouse/store.js';
import { createPipelineSpecStore } from '../core/pipelines/spec-store.js';
import { createRegistry } from '../core/registry/registry.js';
import { createServing } from '../core/serving/service.js';
import { predictionLogLookup } from '../core/serving/feedback.js';
import { createObjectStore } from '../core/storage/object-store.js';
import { temporalConnectOptions } from '../core/temporal-connection.js';
import { webhookPolicyOf } from '../core/webhooks/secrets.js';
import type { ApiDeps } from './deps.js';

export async function createApiDeps(
  config: FerryConfig,
  options: { tokens?: StoredToken[]; cacheSuffix?: string } = {},
): Promise<ApiDeps> {
  // Every storage call of a request is bounded (retries included): during an outage the API answers
  // 503 within seconds instead of holding the caller (who retries after Retry-After). A refused
  // connection fails at once; the call deadline is for a server that accepts and never answers.
  const store = createObjectStore({
    ...config.s3,
    connectTimeoutMs: config.dependencyTimeoutMs,
    callTimeoutMs: config.dependencyCallTimeoutMs,
  });
  await store.ensureBucket();
  const temporal = await Connection.connect({
    ...(await temporalConnectOptions(config.temporal)),
    ...fastTemporalOptions(config.temporal.address, config.dependencyCallTimeoutMs),
  });
  const cacheDir = join(config.home, 'cache', options.cacheSuffix ?? 'api');
  const metrics = createWarehouse({ store, cacheDir });
  return {
    temporal,
    client: new Client({ connection: temporal, namespace: config.temporal.namespace }),
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    temporalUiUrl: config.temporal.uiUrl,
    store,
    pipelines: createPipelineSpecStore({ store }),
    registry: createRegistry({ store }),
    datasets: createDatasetCatalog({ store, cacheDir }),
    metrics,
    // Spooled under FERRY_HOME while storage is down, so an audit event is never dropped.
    audit: createAuditLog({ store, spoolDir: join(config.home, 'audit-spool') }),
    tokens: options.tokens ?? (await loadTokens(config)),
    limits: {
      rateLimitPerMinute: config.api.rateLimitPerMinute,
      maxUploadBytes: config.api.maxUploadBytes,
      bodyLimitBytes: 1024 * 1024,
    },
    requireToken: config.api.requireToken,
    scratchDir: join(config.home, 'scratch'),
    webhookPolicy: webhookPolicyOf(config),
    session: config.api.session,
    uiDir: config.api.uiDir,
    dependencyTimeoutMs: config.dependencyTimeoutMs,
    now: () => new Date(),
    // The API process serves predictions too (local dev); api/serve-main.ts runs the same serving alone.
    // Serving loads models in the background with the SDK's own patience: no request waits on it.
    serving: createServing({
      store: createObjectStore(config.s3),
      // Feedback for ids another replica served, or this one served before a restart.
      predictionLookup: predictionLogLookup(metrics),
      logThread: { s3: config.s3, cacheDir: join(cacheDir, 'serving') },
      log: createLogger(config.logLevel, 'ferry-serving'),
    }),
  };
}
