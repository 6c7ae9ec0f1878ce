// Serving throughput: predictions/s and latency of POST /v1/models/{model}/predict on the standalone
// serving app (api/serve-main.ts's buildServingApp) for a churn model trained by the real pipeline,
// single rows and batches of 64 at concurrency 16, against a bare Fastify JSON echo route with the
// same bodies in the same run; then a 90/10 canary of two versions to price the router.
// The load generator is this script forked with `--client`, so the server has its event loop to itself.
//
//   npm run bench:serving -- [--seconds 15] [--concurrency 16] [--batch 64] [--rows 5000] [--epochs 3]
import { rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import * as loadgen from './lib/http-load.js';
import { fmt, intOptions, printResult, summarize, table, tableOf } from './lib/report.js';
import { keys } from '../core/storage/keys.js';

/** The targets, on the 2-core dev VM. */
const target = { singleRowPerSecond: 2000, singleRowP99Ms: 10, canaryP50OverheadMs: 1 };

// ---------------------------------------------------------------------------------------------
// The server process: trains, serves, drives the client and reports.

async function server(): Promise<void> {
  // Imported here, not at the top, so the forked client does not load Temporal, tfjs and the AWS SDK.
  const { default: Fastify } = await import('fastify');
  const { buildServingApp } = await import('../api/serve-main.js');
  const { generateChurnRows } = await import('../core/datasets/synthetic-churn.js');
  const { loadTensorflow } = await import('../core/model/backend.js');
  const { createServing } = await import('../core/serving/service.js');
  const { createObjectStore } = await import('../core/storage/object-store.js');
  const { storedTokens, tokens } = await import('../test/helpers/api.js');
  const { createHarness, eventually } = await import('../test/helpers/pipeline.js');

  const opts = intOptions({ seconds: 15, concurrency: 16, batch: 64, rows: 5000, epochs: 3, warmup: 2 });
  const warmupMs = opts.warmup * 1000;
  const loadBefore = loadavg()[0]!;

  // ---- a champion and a second version, trained by the real pipeline (in-process worker) ----
  const trainStarted = performance.now();
  const h = await createHarness();
  const snapshot = await h.ingestChurn({ rows: opts.rows });
  // A loose gate so the second version (another seed) is promoted too, as test/integration/serving.test.ts does.
  const specFor = (seed: number) =>
    h.spec((s) => ({
      ...s,
      training: { ...s.training, epochs: opts.epochs, seed, earlyStopping: undefined },
      evaluation: { ...s.evaluation, maxRegression: 1, thresholds: { auc: 0.5 } },
    }));
  const versions: number[] = [];
  for (const seed of [7, 8]) {
    const result = await (
      await h.start(specFor(seed), { datasetSnapshot: snapshot, approvalPolicy: 'auto' })
    ).result();
    if (result.outcome !== 'promoted')
      throw new Error(`training run ended ${result.outcome}, expected promoted: ${JSON.stringify(result)}`);
    versions.push(result.version);
  }
  const [v1, v2] = versions as [number, number];
  const model = h.spec().model;
  const config = h.config;
  // The worker is done: stop it so it takes no CPU from the serving measurements.
  await h.close();
  await rm(h.deps.cacheDir, { recursive: true, force: true });
  const trainMs = performance.now() - trainStarted;
  const { backend, reason } = await loadTensorflow();

  // ---- the serving replica (as serve-main.ts wires it) and the bare baseline, one process ----
  const store = createObjectStore(config.s3);
  const cacheDir = join(config.home, 'cache', `bench-serve-${h.id}`);
  const serving = createServing({
    store,
    logThread: { s3: config.s3, cacheDir },
    replicaId: `bench-${h.id}`,
  });
  const app = await buildServingApp({ serving, store, tokens: storedTokens }, { logger: false });
  const servingPort = await loadgen.listenOnFreePort(app);
  const bare = Fastify({ logger: false });
  // The baseline does what any JSON route must: parse the body and serialise an answer of the same size.
  bare.post('/echo', async (req) => req.body);
  const barePort = await loadgen.listenOnFreePort(bare);

  const features = [...generateChurnRows({ rows: 256 * opts.batch, seed: 99 })].map(
    ({ churned: _label, ...f }) => f,
  );
  const singleBodies = features.slice(0, 256).map((row) => JSON.stringify({ rows: [row] }));
  const batchBodies = Array.from({ length: 16 }, (_, i) =>
    JSON.stringify({ rows: features.slice(i * opts.batch, (i + 1) * opts.batch) }),
  );
  const predictPath = `/v1/models/${model}/predict`;
  const auth = { authorization: `Bearer ${tokens.viewer.secret}` };

  // ---- the client process ----
  const client = loadgen.forkLoadClient(import.meta.url);
  let clientCpuTotalMs = 0;

  type ServingPhase = loadgen.Phase & { rowsPerRequest: number };
  const phases: ServingPhase[] = [];

  async function load(
    name: string,
    o: {
      port: number;
      bodies: string[];
      path: string;
      rowsPerRequest: number;
      concurrency?: number;
      seconds?: number;
    },
  ): Promise<ServingPhase> {
    // Each phase starts with the prediction log written out, so no phase pays for the one before it.
    await serving.flush();
    const measured = await client.run(
      name,
      {
        port: o.port,
        headers: auth,
        requests: o.bodies.map((body) => ({ method: 'POST', path: o.path, body })),
        concurrency: o.concurrency ?? opts.concurrency,
        warmupMs,
        durationMs: (o.seconds ?? opts.seconds) * 1000,
      },
      0,
    );
    clientCpuTotalMs += measured.result.clientCpuMs;
    const phase = { ...measured, rowsPerRequest: o.rowsPerRequest };
    phases.push(phase);
    return phase;
  }

  /** Sets the deployment and waits until this replica serves it. */
  async function deploy(routes: { version: number; weight: number }[]): Promise<number> {
    const d = await serving.deployments.set(
      model,
      { routes },
      { actor: 'bench', reason: 'bench/serving-throughput.ts' },
    );
    // The first call loads the model's table; later ones poll for the change now instead of within a second.
    await serving.state.table(model);
    await serving.state.poll();
    await eventually(
      `serving to pick up revision ${d.revision}`,
      async () => serving.state.current(model)?.revision === d.revision || undefined,
      10_000,
    );
    return d.revision;
  }

  /** serving.predict() alone, no HTTP: the service path's own cost per single row. */
  async function inProcess(count = 20_000): Promise<{ p50: number; p99: number; perSecond: number }> {
    const rows = features.slice(0, 256).map((row) => [row]);
    for (let i = 0; i < 2000; i++) await serving.predict(model, { rows: rows[i % rows.length]! });
    const times = new Array<number>(count);
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      const t = performance.now();
      await serving.predict(model, { rows: rows[i % rows.length]! });
      times[i] = performance.now() - t;
    }
    const s = summarize(times);
    return { p50: s.p50, p99: s.p99, perSecond: count / ((performance.now() - started) / 1000) };
  }

  const single = { port: servingPort, bodies: singleBodies, path: predictPath, rowsPerRequest: 1 };
  const batch = { port: servingPort, bodies: batchBodies, path: predictPath, rowsPerRequest: opts.batch };
  const c1 = { concurrency: 1, seconds: Math.max(3, Math.round(opts.seconds / 3)) };

  console.log(
    `\nTrained versions ${v1} and ${v2} of ${model} in ${fmt(trainMs / 1000, 1)} s; serving on :${servingPort}, bare Fastify on :${barePort}.\n`,
  );
  // Single version: the champion at 100 % (a stored deployment, so the revision is known).
  await deploy([{ version: v2, weight: 100 }]);
  const forwardKind = serving.cache.peek(model, v2)?.forward.kind ?? 'not loaded';
  // Steady state only: the first seconds after training pay for JIT and the worker's leftovers.
  await load('warm-up (not reported)', { ...batch, seconds: opts.warmup });
  await load('warm-up (not reported)', { ...single, seconds: opts.warmup * 2 });
  phases.length = 0;
  const singleA = await load('single row, one version', single);
  const singleA1 = await load('single row, one version, concurrency 1', { ...single, ...c1 });
  const batchA = await load(`batch of ${opts.batch}, one version`, batch);
  const inProcA = await inProcess();
  const bareSingle = await load('bare Fastify echo, single-row body', {
    port: barePort,
    bodies: singleBodies,
    path: '/echo',
    rowsPerRequest: 1,
  });
  const bareBatch = await load(`bare Fastify echo, ${opts.batch}-row body`, {
    port: barePort,
    bodies: batchBodies,
    path: '/echo',
    rowsPerRequest: opts.batch,
  });

  // Canary: the champion at 90 %, the first version at 10 %, requests without a key (random draw).
  await deploy([
    { version: v2, weight: 90 },
    { version: v1, weight: 10 },
  ]);
  const canary = await load('single row, canary 90/10', single);
  const canary1 = await load('single row, canary 90/10, concurrency 1', { ...single, ...c1 });
  const inProcCanary = await inProcess();

  // One version again, to see how far the machine drifted while the canary ran.
  await deploy([{ version: v2, weight: 100 }]);
  const singleB = await load('single row, one version (again)', single);
  const singleB1 = await load('single row, one version (again), concurrency 1', { ...single, ...c1 });

  // Short CPU profiles of the server's main thread under each load: where a request's time goes.
  // The prediction log's worker thread is not in them; its CPU is in the phases' server CPU.
  async function profiled(name: string, shape: typeof single) {
    const {
      value: phase,
      byArea,
      byFunction,
    } = await loadgen.profileWhile(() =>
      load(`${name}, profiled (not in the verdict)`, { ...shape, seconds: 5 }),
    );
    phases.pop();
    return {
      name,
      perSecond: loadgen.perSecond(phase.result),
      loopBusy: phase.loopBusy,
      byArea,
      byFunction,
    };
  }
  const profiles = [await profiled('single row', single), await profiled(`batch of ${opts.batch}`, batch)];

  client.disconnect();
  // Closing the app closes serving, which flushes the prediction log: its stats are final after this.
  await app.close();
  const logStats = serving.log.stats();
  // The log is millions of rows per run (~100 MB of Parquet): delete the parts this replica wrote.
  const logParts = (await store.list(keys.metrics.partition('predictions', model)))
    .map((o) => o.key)
    .filter((key) => key.includes(`/bench-${h.id}-`));
  for (const key of logParts) await store.delete(key);
  await bare.close();
  await rm(cacheDir, { recursive: true, force: true });
  const loadAfter = loadavg()[0]!;

  // ---- report ----
  console.log(
    `\nServing throughput · ${opts.seconds} s per phase after ${opts.warmup} s warm-up · model ${model} v${v2} (canary with v${v1}) · load from a forked client process over keep-alive HTTP/1.1\n`,
  );
  const figures = phases.map((p) => ({ p, f: loadgen.phaseFigures(p) }));
  console.log(
    tableOf(figures, [
      ['phase', ({ p }) => p.name],
      ['conc.', ({ p }) => String(p.concurrency)],
      ['requests', ({ f }) => String(f.requests)],
      ['errors', ({ f }) => String(f.errors)],
      ['req/s', ({ f }) => fmt(f.requestsPerSecond, 0)],
      ['predictions/s', ({ p, f }) => fmt(f.requestsPerSecond * p.rowsPerRequest, 0)],
      ['p50 ms', ({ f }) => fmt(f.p50Ms, 2)],
      ['p99 ms', ({ f }) => fmt(f.p99Ms, 2)],
      ['max ms', ({ f }) => fmt(f.maxMs, 1)],
      ['server CPU ms/req', ({ f }) => fmt(f.serverCpuMsPerRequest, 3)],
      ['server loop busy %', ({ p }) => fmt(100 * p.loopBusy, 0)],
      ['client CPU ms/req', ({ f }) => fmt(f.clientCpuMsPerRequest, 3)],
    ]),
  );

  const sA = summarize(singleA.result.latenciesMs);
  const sB = summarize(singleB.result.latenciesMs);
  const sC = summarize(canary.result.latenciesMs);
  const s1A = summarize(singleA1.result.latenciesMs);
  const s1B = summarize(singleB1.result.latenciesMs);
  const s1C = summarize(canary1.result.latenciesMs);
  const singleP50 = (sA.p50 + sB.p50) / 2;
  const canaryOverheadMs = sC.p50 - singleP50;
  const canaryOverheadC1Ms = s1C.p50 - (s1A.p50 + s1B.p50) / 2;
  const ratio = (a: loadgen.Phase, b: loadgen.Phase) =>
    loadgen.perSecond(a.result) / loadgen.perSecond(b.result);
  console.log('\nAgainst the bare Fastify echo route (same bodies, same client, same process):\n');
  const againstBare = [
    { body: 'single row', serving: singleA, bare: bareSingle },
    { body: `${opts.batch} rows`, serving: batchA, bare: bareBatch },
  ].map((r) => ({
    ...r,
    s: summarize(r.serving.result.latenciesMs),
    b: summarize(r.bare.result.latenciesMs),
  }));
  console.log(
    tableOf(againstBare, [
      ['body', (r) => r.body],
      ['serving req/s', (r) => fmt(loadgen.perSecond(r.serving.result), 0)],
      ['bare req/s', (r) => fmt(loadgen.perSecond(r.bare.result), 0)],
      ['serving / bare', (r) => fmt(ratio(r.serving, r.bare), 2)],
      ['serving p50 − bare p50 ms', (r) => fmt(r.s.p50 - r.b.p50, 2)],
      ['serving p99 − bare p99 ms', (r) => fmt(r.s.p99 - r.b.p99, 2)],
    ]),
  );
  console.log('\nCanary router (90/10, random draw) against one version:\n');
  console.log(
    table(
      ['measure', 'one version (before / after)', 'canary', 'canary − one version'],
      [
        [
          `HTTP p50 ms, concurrency ${opts.concurrency}`,
          `${fmt(sA.p50, 2)} / ${fmt(sB.p50, 2)}`,
          fmt(sC.p50, 2),
          fmt(canaryOverheadMs, 2),
        ],
        [
          'HTTP p50 ms, concurrency 1',
          `${fmt(s1A.p50, 3)} / ${fmt(s1B.p50, 3)}`,
          fmt(s1C.p50, 3),
          fmt(canaryOverheadC1Ms, 3),
        ],
        [
          'serving.predict() in-process p50 ms',
          fmt(inProcA.p50, 4),
          fmt(inProcCanary.p50, 4),
          fmt(inProcCanary.p50 - inProcA.p50, 4),
        ],
        [
          'serving.predict() in-process calls/s',
          fmt(inProcA.perSecond, 0),
          fmt(inProcCanary.perSecond, 0),
          '',
        ],
      ],
    ),
  );

  for (const p of profiles) {
    console.log(
      `\nServer main-thread CPU profile, ${p.name}, ${fmt(p.perSecond, 0)} req/s for 5 s, event loop ${fmt(100 * p.loopBusy, 0)} % busy (self time, % of samples):\n`,
    );
    console.log(loadgen.profileTables(p));
  }

  const singleMet =
    loadgen.perSecond(singleA.result) >= target.singleRowPerSecond && sA.p99 <= target.singleRowP99Ms;
  const canaryMet = canaryOverheadMs <= target.canaryP50OverheadMs;
  console.log(
    `\nTensorFlow.js backend: ${backend} (${reason}); serving's forward pass for this model: ${forwardKind} (core/serving/forward.ts).`,
  );
  console.log(
    `Prediction log: ${logStats.written} rows written, ${logStats.dropped} dropped, ${logStats.failedWrites} failed writes; its ${logParts.length} Parquet parts deleted afterwards.`,
  );
  console.log(`1-minute load average: ${fmt(loadBefore, 2)} before, ${fmt(loadAfter, 2)} after (2 cores).`);
  console.log(
    `\nTarget (≥ ${target.singleRowPerSecond} single-row predictions/s, p99 ≤ ${target.singleRowP99Ms} ms at concurrency ${opts.concurrency}): ${singleMet ? 'MET' : 'NOT MET'} (${fmt(loadgen.perSecond(singleA.result), 0)}/s, p99 ${fmt(sA.p99, 2)} ms)`,
  );
  console.log(
    `Target (canary router adds ≤ ${target.canaryP50OverheadMs} ms p50): ${canaryMet ? 'MET' : 'NOT MET'} (${fmt(canaryOverheadMs, 2)} ms at concurrency ${opts.concurrency}, ${fmt(canaryOverheadC1Ms, 3)} ms at concurrency 1)`,
  );

  const summary = (p: ServingPhase) => {
    const f = loadgen.phaseFigures(p);
    return {
      name: p.name,
      concurrency: p.concurrency,
      rowsPerRequest: p.rowsPerRequest,
      ...f,
      predictionsPerSecond: f.requestsPerSecond * p.rowsPerRequest,
      serverLoopBusy: p.loopBusy,
    };
  };
  printResult({
    bench: 'serving-throughput',
    seconds: opts.seconds,
    concurrency: opts.concurrency,
    batch: opts.batch,
    loadGenerator: 'forked client process, node:http keep-alive',
    backend,
    backendReason: reason,
    forward: forwardKind,
    target,
    targetMet: { singleRow: singleMet, canary: canaryMet },
    phases: phases.map(summary),
    ratios: { singleVsBare: ratio(singleA, bareSingle), batchVsBare: ratio(batchA, bareBatch) },
    canaryOverheadP50Ms: canaryOverheadMs,
    canaryOverheadP50MsConcurrency1: canaryOverheadC1Ms,
    inProcess: { single: inProcA, canary: inProcCanary },
    predictionLog: logStats,
    profiles,
    clientCpuMs: clientCpuTotalMs,
    loadAverage: { before: loadBefore, after: loadAfter },
  });
}

// Last: the forked client takes the other role (see runRole).
await loadgen.runRole(server);
