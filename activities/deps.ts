// What activities need from the outside world; the worker wires real ones, tests may pass others.
import type { Client } from '@temporalio/client';
import type { AuditLog } from '../core/audit/log.js';
import type { DatasetCatalog } from '../core/datasets/catalog.js';
import type { Warehouse } from '../core/warehouse/store.js';
import type { PipelineSpecStore } from '../core/pipelines/spec-store.js';
import type { Registry } from '../core/registry/registry.js';
import type { DeploymentStore } from '../core/serving/deployment.js';
import type { ObjectStore } from '../core/storage/object-store.js';
import type { WebhookTargetPolicy } from '../core/webhooks/target.js';

export interface ActivityDeps {
  store: ObjectStore;
  catalog: DatasetCatalog;
  metrics: Warehouse;
  registry: Registry;
  /** Decisions, promotions and rollbacks made inside runs land here, like the API's calls. */
  audit: AuditLog;
  /** Which versions serve traffic (changed by the rollout). */
  deployments: DeploymentStore;
  /** Local cache of snapshots (content-addressed; deleting it loses nothing). */
  cacheDir: string;
  now: () => Date;
  /** Git revision of the worker's code, recorded in each version's lineage. */
  codeRevision?: string;
  /** For activities that start workflows (the drift monitor's retraining run). */
  temporal?: { client: Client; taskQueue: string; trainTaskQueue: string };
  /** Registered spec versions: webhook URLs are looked up here, never carried in Temporal inputs. */
  pipelines?: PipelineSpecStore;
  /** Where webhooks may go and the key that signs them (no secret: none is sent). */
  webhooks?: { policy: WebhookTargetPolicy; secret?: string };
}
