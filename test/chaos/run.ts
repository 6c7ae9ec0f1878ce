// `npm run test:chaos`: faults against a stack of Ferry's own (its state dir, free ports), with every
// run driven through the HTTP API as a user would. Scenarios: a worker SIGKILL storm over concurrent
// runs, Temporal killed and restarted mid-run, MinIO killed and MinIO frozen mid-run, the API killed
// while a run waits for approval, a worker killed mid-validation. It checks what the durability
// promise says and prints one table; the exit code is non-zero when any check failed.
// `--short` is the CI variant (fewer runs, kills and shorter outages).
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { parse as parseYaml } from 'yaml';
import { baseEnv, configEnv, loadConfig } from '../../core/config.js';
import { generateChurnRows, writeChurnCsv } from '../../core/datasets/synthetic-churn.js';
import { createWarehouse } from '../../core/warehouse/store.js';
import { createObjectStore } from '../../core/storage/object-store.js';
import { findFreePortBlock, stackPortCount, stackPortEnv } from '../../infra/local/free-ports.js';
import { readPidFile, sleep } from '../../infra/local/processes.js';
import { createStack, repoRoot } from '../../infra/local/stack.js';
import { buildWorkflowBundle } from '../../worker/bundle.js';
import { workerPid } from '../../worker/create-worker.js';
import { startWorkerPool, type WorkerPool } from './workers.js';
import { runEpochs } from '../../core/warehouse/queries.js';
import { epochsTrainedMoreThanOnce } from '../helpers/metrics-queries.js';

