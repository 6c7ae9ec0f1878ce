// API trigger and read latency: POST /v1/pipelines/{p}/runs (start a training run) and
// GET /v1/runs/{id} on the real API app against the local stack, at 16 concurrent clients, next to
// a bare Fastify app answering the same requests with a constant JSON body, in the same run.
// Triggered runs are only started (no activity worker: they wait at their first activity) and every
// one is terminated at the end. The load generator is this script forked with `--client`.
//
//   npm run bench:api -- [--seconds 15] [--concurrency 16] [--warmup 2]
import { rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { NativeConnection as TemporalConnection, Worker as TemporalWorker } from '@temporalio/worker';
import {
  forkLoadClient,
  listenOnFreePort,
  perSecond,
  phaseFigures,
  profileTables,
  profileWhile,
  runRole,
  type LoadJob,
  type Phase,
} from './lib/http-load.js';
import { fmt, intOptions, printResult, summarize, table, tableOf } from './lib/report.js';

// ---------------------------------------------------------------------------------------------
// The server process: the API app, the bare baseline, a workflow-only worker for the read phase.

/** Wall time of every call to the instrumented methods while `recording.on`, by `object.method`. */
const spans = new Map<string, number[]>();
const recording = { on: false };
/** Instrumented calls not yet settled (an abandoned status query keeps one open). */
let outstanding = 0;

/**
 * Replaces `names` on `target` with wrappers that time the promises they return. The catalogs, the
 * audit log and the Temporal client look these methods up on the object at each call, so every
 * S3 request and every Temporal RPC the API makes is seen.
 */
function instrument(target: object, prefix: string, names: readonly string[]): void {
  const obj = target as Record<string, unknown>;
  for (const name of names) {
    const fn = obj[name];
    if (typeof fn !== 'function') continue;
    obj[name] = (...args: unknown[]) => {
      const started = performance.now();
      const result: unknown = fn.apply(target, args);
      if (!(result instanceof Promise)) return result;
      outstanding++;
      const done = () => {
        outstanding--;
        if (!recording.on) return;
        const key = `${prefix}.${name}`;
        const list = spans.get(key) ?? [];
        list.push(performance.now() - started);
        spans.set(key, list);
      };
      result.then(done, done);
      return result;
    };
  }
}

/** Runs `fn` over `items` with at most `lanes` in flight. */
async function inLanes<T>(items: readonly T[], lanes: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

async function server(): Promise<void> {
  // Imported here, not at the top, so the forked client does not load Temporal, tfjs and the AWS SDK.
  const { default: Fastify } = await import('fastify');
  const { NativeConnection, Worker } = await import('@temporalio/worker');
  const { buildApp } = await import('../api/app.js');
  const { createApiDeps } = await import('../api/create-deps.js');
  const { storedTokens, tokens } = await import('../test/helpers/api.js');
  const { createHarness, eventually } = await import('../test/helpers/pipeline.js');
  const { buildWorkflowBundle } = await import('../worker/bundle.js');

  const opts = intOptions({ seconds: 15, concurrency: 16, warmup: 2 });
  const loadBefore = loadavg()[0]!;

  // ---- a unique pipeline over a tiny dataset, and the real API app on the dev stack ----
  const h = await createHarness({ worker: false });
  const pipeline = `bench-api-${h.id}`;
  const taskQueue = `bench-api-${h.id}`;
  await h.ingestChurn({ rows: 1000 });
  const spec = h.spec((s) => ({ ...s, name: pipeline, model: pipeline }));
  const base = await createApiDeps(h.config, { tokens: storedTokens, cacheSuffix: `bench-api-${h.id}` });
  // A rate limit far above the load, so the figures are the API's and not the limiter's 429s.
  const deps = {
    ...base,
    taskQueue,
    trainTaskQueue: `${taskQueue}-train`,
    limits: { ...base.limits, rateLimitPerMinute: 1_000_000 },
  };
  await deps.pipelines.put(spec, 'bench/api-triggers.ts');
  instrument(deps.store, 's3', Object.keys(deps.store));
  instrument(deps.temporal.workflowService, 'temporal', [
    'startWorkflowExecution',
    'describeWorkflowExecution',
    'queryWorkflow',
    'getWorkflowExecutionHistory',
  ]);
  const app = await buildApp(deps, { logger: false });
  const apiPort = await listenOnFreePort(app);

  // The baseline: the same two routes answering constant JSON of the same shape, nothing behind them.
  const bare = Fastify({ logger: false });
  const bareRunId = `train-${pipeline}-req-0123456789abcdef01234567`;
  const bareLinks = {
    self: `/v1/runs/${bareRunId}`,
    temporalUi: `http://127.0.0.1:8233/namespaces/default/workflows/${bareRunId}`,
  };
  bare.post('/v1/pipelines/:pipeline/runs', async (_req, reply) =>
    reply.code(202).send({ runId: bareRunId, status: 'RUNNING', links: bareLinks }),
  );
  // What a run waiting at its first task has none of yet.
  const bareNulls =
    'datasetSha candidateVersion metrics validation evaluation waitingFor approvalDeadline decision outcome failure';
  bare.get('/v1/runs/:runId', async (req) => ({
    runId: (req.params as { runId: string }).runId,
    pipeline,
    model: pipeline,
    status: 'RUNNING',
    stage: 'validate',
    trigger: 'api',
    triggeredBy: tokens.operator.name,
    specHash: 'a'.repeat(64),
    ...Object.fromEntries(bareNulls.split(' ').map((field) => [field, null])),
    startedAt: new Date().toISOString(),
    closedAt: null,
    links: bareLinks,
  }));
  const barePort = await listenOnFreePort(bare);
  const operator = { authorization: `Bearer ${tokens.operator.secret}` };
  const viewer = { authorization: `Bearer ${tokens.viewer.secret}` };
  const triggerPath = `/v1/pipelines/${pipeline}/runs`;
  const triggerBody = JSON.stringify({ reason: 'bench/api-triggers.ts' });

  // ---- the client process ----
  const client = forkLoadClient(import.meta.url);

  type ApiPhase = Phase & {
    what: 'trigger' | 'get';
    target: 'api' | 'bare';
    /** The API's S3 requests and Temporal RPCs during the phase, warm-up and tail included. */
    spans: Map<string, number[]>;
  };
  const phases: ApiPhase[] = [];

  async function load(
    name: string,
    what: ApiPhase['what'],
    target: ApiPhase['target'],
    job: Omit<LoadJob, 'concurrency' | 'warmupMs' | 'durationMs'>,
    seconds = opts.seconds,
  ): Promise<ApiPhase> {
    spans.clear();
    recording.on = true;
    const measured = await client.run(
      name,
      { ...job, concurrency: opts.concurrency, warmupMs: opts.warmup * 1000, durationMs: seconds * 1000 },
      1,
    );
    recording.on = false;
    const phase = { ...measured, what, target, spans: new Map(spans) };
    phases.push(phase);
    return phase;
  }

  /** One request from this process, for set-up and probes (not load). */
  async function call(
    method: 'GET' | 'POST',
    path: string,
    headers: Record<string, string>,
    body?: string,
  ): Promise<{ status: number; json: Record<string, unknown>; ms: number }> {
    const started = performance.now();
    const res = await fetch(`http://127.0.0.1:${apiPort}${path}`, {
      method,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body }),
    });
    const json = (await res.json()) as Record<string, unknown>;
    return { status: res.status, json, ms: performance.now() - started };
  }

  const started = new Set<string>();
  let terminated = 0;
  let terminateFailures = 0;
  async function terminateAll(ids: readonly string[]): Promise<number> {
    const began = performance.now();
    await inLanes(ids, opts.concurrency, async (id) => {
      try {
        await h.client.workflow
          .getHandle(id)
          .terminate('bench/api-triggers.ts: benchmark run, never meant to train');
        terminated++;
      } catch {
        terminateFailures++;
      }
    });
    return performance.now() - began;
  }

  // Whatever happens below, no run this bench started may be left running.
  const runningQuery = `WorkflowId STARTS_WITH 'train-${pipeline}-' AND ExecutionStatus = 'Running'`;
  let worker: TemporalWorker | undefined;
  let running: Promise<void> | undefined;
  let nativeConnection: TemporalConnection | undefined;
  async function cleanUp() {
    client.disconnect();
    await app.close();
    await bare.close();
    // Closing a Temporal connection under an in-flight call makes grpc-retry throw from a timer, so
    // wait (bounded) for calls the API abandoned, such as a status query past its 5 s bound.
    const abandoned = outstanding;
    const waitStarted = performance.now();
    while (outstanding > 0 && performance.now() - waitStarted < 60_000)
      await new Promise((r) => setTimeout(r, 100));
    const abandonedSettledMs = performance.now() - waitStarted;
    worker?.shutdown();
    await running;
    await nativeConnection?.close();
    let found = 0;
    for await (const w of h.client.workflow.list({ query: runningQuery })) {
      found++;
      await h.client.workflow
        .getHandle(w.workflowId)
        .terminate('bench/api-triggers.ts: cleanup sweep')
        .catch(() => undefined);
    }
    let stillRunning = 0;
    for await (const _w of h.client.workflow.list({ query: runningQuery })) stillRunning++;
    await deps.metrics.close();
    await deps.temporal.close();
    await h.close();
    // The local caches of the harness and the API (FERRY_HOME/cache, safe to delete).
    await rm(h.deps.cacheDir, { recursive: true, force: true });
    await rm(join(h.config.home, 'cache', `bench-api-${h.id}`), { recursive: true, force: true });
    return { found, stillRunning, abandoned, abandonedSettledMs };
  }

  const measured = await measure().catch(async (err: unknown) => {
    await cleanUp().catch(() => undefined);
    throw err;
  });
  const sweep = await cleanUp();
  const { triggers, bareTriggers, gets, bareGets, noWorkerProbe, triggerRuns, terminateMs, triggerProfile } =
    measured;

  async function measure() {
    console.log(
      `\nAPI on :${apiPort}, bare Fastify on :${barePort}, pipeline ${pipeline}, task queue ${taskQueue}.\n`,
    );
    const first = await call('POST', triggerPath, operator, triggerBody);
    if (first.status !== 202)
      throw new Error(`the first trigger answered ${first.status}: ${JSON.stringify(first.json)}`);
    started.add(first.json.runId as string);

    // ---- triggers: no worker polls the task queue, so each run is started and then waits ----
    const trigger = {
      headers: operator,
      requests: [{ method: 'POST' as const, path: triggerPath, body: triggerBody }],
    };
    const apiTrigger = { ...trigger, port: apiPort, collect: 'runId' };
    const triggers = await load('POST /v1/pipelines/{p}/runs, API', 'trigger', 'api', apiTrigger);
    for (const id of triggers.result.collected) started.add(id);
    // A short CPU profile of this process under the same trigger load: where a trigger's CPU goes.
    const profiledName = 'POST /v1/pipelines/{p}/runs, API, profiled (not in the figures)';
    const {
      value: profiled,
      byArea,
      byFunction,
    } = await profileWhile(() => load(profiledName, 'trigger', 'api', apiTrigger, 5));
    phases.pop();
    for (const id of profiled.result.collected) started.add(id);
    const triggerProfile = { perSecond: perSecond(profiled.result), byArea, byFunction };
    const bareTriggers = await load('POST /v1/pipelines/{p}/runs, bare Fastify', 'trigger', 'bare', {
      ...trigger,
      port: barePort,
    });

    // A read while no worker is polling: the status query cannot be answered and the API waits for its bound.
    const noWorkerProbe = await call('GET', `/v1/runs/${first.json.runId as string}`, viewer);

    const triggerRuns = [...started];
    const terminateMs = await terminateAll(triggerRuns);

    // ---- reads: a workflow-only worker (no activities) answers the status query of 16 waiting runs ----
    nativeConnection = await NativeConnection.connect({ address: h.config.temporal.address });
    worker = await Worker.create({
      connection: nativeConnection,
      namespace: h.config.temporal.namespace,
      taskQueue,
      workflowBundle: { codePath: (await buildWorkflowBundle()).path },
      maxCachedWorkflows: 200,
      shutdownGraceTime: 1000,
    });
    running = worker.run();
    const readRuns: string[] = [];
    for (let i = 0; i < opts.concurrency; i++) {
      const r = await call('POST', triggerPath, operator, triggerBody);
      if (r.status !== 202)
        throw new Error(`trigger for the read phase answered ${r.status}: ${JSON.stringify(r.json)}`);
      readRuns.push(r.json.runId as string);
      started.add(r.json.runId as string);
    }
    for (const id of readRuns) {
      // triggeredBy comes from the status query: set once the worker has run the workflow's first task.
      await eventually(`run ${id} to answer its status query`, async () => {
        const r = await call('GET', `/v1/runs/${id}`, viewer);
        return r.status === 200 && r.json.triggeredBy !== null && r.json.stage === 'validate'
          ? true
          : undefined;
      });
    }
    const gets = await load('GET /v1/runs/{id}, API', 'get', 'api', {
      port: apiPort,
      headers: viewer,
      requests: readRuns.map((id) => ({ method: 'GET', path: `/v1/runs/${id}` })),
    });
    const bareGets = await load('GET /v1/runs/{id}, bare Fastify', 'get', 'bare', {
      port: barePort,
      headers: viewer,
      requests: readRuns.map((id) => ({ method: 'GET', path: `/v1/runs/${id}` })),
    });

    // Every run this bench started; cleanUp() then sweeps for anything visibility still lists as running.
    await terminateAll(readRuns);
    return {
      triggers,
      bareTriggers,
      gets,
      bareGets,
      noWorkerProbe,
      triggerRuns,
      terminateMs,
      triggerProfile,
    };
  }

  const loadAfter = loadavg()[0]!;

  // ---- report ----
  console.log(
    `\nAPI triggers and reads · ${opts.concurrency} concurrent clients · ${opts.seconds} s per phase after ${opts.warmup} s warm-up · load from a forked client process over keep-alive HTTP/1.1\n`,
  );
  console.log(
    tableOf(
      phases.map((p) => ({ name: p.name, ...phaseFigures(p) })),
      [
        ['phase', (f) => f.name],
        ['requests', (f) => String(f.requests)],
        ['errors', (f) => String(f.errors)],
        ['req/s', (f) => fmt(f.requestsPerSecond, 1)],
        ['p50 ms', (f) => fmt(f.p50Ms, 2)],
        ['p99 ms', (f) => fmt(f.p99Ms, 2)],
        ['max ms', (f) => fmt(f.maxMs, 1)],
        ['server CPU ms/req', (f) => fmt(f.serverCpuMsPerRequest, 3)],
        ['client CPU ms/req', (f) => fmt(f.clientCpuMsPerRequest, 3)],
      ],
    ),
  );
  const ratioRow = (label: string, api: ApiPhase, baseline: ApiPhase) => {
    const a = summarize(api.result.latenciesMs);
    const b = summarize(baseline.result.latenciesMs);
    return {
      label,
      throughput: perSecond(api.result) / perSecond(baseline.result),
      p50: a.p50 / b.p50,
      p99: a.p99 / b.p99,
      p50DeltaMs: a.p50 - b.p50,
    };
  };
  const ratios = [ratioRow('trigger', triggers, bareTriggers), ratioRow('GET run', gets, bareGets)];
  console.log('\nAPI against the bare Fastify route (same requests, same client, same process):\n');
  console.log(
    table(
      ['request', 'req/s API / bare', 'p50 API / bare', 'p99 API / bare', 'p50 API − bare ms'],
      ratios.map((r) => [r.label, fmt(r.throughput, 3), fmt(r.p50, 1), fmt(r.p99, 1), fmt(r.p50DeltaMs, 2)]),
    ),
  );
  // Where a request's wall time goes: the S3 requests and Temporal RPCs it makes, from the spans.
  const breakdown = (p: ApiPhase) =>
    [...p.spans.entries()]
      .sort((a, b) => b[1].length - a[1].length)
      .map(([op, times]) => {
        const s = summarize(times);
        return { op, perRequest: times.length / Math.max(1, p.result.total), p50Ms: s.p50, p99Ms: s.p99 };
      });
  for (const p of [triggers, gets]) {
    console.log(
      `\nWhat one ${p.what === 'trigger' ? 'trigger' : 'GET'} waits on (the API's outgoing calls during "${p.name}"):\n`,
    );
    console.log(
      table(
        ['call', 'per request', 'p50 ms', 'p99 ms'],
        breakdown(p).map((b) => [b.op, fmt(b.perRequest, 2), fmt(b.p50Ms, 2), fmt(b.p99Ms, 2)]),
      ),
    );
  }
  console.log(
    `\nAPI process main-thread CPU profile, ${fmt(triggerProfile.perSecond, 1)} triggers/s for 5 s (self time, % of samples):\n`,
  );
  console.log(profileTables(triggerProfile));
  console.log(
    `\nGET /v1/runs/{id} while no worker polls the run's task queue: ${noWorkerProbe.status} in ${fmt(noWorkerProbe.ms, 0)} ms (the status query's 5 s bound).`,
  );
  console.log(
    `Temporal/S3 calls still in flight when the load ended: ${sweep.abandoned} (settled ${fmt(sweep.abandonedSettledMs / 1000, 1)} s later${outstanding > 0 ? `; ${outstanding} never did` : ''}).`,
  );
  console.log(
    `Runs started: ${started.size}; terminated: ${terminated} (${terminateFailures} failed; the trigger phase's ${triggerRuns.length} in ${fmt(terminateMs / 1000, 1)} s); found running by the final sweep: ${sweep.found}, still running after it: ${sweep.stillRunning}.`,
  );
  console.log(`1-minute load average: ${fmt(loadBefore, 2)} before, ${fmt(loadAfter, 2)} after (2 cores).`);
  const summary = (p: ApiPhase) => ({
    name: p.name,
    request: p.what,
    target: p.target,
    concurrency: p.concurrency,
    statuses: p.result.statuses,
    ...phaseFigures(p),
  });
  printResult({
    bench: 'api-triggers',
    seconds: opts.seconds,
    concurrency: opts.concurrency,
    loadGenerator: 'forked client process, node:http keep-alive',
    phases: phases.map(summary),
    ratios,
    breakdown: { trigger: breakdown(triggers), get: breakdown(gets) },
    triggerProfile,
    getWithoutWorker: { status: noWorkerProbe.status, ms: noWorkerProbe.ms },
    abandonedCalls: {
      count: sweep.abandoned,
      settledMs: sweep.abandonedSettledMs,
      neverSettled: outstanding,
    },
    runs: {
      started: started.size,
      terminated,
      terminateFailures,
      sweepFound: sweep.found,
      stillRunning: sweep.stillRunning,
    },
    loadAverage: { before: loadBefore, after: loadAfter },
  });
}

// Last: the forked client takes the other role (see runRole).
await runRole(server);
