// What the API needs from the outside world; api/main.ts wires real ones, tests the test stack's.
import type { Client, Connection } from '@temporalio/client';
import type { AuditLog } from '../core/audit/log.js';
import type { StoredToken } from '../core/auth/tokens.js';
import type { DatasetCatalog } from '../core/datasets/catalog.js';
import type { Warehouse } from '../core/warehouse/store.js';
import type { PipelineSpecStore } from '../core/pipelines/spec-store.js';
import type { Registry } from '../core/registry/registry.js';
import type { Serving } from '../core/serving/service.js';
import type { ObjectStore } from '../core/storage/object-store.js';
import type { WebhookTargetPolicy } from '../core/webhooks/target.js';

export interface ApiDeps {
  temporal: Connection;
  client: Client;
  namespace: string;
  taskQueue: string;
  /** Base URL of the Temporal UI, for links to runs. */
  temporalUiUrl: string;
  store: ObjectStore;
  pipelines: PipelineSpecStore;
  registry: Registry;
  datasets: DatasetCatalog;
  metrics: Warehouse;
  audit: AuditLog;
  tokens: readonly StoredToken[];
  limits: { rateLimitPerMinute: number; maxUploadBytes: number; bodyLimitBytes: number };
  /** Whether /metrics and /docs need a bearer token (every /v1 route always does). */
  requireToken: { metrics: boolean; docs: boolean };
  /** Local scratch space (uploads are streamed here before ingest). */
  scratchDir: string;
  /** How long readiness waits on each dependency (FERRY_DEPENDENCY_TIMEOUT_MS; default 1500 ms). */
  dependencyTimeoutMs?: number;
  now: () => Date;
  /** Model serving (predict, feedback, deployment state); the app closes it on shutdown. */
  serving: Serving;
  /** Where a spec's webhook may point (checked again by the worker at each delivery). */
  webhookPolicy: WebhookTargetPolicy;
  /** Web console sessions; without a secret the app seals cookies with a random key of its own. */
  session: { secret?: string; ttlMs: number; signInFailuresPerMinute: number };
  /** The built web console (ui/dist), served at /ui. */
  uiDir: string;
}
