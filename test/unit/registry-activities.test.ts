// Registry and rollout bookkeeping activities run in MockActivityEnvironment over the in-memory
// object store (and a real DuckDB warehouse on top of it): retries register once, and a
// rollback leaves exactly one outcome, one registry event and one audit event.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { ActivityDeps } from '../../activities/deps.js';
import { createRegistryActivities } from '../../activities/registry-activities.js';
import type { RegisterModelInput } from '../../core/contracts/index.js';
import { createRolloutActivities } from '../../activities/rollout-activities.js';
import { createAuditLog } from '../../core/audit/log.js';
import { createDatasetCatalog } from '../../core/datasets/catalog.js';
import { createWarehouse, type Warehouse } from '../../core/warehouse/store.js';
import { createRegistry, type ModelVersion, type RolloutOutcome } from '../../core/registry/registry.js';
import { createDeploymentStore } from '../../core/serving/deployment.js';
import { parseSpec } from '../../core/pipeline-spec/load.js';
import { keys } from '../../core/storage/keys.js';
import { createMemoryObjectStore, type MemoryObjectStore } from '../helpers/memory-object-store.js';

const clock = () => new Date('2026-12-02T10:00:00.000Z');
const spec = parseSpec({
  name: 'churn',
  model: 'churn',
  task: 'binary',
  dataset: { name: 'customers', label: 'churn', features: ['age', 'plan'], categorical: ['plan'] },
});

let dir: string;
const opened: Warehouse[] = [];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-registry-activities-'));
});

after(async () => {
  for (const m of opened) await m.close();
  await rm(dir, { recursive: true, force: true });
});

/** Activity dependencies over one fresh in-memory bucket. */
async function memoryDeps(): Promise<{ deps: ActivityDeps; store: MemoryObjectStore }> {
  const store = createMemoryObjectStore({ now: clock });
  const cacheDir = await mkdtemp(join(dir, 'cache-'));
  const metrics = createWarehouse({ store, cacheDir });
  opened.push(metrics);
  const registry = createRegistry({ store, now: clock });
  const deps: ActivityDeps = {
    store,
    catalog: createDatasetCatalog({ store, cacheDir, now: clock }),
    metrics,
    registry,
    audit: createAuditLog({ store, now: clock }),
    deployments: createDeploymentStore({ store, registry, now: clock }),
    cacheDir,
    now: clock,
    codeRevision: 'test-revision',
  };
  return { deps, store };
}

function registerInput(runId: string): RegisterModelInput {
  return {
    runId,
    spec,
    specHash: 'spec-hash',
    codeRevision: 'unknown',
    datasetSha: 'd'.repeat(64),
    validationKey: keys.run(runId).validationReport,
    training: {
      modelPrefix: keys.run(runId).model('attempt-1-abcd1234'),
      preprocessingKey: `${keys.run(runId).model('attempt-1-abcd1234')}preprocessing.json`,
      backend: 'cpu',
      backendReason: 'test',
      epochsTrained: 3,
      lastEpoch: 3,
      resumedFromEpoch: 0,
      stoppedEarly: false,
      finalLoss: 0.4,
      finalValLoss: 0.45,
      trainRows: 80,
      validationRows: 20,
      inputSchema: { numeric: ['age'], categorical: ['plan'], label: 'churn', classes: ['no', 'yes'] },
    },
    evaluation: {
      passed: true,
      reasons: ['✓ auc 0.8 ≥ 0.7'],
      primaryMetric: 'auc',
      metrics: { auc: 0.8 },
      beatsChampion: true,
      reportKey: keys.run(runId).evaluationReport,
      cardKey: keys.run(runId).modelCard,
    },
  };
}

test('registerModel retried for one run returns its one version, and the next run gets the next number', async () => {
  const { deps, store } = await memoryDeps();
  const { registerModel } = createRegistryActivities(deps);
  const env = new MockActivityEnvironment({ activityType: 'registerModel' });

  const first = await env.run(registerModel, registerInput('run-a'));
  const retried = await env.run(registerModel, registerInput('run-a'));
  const next = await env.run(registerModel, registerInput('run-b'));

  assert.deepEqual([first, retried, next], [{ version: 1 }, { version: 1 }, { version: 2 }]);
  const manifest = await store.getJson<ModelVersion>(keys.modelVersion('churn', 1).manifest);
  assert.equal(manifest.lineage.runId, 'run-a');
  assert.equal(manifest.lineage.codeRevision, 'test-revision');
  assert.deepEqual(await store.getJson(keys.model('churn').byRun('run-b')), { version: 2 });
  assert.deepEqual(
    store.keys().filter((k) => k.startsWith(keys.model('churn').versions)),
    [keys.modelVersion('churn', 1).manifest, keys.modelVersion('churn', 2).manifest],
  );
  // The retry rewrote its own metrics part rather than adding a row.
  assert.deepEqual(
    await deps.metrics.query(
      `SELECT version, event, reason, run_id FROM registry_events WHERE model = 'churn' ORDER BY version`,
    ),
    [
      { version: 1, event: 'registered', reason: 'already registered by this run', run_id: 'run-a' },
      { version: 2, event: 'registered', reason: 'new version', run_id: 'run-b' },
    ],
  );
});

test('markRolledBack retried records one rollout outcome, one registry event and one audit event', async () => {
  const { deps, store } = await memoryDeps();
  const registered = (await new MockActivityEnvironment().run(
    createRegistryActivities(deps).registerModel,
    registerInput('run-c'),
  )) as { version: number };
  const { markRolledBack } = createRolloutActivities(deps);
  const env = new MockActivityEnvironment({ activityType: 'markRolledBack' });
  const input = {
    runId: 'run-c',
    model: 'churn',
    version: registered.version,
    reason: 'error rate 0.2000 > 0.05',
    guards: null,
  };

  await env.run(markRolledBack, input);
  await env.run(markRolledBack, input);

  assert.deepEqual(await store.getJson<RolloutOutcome>(keys.modelVersion('churn', 1).rollout), {
    outcome: 'rolled-back',
    reason: 'error rate 0.2000 > 0.05',
    guards: null,
    runId: 'run-c',
    at: '2026-12-02T10:00:00.000Z',
  });
  assert.deepEqual(
    await deps.metrics.query(
      `SELECT version, event, actor, reason FROM registry_events WHERE model = 'churn' AND event = 'rolled-back'`,
    ),
    [{ version: 1, event: 'rolled-back', actor: 'rollout', reason: 'error rate 0.2000 > 0.05' }],
  );
  const auditKeys = store.keys().filter((k) => k.startsWith(keys.audit.day('2026-12-02')));
  assert.deepEqual(auditKeys, [keys.audit.event('2026-12-02T10:00:00.000Z', 'run-c-rolled-back')]);
  const [event] = await deps.audit.recent(10);
  assert.equal(event?.action, 'roll back candidate');
  assert.equal(event?.target, '/v1/models/churn/versions/1');
});