const { values: args } = parseArgs({
  options: {
    short: { type: 'boolean', default: false },
    runs: { type: 'string' },
    kills: { type: 'string' },
    epochs: { type: 'string' },
    'freeze-seconds': { type: 'string' },
    'outage-seconds': { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const settings = {
  runs: Number(args.runs ?? (args.short ? 3 : 8)),
  kills: Number(args.kills ?? (args.short ? 4 : 15)),
  epochs: Number(args.epochs ?? (args.short ? 10 : 16)),
  freezeSeconds: Number(args['freeze-seconds'] ?? (args.short ? 20 : 45)),
  outageSeconds: Number(args['outage-seconds'] ?? (args.short ? 10 : 30)),
};

const secrets = {
  admin: `chaos-admin-${randomUUID()}`,
  approver: `chaos-approver-${randomUUID()}`,
  viewer: `chaos-viewer-${randomUUID()}`,
};
type Who = keyof typeof secrets;

const home = await mkdtemp(join(tmpdir(), 'ferry-chaos-'));
const pipelinesDir = join(home, 'pipelines');
await mkdir(pipelinesDir, { recursive: true });
const env = {
  ...baseEnv(),
  FERRY_HOME: home,
  ...stackPortEnv(await findFreePortBlock({ host: '127.0.0.1', count: stackPortCount })),
  FERRY_S3_BUCKET: 'ferry-chaos',
  FERRY_LOG_LEVEL: 'warn',
  FERRY_PIPELINES_DIR: pipelinesDir,
  // The suite polls and predicts continuously; it tests durability, not the rate limiter.
  FERRY_API_RATE_LIMIT_PER_MINUTE: '1000000',
  FERRY_API_TOKENS: Object.entries(secrets)
    .map(([role, s]) => `chaos-${role}:${role}:${s}`)
    .join(','),
};
const config = loadConfig(env);
const stack = createStack({ config, env: baseEnv(), log: (l) => console.log(`  [stack] ${l.trim()}`) });
const store = createObjectStore(config.s3);
const failures: string[] = [];
const rows: Record<string, string | number>[] = [];

function check(ok: boolean, what: string): boolean {
  if (!ok) failures.push(what);
  return ok;
}

/** One call to the API; network errors (the API or its dependencies down) come back as status 0. */
async function api(
  method: string,
  path: string,
  who: Who,
  body?: unknown,
  contentType = 'application/json',
): Promise<{ status: number; body: Record<string, unknown> }> {
  try {
    const res = await fetch(`${config.api.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${secrets[who]}`,
        ...(body === undefined ? {} : { 'content-type': contentType }),
        ...(method === 'POST' && path.endsWith('/runs') ? { 'idempotency-key': randomUUID() } : {}),
      },
      body:
        body === undefined
          ? undefined
          : typeof body === 'string' || body instanceof Buffer
            ? body
            : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  } catch (err) {
    // No answer at all (refused, reset, timed out): status 0, with what the client saw as the code.
    const cause = (err as { cause?: { code?: unknown } }).cause;
    return { status: 0, body: { code: typeof cause?.code === 'string' ? cause.code : (err as Error).name } };
  }
}

async function ok(method: string, path: string, who: Who, body?: unknown, type?: string) {
  const res = await api(method, path, who, body, type);
  if (res.status < 200 || res.status > 299)
    throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

async function pipelineSpec(name: string, epochs: number): Promise<Record<string, unknown>> {
  const spec = parseYaml(await readFile(join(repoRoot, 'pipelines', 'churn.yaml'), 'utf8')) as Record<
    string,
    Record<string, unknown>
  >;
  delete spec.schedule;
  delete spec.monitoring;
  return {
    ...spec,
    name,
    model: name,
    dataset: { ...spec.dataset, name },
    training: { ...spec.training, epochs, batchSize: 64, earlyStopping: undefined },
    approval: { ...spec.approval, policy: 'auto' },
    rollout: { ...spec.rollout, strategy: 'direct' },
  };
}

async function ingest(name: string, rowCount: number, seed: number): Promise<void> {
  const csv = join(home, `${name}.csv`);
  await writeChurnCsv(csv, { rows: rowCount, seed });
  await ok('POST', `/v1/datasets/${name}`, 'admin', await readFile(csv), 'text/csv');
  await ok(
    'PUT',
    `/v1/pipelines/${name}`,
    'admin',
    await pipelineSpec(name, name === 'chaos' ? settings.epochs : 2),
  );
}

function progress(line: string): void {
  console.log(`${new Date().toISOString().slice(11, 19)} ${line}`);
}

async function trigger(pipeline: string, approval: 'auto' | 'manual' = 'auto'): Promise<string> {
  const body = await ok('POST', `/v1/pipelines/${pipeline}/runs`, 'admin', {
    dataset: pipeline,
    approval,
    reason: 'chaos suite',
  });
  return body.runId as string;
}

interface RunEnd {
  runId: string;
  status: string;
  outcome: string | null;
  version: number | null;
  failure: string | null;
}

/** Polls a run until it closes (the API may be down meanwhile: those polls are retried). */
async function waitRun(runId: string, timeoutMs = 15 * 60_000): Promise<RunEnd> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const res = await api('GET', `/v1/runs/${runId}`, 'viewer');
    if (res.status === 200 && res.body.status !== 'RUNNING') {
      return {
        runId,
        status: String(res.body.status),
        outcome: (res.body.outcome as string | null) ?? null,
        version: (res.body.candidateVersion as number | null) ?? null,
        failure: (res.body.failure as string | null) ?? null,
      };
    }
    await sleep(1000);
  }
  return { runId, status: 'TIMED_OUT_IN_SUITE', outcome: null, version: null, failure: 'suite deadline' };
}

async function runStage(runId: string): Promise<string | null> {
  const res = await api('GET', `/v1/runs/${runId}`, 'viewer');
  return res.status === 200 ? ((res.body.stage as string | null) ?? null) : null;
}

async function epochsDone(runId: string): Promise<number> {
  const res = await api('GET', `/v1/runs/${runId}/epochs`, 'viewer');
  const list = (res.body.epochs as { epoch: number }[] | undefined) ?? [];
  return list.length ? Math.max(...list.map((e) => e.epoch)) : 0;
}

async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs = 10 * 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Kills the worker running `validateDataset` for `runId` the moment it is seen started. False when
 * the run got past validation before that (validation is fast on a warm worker).
 */
async function killDuringValidation(temporal: Client, pool: WorkerPool, runId: string): Promise<boolean> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const d = await temporal.workflow.getHandle(runId).describe();
    const pending = d.raw.pendingActivities ?? [];
    const a = pending.find((p) => p.activityType?.name === 'validateDataset' && p.lastWorkerIdentity);
    const pid = a ? workerPid(a.lastWorkerIdentity!) : undefined;
    if (a && Number(a.state) === 2 /* PENDING_ACTIVITY_STATE_STARTED */ && pid && pool.kill(pid)) return true;
    const past =
      pending.some((p) => p.activityType?.name !== 'validateDataset') || d.status.name !== 'RUNNING';
    if (past) return false;
    await sleep(10);
  }
  throw new Error(`timed out waiting for validateDataset of ${runId} to start on a worker`);
}

async function signal(component: 'temporal' | 'minio' | 'api', sig: NodeJS.Signals): Promise<void> {
  const record = await readPidFile(stack.pidFile(component));
  if (!record) throw new Error(`${component} has no pid file`);
  process.kill(record.pid, sig);
  if (sig === 'SIGKILL') {
    while (isAlive(record.pid)) await sleep(50);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Feature rows of the chaos dataset's shape (labels dropped), for predictions. */
const predictionRows = (rows: number) =>
  [...generateChurnRows({ rows, seed: 5 })].map(({ churned: _l, ...f }) => f);
const probeRows = predictionRows(1);

/** Continuous predictions against the champion; failures are counted per fault phase. */
function startPredictions() {
  const features = predictionRows(4);
  const tally = new Map<string, { total: number; failed: number; answers: Map<string, number> }>();
  let phase = 'idle';
  let paused = false;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      if (!paused) {
        const p = phase;
        const res = await api('POST', '/v1/models/chaos/predict', 'viewer', {
          rows: features,
          requestKey: randomUUID(),
        });
        const t = tally.get(p) ?? { total: 0, failed: 0, answers: new Map<string, number>() };
        t.total++;
        if (res.status !== 200) {
          t.failed++;
          // Which answers failed (status and problem code), so a failing run says why.
          const answer = `${res.status} ${typeof res.body.code === 'string' ? res.body.code : ''}`.trim();
          t.answers.set(answer, (t.answers.get(answer) ?? 0) + 1);
        }
        tally.set(p, t);
      }
      await sleep(100);
    }
  })();
  return {
    setPhase: (p: string) => (phase = p),
    pause: (v: boolean) => (paused = v),
    tally: (p: string) => tally.get(p) ?? { total: 0, failed: 0, answers: new Map<string, number>() },
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

/** sha256 over a version's weight files: equal hashes mean bit-identical models. */
async function weightsHash(model: string, version: number): Promise<string> {
  const detail = await ok('GET', `/v1/models/${model}/versions/${version}`, 'viewer');
  const prefix = (detail.artifacts as { modelPrefix: string }).modelPrefix;
  const files = (await store.list(prefix))
    .filter((o) => o.key.endsWith('.bin'))
    .sort((a, b) => (a.key < b.key ? -1 : 1));
  const h = createHash('sha256');
  for (const f of files) h.update(await store.get(f.key));
  return files.length ? h.digest('hex') : 'no-weights';
}

async function main(): Promise<void> {
  console.log(`chaos suite: ${JSON.stringify(settings)}; state ${home}`);
  await buildWorkflowBundle();
  await stack.up(['temporal', 'minio', 'api']);
  const workerEnv = { ...baseEnv(), ...configEnv(config) };
  const healthPort = await findFreePortBlock({ host: '127.0.0.1', count: 4 });
  const pool = startWorkerPool({
    size: 2,
    env: workerEnv,
    healthPort,
    logDir: join(home, 'logs'),
    restartMs: 1000,
  });
  const connection = await Connection.connect({ address: config.temporal.address });
  const temporal = new Client({ connection, namespace: config.temporal.namespace });
  const predictions = startPredictions();
  const ends: (RunEnd & { scenario: string })[] = [];
  try {
    await ingest('chaos', 20_000, 11);
    await ingest('chaos-big', 300_000, 12);

    progress('control run');
    // Control: no fault. Every other run of `chaos` trains the same data with the same seeds.
    let t0 = Date.now();
    const control = await waitRun(await trigger('chaos'));
    ends.push({ ...control, scenario: 'control' });
    check(
      control.outcome === 'promoted',
      `control run ended ${control.status}/${control.outcome}: ${control.failure}`,
    );
    // Serving remembers "not deployed" for a poll interval, so the first champion reaches the API up to
    // a second after the run ends; the fault phases count from the moment it serves, not before.
    await waitFor(
      'the first champion to serve',
      async () =>
        (
          await api('POST', '/v1/models/chaos/predict', 'viewer', {
            rows: probeRows,
            requestKey: randomUUID(),
          })
        ).status === 200,
      30_000,
    );
    const controlHash = await weightsHash('chaos', control.version ?? 1);
    rows.push({
      scenario: 'control (no fault)',
      runs: 1,
      faults: 0,
      seconds: Math.round((Date.now() - t0) / 1000),
    });

    progress('worker SIGKILL storm');
    // Worker SIGKILL storm over concurrent runs.
    predictions.setPhase('worker-storm');
    t0 = Date.now();
    const stormIds = await Promise.all(Array.from({ length: settings.runs }, () => trigger('chaos')));
    const stormDone = Promise.all(stormIds.map((id) => waitRun(id)));
    let finished = false;
    void stormDone.then(() => (finished = true));
    const killsBefore = pool.kills;
    while (!finished && pool.kills - killsBefore < settings.kills) {
      await sleep(2500 + Math.random() * 3000);
      if (!finished) pool.kill();
    }
    const stormEnds = await stormDone;
    ends.push(...stormEnds.map((e) => ({ ...e, scenario: 'worker-storm' })));
    rows.push({
      scenario: 'worker SIGKILL storm',
      runs: settings.runs,
      faults: pool.kills - killsBefore,
      seconds: Math.round((Date.now() - t0) / 1000),
    });

    progress('Temporal outage');
    // Temporal killed mid-training, down for the outage, restarted.
    predictions.setPhase('temporal');
    t0 = Date.now();
    const tRun = await trigger('chaos');
    await waitFor('two epochs before the Temporal outage', async () => (await epochsDone(tRun)) >= 2);
    await signal('temporal', 'SIGKILL');
    await sleep(settings.outageSeconds * 1000);
    await stack.up(['temporal']);
    ends.push({ ...(await waitRun(tRun)), scenario: 'temporal' });
    rows.push({
      scenario: `Temporal killed, ${settings.outageSeconds} s down`,
      runs: 1,
      faults: 1,
      seconds: Math.round((Date.now() - t0) / 1000),
    });

    progress('MinIO kill and freeze');
    // MinIO killed mid-training and restarted; later in the same run, frozen (SIGSTOP) then thawed.
    predictions.setPhase('minio');
    t0 = Date.now();
    const mRun = await trigger('chaos');
    await waitFor('two epochs before the MinIO kill', async () => (await epochsDone(mRun)) >= 2);
    await signal('minio', 'SIGKILL');
    await sleep(10_000);
    await stack.up(['minio']);
    const frozenAt = Math.min(settings.epochs - 2, (await epochsDone(mRun)) + 2);
    await waitFor(
      `epoch ${frozenAt} before the MinIO freeze`,
      async () => (await epochsDone(mRun)) >= frozenAt,
    );
    await signal('minio', 'SIGSTOP');
    await sleep(settings.freezeSeconds * 1000);
    await signal('minio', 'SIGCONT');
    ends.push({ ...(await waitRun(mRun)), scenario: 'minio' });
    rows.push({
      scenario: `MinIO killed 10 s, frozen ${settings.freezeSeconds} s`,
      runs: 1,
      faults: 2,
      seconds: Math.round((Date.now() - t0) / 1000),
    });

    progress('API kill at the approval gate');
    // The API killed while a run waits for approval; restarted; the approval still lands.
    predictions.pause(true);
    t0 = Date.now();
    const aRun = await trigger('chaos', 'manual');
    await waitFor('the approval gate', async () => (await runStage(aRun)) === 'approval');
    await signal('api', 'SIGKILL');
    await stack.up(['api']);
    await ok('POST', `/v1/runs/${aRun}/approve`, 'approver', {
      comment: 'chaos suite: approved after an API restart',
    });
    ends.push({ ...(await waitRun(aRun)), scenario: 'api-at-approval' });
    rows.push({
      scenario: 'API killed at the approval gate',
      runs: 1,
      faults: 1,
      seconds: Math.round((Date.now() - t0) / 1000),
    });
    predictions.pause(false);

    progress('worker kill mid-validation');
    // A worker killed while it runs validateDataset: the retry must start within seconds, not minutes.
    predictions.setPhase('validation');
    t0 = Date.now();
    // Validating 300k rows takes about a second, so the probe polls tightly and a run whose
    // validation finished before it was caught is waited for and the scenario tried again.
    let vRun = '';
    let killedAt = 0;
    let missed = 0;
    for (let attempt = 1; attempt <= 5 && !killedAt; attempt++) {
      vRun = await trigger('chaos-big');
      const caught = await killDuringValidation(temporal, pool, vRun);
      if (caught) killedAt = Date.now();
      else {
        missed++;
        ends.push({ ...(await waitRun(vRun)), scenario: 'validation' });
      }
    }
    check(killedAt > 0, `no worker was caught running validateDataset in ${missed} runs`);
    await waitFor('validation finished after the kill', async () => {
      const stage = await runStage(vRun);
      return stage !== null && stage !== 'validate';
    });
    const recoverySeconds = Math.round((Date.now() - killedAt) / 1000);
    check(
      recoverySeconds <= 60,
      `validation took ${recoverySeconds} s to recover from a worker kill (limit 60 s)`,
    );
    ends.push({ ...(await waitRun(vRun)), scenario: 'validation' });
    rows.push({
      scenario: `worker killed mid-validation (recovered in ${recoverySeconds} s)`,
      runs: 1 + missed,
      faults: 1,
      seconds: Math.round((Date.now() - t0) / 1000),
    });

    await verify(ends, controlHash, pool.kills, predictions);
  } finally {
    await predictions.stop();
    await pool.stop();
    await connection.close();
    await stack.down();
    if (!args.keep && failures.length === 0) await rm(home, { recursive: true, force: true });
    else console.log(`state and logs kept: ${home}`);
  }
}

async function verify(
  ends: (RunEnd & { scenario: string })[],
  controlHash: string,
  kills: number,
  predictions: ReturnType<typeof startPredictions>,
): Promise<void> {
  for (const e of ends)
    check(
      e.outcome === 'promoted',
      `${e.scenario} run ${e.runId} ended ${e.status}/${e.outcome}: ${e.failure}`,
    );

  const metrics = createWarehouse({ store, cacheDir: join(home, 'cache', 'chaos-metrics') });
  let retrained = 0;
  try {
    const dup = await metrics.query<{ n: bigint }>(
      'SELECT count(*) AS n FROM (SELECT run_id, attempt, epoch FROM training_epochs GROUP BY ALL HAVING count(*) > 1)',
    );
    check(Number(dup[0]?.n ?? 0) === 0, `${dup[0]?.n} duplicate (run, attempt, epoch) metric rows`);
    for (const e of ends) retrained += await epochsTrainedMoreThanOnce(metrics, e.runId);
    check(retrained <= kills, `${retrained} epochs re-trained for ${kills} worker kills`);
    for (const e of ends) {
      const list = await runEpochs(metrics, e.runId);
      const distinct = new Set(list.map((r) => r.epoch)).size;
      const expected = e.scenario === 'validation' ? 2 : settings.epochs;
      check(distinct === expected, `${e.scenario} run ${e.runId} recorded ${distinct} of ${expected} epochs`);
    }
  } finally {
    await metrics.close();
  }

  const identical: string[] = [];
  for (const model of ['chaos', 'chaos-big']) {
    const detail = await ok('GET', `/v1/models/${model}`, 'viewer');
    const versions =
      (detail.versions as { version: number; lineage?: { runId: string }; runId?: string }[]) ?? [];
    const numbers = versions.map((v) => v.version).sort((a, b) => a - b);
    const mine = ends.filter((e) => (model === 'chaos') === (e.scenario !== 'validation'));
    check(
      numbers.length === mine.length && numbers.every((n, i) => n === i + 1),
      `${model}: versions ${numbers.join(',')} for ${mine.length} runs (want 1..${mine.length}, no gaps or duplicates)`,
    );
    const byRun = new Map<string, number>();
    for (const v of versions) {
      const runId = v.lineage?.runId ?? v.runId ?? '';
      byRun.set(runId, (byRun.get(runId) ?? 0) + 1);
    }
    for (const e of mine)
      check(byRun.get(e.runId) === 1, `${e.runId} has ${byRun.get(e.runId) ?? 0} versions`);
  }
  for (const e of ends.filter((x) => x.scenario !== 'validation' && x.scenario !== 'control' && x.version)) {
    const hash = await weightsHash('chaos', e.version!);
    if (
      check(
        hash === controlHash,
        `${e.scenario} run ${e.runId} v${e.version}: weights differ from the control run`,
      )
    )
      identical.push(e.runId);
  }

  const faultPhases = ['worker-storm', 'temporal', 'minio', 'validation'];
  const preds = faultPhases.map((p) => ({ phase: p, ...predictions.tally(p) }));
  for (const p of preds)
    check(
      p.failed === 0,
      `${p.failed} of ${p.total} predictions failed during ${p.phase} (${[...p.answers].map(([a, n]) => `${a} ×${n}`).join(', ')})`,
    );

  console.log('\nChaos suite');
  console.table(rows);
  console.table([
    {
      'runs ended as expected': `${ends.filter((e) => e.outcome === 'promoted').length}/${ends.length}`,
      'worker kills': kills,
      're-trained epochs': retrained,
      'bit-identical to control': `${identical.length}/${ends.filter((x) => x.scenario !== 'validation' && x.scenario !== 'control').length}`,
    },
  ]);
  console.table(preds.map((p) => ({ 'predictions during': p.phase, total: p.total, failed: p.failed })));
}

try {
  await main();
} catch (err) {
  failures.push(`suite error: ${(err as Error).stack ?? String(err)}`);
}
if (failures.length) {
  console.error(`\n✗ ${failures.length} check(s) failed:\n- ${failures.join('\n- ')}`);
  process.exitCode = 1;
} else {
  console.log('\n✓ every chaos check passed');
}
