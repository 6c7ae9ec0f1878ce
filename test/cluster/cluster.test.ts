// Ferry on a production-shaped cluster (`npm run test:cluster` starts it: PostgreSQL, Temporal's four
// services as separate processes, 4-drive MinIO, two pipeline and two training workers, the API and
// two serving replicas). The same code as on the dev server; these tests check what only a cluster
// can show: work split across worker processes, a training worker killed mid-epoch and its twin
// resuming from the checkpoint, the history service killed and restarted under running pipelines,
// and a serving replica killed under load while clients that retry lose nothing.
// Tests named "[short]" are the subset .ci/run runs (`npm run test:cluster -- --short`).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import proto from '@temporalio/proto';
import { baseEnv } from '../../core/config.js';
import type { TrainingPipelineInput } from '../../core/contracts/index.js';
import { generateChurnRows } from '../../core/datasets/synthetic-churn.js';
import type { CheckpointHead } from '../../core/model/checkpoints.js';
import type { PipelineSpec } from '../../core/pipeline-spec/schema.js';
import { specHash } from '../../core/pipeline-spec/load.js';
import { startTrainingRun } from '../../core/runs/start-run.js';
import { keys } from '../../core/storage/keys.js';
import { runEpochs } from '../../core/warehouse/queries.js';
import { clusterPorts } from '../../infra/local/cluster-ports.js';
import { clusterWorkers, servingUrl } from '../../infra/local/cluster-stack.js';
import { isRunning, readPidFile } from '../../infra/local/processes.js';
import { createStack } from '../../infra/local/stack.js';
import { epochsTrainedMoreThanOnce } from '../helpers/metrics-queries.js';
import { createHarness, eventually, type Harness } from '../helpers/pipeline.js';

const EventType = proto.temporal.api.enums.v1.EventType;

let h: Harness;
let stack: ReturnType<typeof createStack>;
/** The model trained and promoted by the end-to-end test, served by the replicas afterwards. */
let servedModel: string | undefined;
let snapshot: string;

before(async () => {
  h = await createHarness({ worker: false });
  assert.equal(h.config.stack, 'cluster', 'run these with `npm run test:cluster`');
  stack = createStack({ config: h.config, env: baseEnv(), log: () => {} });
  snapshot = await h.ingestChurn({ rows: 3000, seed: 41 });
});
after(async () => {
  await h?.close();
});

/** Starts a run on the cluster's own queues, where its worker processes poll (not a test queue). */
function startOnCluster(spec: PipelineSpec, input: Partial<TrainingPipelineInput> = {}) {
  return startTrainingRun({
    client: h.client,
    taskQueue: h.config.temporal.taskQueue,
    trainTaskQueue: h.config.temporal.trainTaskQueue,
    input: {
      spec,
      specHash: specHash(spec),
      trigger: 'test',
      triggeredBy: 'cluster-test',
      datasetSnapshot: snapshot,
      approvalPolicy: 'auto',
      ...input,
    },
  });
}

const quickSpec = () =>
  h.spec((s) => ({
    ...s,
    training: { ...s.training, epochs: 2, earlyStopping: undefined },
    evaluation: { ...s.evaluation, maxRegression: 1, thresholds: { auc: 0.5 } },
  }));

/** Each worker process's identities (one per queue it serves), from its /readyz. */
async function workerIdentities(): Promise<Map<string, string[]>> {
  const ports = clusterPorts(h.config);
  const out = new Map<string, string[]>();
  await Promise.all(
    clusterWorkers.map(async (w, i) => {
      const res = await fetch(`http://127.0.0.1:${ports.workers[i]}/readyz`);
      const body = (await res.json()) as { queues: { identity: string }[] };
      out.set(
        w.name,
        body.queues.map((q) => q.identity),
      );
    }),
  );
  return out;
}

/** Who started each activity of a run (type → identities), from its ActivityTaskStarted events. */
async function activityWorkers(workflowId: string): Promise<Map<string, Set<string>>> {
  const history = await h.client.workflow.getHandle(workflowId).fetchHistory();
  const types = new Map<string, string>();
  const out = new Map<string, Set<string>>();
  for (const e of history.events ?? []) {
    if (e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
      types.set(String(e.eventId), e.activityTaskScheduledEventAttributes!.activityType!.name!);
    if (e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED) {
      const a = e.activityTaskStartedEventAttributes!;
      const type = types.get(String(a.scheduledEventId))!;
      out.set(type, (out.get(type) ?? new Set()).add(a.identity!));
    }
  }
  return out;
}

/** SIGKILLs a stack component's whole process group, as a crash would, and waits until it is gone. */
async function crash(name: string): Promise<number> {
  const record = await readPidFile(stack.pidFile(name));
  assert.ok(record && isRunning(record), `${name} is not running`);
  process.kill(-record.pid, 'SIGKILL');
  await eventually(`${name} to die`, async () => !isRunning(record) || undefined, 10_000);
  return record.pid;
}

test('[short] the churn pipeline runs end to end, its light and heavy steps on different worker processes', async () => {
  const spec = quickSpec();
  const handle = await startOnCluster(spec);
  const result = await handle.result();
  assert.equal(result.outcome, 'promoted', JSON.stringify(result));
  servedModel = spec.model;

  const identities = await workerIdentities();
  const pipelineIds = new Set(
    clusterWorkers.filter((w) => w.queue === 'pipeline').flatMap((w) => identities.get(w.name)!),
  );
  const trainIds = new Set(
    clusterWorkers.filter((w) => w.queue === 'train').flatMap((w) => identities.get(w.name)!),
  );
  const byType = await activityWorkers(handle.workflowId);
  for (const heavy of ['validateDataset', 'trainModel', 'evaluateModel']) {
    const who = [...(byType.get(heavy) ?? [])];
    assert.ok(who.length > 0, `${heavy} never started`);
    for (const id of who) assert.ok(trainIds.has(id), `${heavy} ran on ${id}, not a training worker`);
  }
  const light = [...byType.entries()].filter(
    ([t]) => !['validateDataset', 'trainModel', 'evaluateModel'].includes(t),
  );
  assert.ok(light.length > 0);
  for (const [type, who] of light)
    for (const id of who) assert.ok(pipelineIds.has(id), `${type} ran on ${id}, not a pipeline worker`);
});

test('[short] a serving replica killed under load: the other answers and no request is lost when clients retry', async () => {
  assert.ok(servedModel, 'needs the model promoted by the end-to-end test');
  const ports = clusterPorts(h.config);
  const replicas = ports.serving.map((p) => servingUrl(h.config.bindHost, p, false));
  const viewer = h.config.api.tokens.find((t) => t.role === 'viewer')!;
  const rows = [...generateChurnRows({ rows: 50, seed: 5 })].map(
    ({ churned: _label, ...features }) => features,
  );
  const predictOn = async (base: string, row: object): Promise<number> => {
    const res = await fetch(`${base}/v1/models/${servedModel}/predict`, {
      method: 'POST',
      headers: { authorization: `Bearer ${viewer.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ rows: [row] }),
      signal: AbortSignal.timeout(5000),
    });
    await res.arrayBuffer();
    return res.status;
  };
  // Both replicas serve the champion (they read the deployment from object storage).
  for (const base of replicas)
    await eventually(
      `${base} to serve ${servedModel}`,
      async () => (await predictOn(base, rows[0]!)) === 200 || undefined,
      60_000,
    );

  // Bounded load: 4 clients, each request to the next replica in turn; a failed attempt (refused
  // connection, 5xx) is retried on the other replica, up to 6 attempts with a short back-off.
  const lanes = 4;
  const durationMs = 8000;
  const stats = { requests: 0, answered: 0, lost: 0, retried: 0, answeredBySurvivorAfterKill: 0 };
  let killedAt = 0;
  let next = 0;
  const started = Date.now();
  const lane = async () => {
    while (Date.now() - started < durationMs) {
      stats.requests++;
      const first = next++ % replicas.length;
      let ok = false;
      for (let attempt = 0; attempt < 6 && !ok; attempt++) {
        const target = (first + attempt) % replicas.length;
        if (attempt > 0) {
          stats.retried++;
          await sleep(50 * attempt);
        }
        const status = await predictOn(replicas[target]!, rows[stats.requests % rows.length]!).catch(() => 0);
        if (status === 200) {
          ok = true;
          if (killedAt && target === 1) stats.answeredBySurvivorAfterKill++;
        } else if (status > 0 && status < 500) assert.fail(`replica ${target} answered ${status}`);
      }
      if (ok) stats.answered++;
      else stats.lost++;
    }
  };
  const killer = (async () => {
    await sleep(2500);
    await crash('serve-1');
    killedAt = Date.now();
  })();
  await Promise.all([...Array.from({ length: lanes }, lane), killer]);
  console.log(`serving under a replica crash: ${JSON.stringify(stats)}`);
  assert.equal(stats.lost, 0, `${stats.lost} of ${stats.requests} requests were lost`);
  assert.equal(stats.answered, stats.requests);
  assert.ok(stats.retried > 0, 'no request ever met the dead replica: the kill did not happen under load');
  assert.ok(stats.answeredBySurvivorAfterKill > 10, 'the surviving replica did not carry the load');

  // The stack brings the replica back.
  await stack.up(['serve-1']);
  assert.equal(await predictOn(replicas[0]!, rows[0]!), 200);
});

test('[short] the history service killed and restarted: pipelines in flight continue and complete', async () => {
  const handles = await Promise.all([1, 2, 3].map(() => startOnCluster(quickSpec())));
  // Let them get going (the first activities start), then take history down mid-run.
  await eventually(
    'the runs to start their first activity',
    async () => {
      const started = await Promise.all(
        handles.map(async (hd) => (await activityWorkers(hd.workflowId)).size > 0),
      );
      return started.every(Boolean) || undefined;
    },
    60_000,
  );
  const t0 = Date.now();
  await crash('temporal-history');
  await sleep(3000);
  await stack.up(['temporal-history']);
  console.log(`history service back after ${Date.now() - t0} ms`);
  const results = await Promise.all(handles.map((hd) => hd.result()));
  for (const r of results) assert.equal(r.outcome, 'promoted', JSON.stringify(r));
});

test('a training worker killed mid-epoch: the other training worker finishes the run from its last checkpoint', async () => {
  const spec = h.spec((s) => ({
    ...s,
    training: { ...s.training, epochs: 8, batchSize: 32, earlyStopping: undefined },
    evaluation: { ...s.evaluation, maxRegression: 1, thresholds: { auc: 0.5 } },
  }));
  const bigger = await h.ingestChurn({ rows: 6000, seed: 22 });
  const handle = await startOnCluster(spec, { datasetSnapshot: bigger });
  const checkpoint = () =>
    h.deps.store
      .getJson<CheckpointHead>(keys.run(handle.workflowId).checkpointHead)
      .then((head) => head.epoch);
  const seenBeforeKill = await eventually(
    'two checkpoints',
    async () => ((await checkpoint()) >= 2 ? checkpoint() : undefined),
    400_000,
  );
  // The training worker running trainModel, by the identity on the pending activity.
  const description = await h.client.workflow.getHandle(handle.workflowId).describe();
  const pending = description.raw.pendingActivities?.find((a) => a.activityType?.name === 'trainModel');
  assert.ok(pending?.lastWorkerIdentity, 'trainModel is not running');
  const identities = await workerIdentities();
  const victim = clusterWorkers.find((w) => identities.get(w.name)!.includes(pending.lastWorkerIdentity!));
  assert.ok(victim && victim.queue === 'train', `trainModel runs on ${pending.lastWorkerIdentity}`);
  await crash(victim.name);
  assert.ok(seenBeforeKill < spec.training.epochs, `training finished before the kill (${seenBeforeKill})`);

  const result = await handle.result();
  assert.equal(result.outcome, 'promoted', JSON.stringify(result));
  const epochs = await runEpochs(h.deps.metrics, handle.workflowId);
  const attempts = [...new Set(epochs.map((e) => e.attempt))];
  assert.ok(attempts.length >= 2, `expected a retried attempt, saw attempts ${attempts.join(', ')}`);
  const resumedAt = Math.min(...epochs.filter((e) => e.attempt !== 1).map((e) => e.epoch));
  assert.ok(
    resumedAt >= seenBeforeKill,
    `the retry started at epoch ${resumedAt}, before checkpoint ${seenBeforeKill}`,
  );
  assert.deepEqual(
    [...new Set(epochs.map((e) => e.epoch))].sort((a, b) => a - b),
    Array.from({ length: spec.training.epochs }, (_, i) => i + 1),
  );
  assert.ok((await epochsTrainedMoreThanOnce(h.deps.metrics, handle.workflowId)) <= 1);
  // The other training worker finished it.
  const trainers = [...((await activityWorkers(handle.workflowId)).get('trainModel') ?? [])];
  const survivor = clusterWorkers.find((w) => w.queue === 'train' && w.name !== victim.name)!;
  assert.ok(
    trainers.some((id) => identities.get(survivor.name)!.includes(id)),
    `trainModel never ran on ${survivor.name}: ${trainers.join(', ')}`,
  );
  console.log(
    `training worker ${victim.name} killed after checkpoint ${seenBeforeKill}; resumed at epoch ${resumedAt} on ${survivor.name}`,
  );
  await stack.up([victim.name]);
});
