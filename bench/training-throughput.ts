// Training throughput: samples/s of Ferry's trainModel activity (run through MockActivityEnvironment
// against the dev stack's MinIO, so every epoch's metrics row and checkpoint are real writes) against a
// bare tfjs `model.fit` on the same matrices, architecture, batch size, epochs and backend, in the same
// process. A third run, core/model/trainer.ts's trainEpochs with a no-op epoch callback, separates the
// epoch loop's own cost from the per-epoch I/O the activity adds.
//
//   npm run bench:training -- [--rows 50000] [--epochs 10] [--reps 3]
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { ActivityDeps } from '../activities/deps.js';
import { createTrainActivities, prepareTrainingData, type PreparedData } from '../activities/train-model.js';
import type { TrainingResult } from '../core/contracts/index.js';
import { loadConfig } from '../core/config.js';
import { writeChurnCsv } from '../core/datasets/synthetic-churn.js';
import { loadTensorflow, type Tf } from '../core/model/backend.js';
import { buildMlp } from '../core/model/mlp.js';
import { trainEpochs } from '../core/model/trainer.js';
import { keys } from '../core/storage/keys.js';
import { createActivityDeps } from '../worker/deps.js';
import { churnSpecNamed } from './lib/churn-spec.js';
import { fmt, intOptions, median, printResult, startRssSampler, tableOf } from './lib/report.js';

const opts = intOptions({ rows: 50_000, epochs: 10, reps: 3 });
/** Ferry's training path should keep at least 90% of a bare fit's samples/s. */
const targetRatio = 0.9;
const datasetName = 'bench-churn';

const rss = startRssSampler();
const loadBefore = loadavg()[0]!;
const { tf, backend, reason } = await loadTensorflow();
const config = loadConfig();
const realDeps = createActivityDeps(config, 'bench');
await realDeps.store.ensureBucket();

// ---- instrumentation: time every checkpoint write and metrics append the activity makes ----
interface Span {
  what: 'append' | 'put';
  key: string;
  start: number;
  end: number;
}
const spans: Span[] = [];
async function span<T>(what: Span['what'], key: string, fn: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await fn();
  } finally {
    spans.push({ what, key, start, end: performance.now() });
  }
}
const deps: ActivityDeps = {
  ...realDeps,
  store: {
    ...realDeps.store,
    put: (key, body, o) => span('put', key, () => realDeps.store.put(key, body, o)),
    putJson: (key, value, o) => span('put', key, () => realDeps.store.putJson(key, value, o)),
  },
  metrics: {
    ...realDeps.metrics,
    append: (table, rows, o) => span('append', o.part, () => realDeps.metrics.append(table, rows, o)),
  },
};

// ---- data: the synthetic churn set, ingested into the catalog like any pipeline's dataset ----
const workDir = await mkdtemp(join(tmpdir(), 'ferry-bench-training-'));
const csvPath = join(workDir, 'churn.csv');
await writeChurnCsv(csvPath, { rows: opts.rows, seed: 1 });
// The same bytes give the same snapshot, so reruns reuse it instead of adding one.
const { manifest } = await realDeps.catalog.ingestFile(datasetName, csvPath, {
  source: 'bench/training-throughput.ts',
});
await rm(workDir, { recursive: true, force: true });

// No early stopping: every variant must train exactly `epochs` epochs.
const spec = await churnSpecNamed(datasetName, ({ earlyStopping: _none, ...t }) => ({
  ...t,
  epochs: opts.epochs,
}));
const t = spec.training;
const data: PreparedData = await prepareTrainingData(realDeps, spec, manifest.sha256);
const samples = data.train.n * opts.epochs;
const buildModel = (tfjs: Tf) =>
  buildMlp(tfjs, {
    inputDim: data.preprocessing.preprocessor.inputDim,
    task: 'binary',
    numClasses: 2,
    hiddenLayers: t.hiddenLayers,
    activation: t.activation,
    learningRate: t.learningRate,
    seed: t.seed,
  });

/** model.dispose() leaves an optimizer passed to compile() alone (tfjs disposes only optimizers it
 * created), so the Adam moments would outlive the model; the bench frees them so its own variants
 * report no leak and the activity's count is the activity's alone. */
function disposeModel(model: LayersModel): void {
  model.dispose();
  model.optimizer.dispose();
}

// ---- the three ways to train ----
interface Result {
  ms: number;
  trainMs: number;
  /** CPU time (user + system) of this process while training; MinIO's and DuckDB's work elsewhere is not in it. */
  trainCpuMs: number;
  peakRssMb: number;
  tensorsLeaked: number;
  runId?: string;
  heartbeats?: number[];
}

const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function measure(
  fn: () => Promise<Omit<Result, 'peakRssMb' | 'tensorsLeaked' | 'ms'> & { ms?: number }>,
): Promise<Result> {
  const tensors = tf.memory().numTensors;
  rss.resetPhase();
  const started = performance.now();
  const r = await fn();
  const ms = r.ms ?? performance.now() - started;
  return { ...r, ms, peakRssMb: rss.phasePeakMb(), tensorsLeaked: tf.memory().numTensors - tensors };
}

/** Wall and CPU time of one training call. */
async function timedTraining(fn: () => Promise<unknown>): Promise<{ trainMs: number; trainCpuMs: number }> {
  const started = performance.now();
  const cpu = cpuNow();
  await fn();
  return { trainMs: performance.now() - started, trainCpuMs: cpuNow() - cpu };
}

/** The bare baseline: one fit call over the first `n` training rows, tfjs shuffling each epoch. */
const bareFit = (n = data.train.n, epochs = opts.epochs) =>
  measure(async () => {
    const model = buildModel(tf);
    const dim = data.preprocessing.preprocessor.inputDim;
    const x = tf.tensor2d(data.train.x.subarray(0, n * dim), [n, dim]);
    const y = tf.tensor2d(Float32Array.from(data.train.y.subarray(0, n)), [n, 1]);
    const timing = await timedTraining(() =>
      model.fit(x, y, { epochs, batchSize: t.batchSize, shuffle: true, verbose: 0 }),
    );
    tf.dispose([x, y]);
    disposeModel(model);
    return timing;
  });

/** Ferry's epoch loop alone: trainOnBatch per batch plus a validation pass per epoch, no I/O. */
const coreLoop = () =>
  measure(async () => {
    const model = buildModel(tf);
    const timing = await timedTraining(() =>
      trainEpochs({
        tf,
        model,
        train: data.train,
        validation: data.validation,
        epochs: opts.epochs,
        startEpoch: 0,
        batchSize: t.batchSize,
        seed: t.seed,
        onEpochEnd: async () => {},
      }),
    );
    disposeModel(model);
    return timing;
  });

/** The real activity: reads the snapshot, fits preprocessing, trains, checkpoints every epoch, saves the model. */
const activity = () =>
  measure(async () => {
    const runId = `bench-train-${randomUUID().slice(0, 8)}`;
    const heartbeats: number[] = [];
    const heartbeatCpu: number[] = [];
    const env = new MockActivityEnvironment(
      { activityType: 'trainModel', heartbeatTimeoutMs: 30_000 },
      { logger: new DefaultLogger('WARN') },
    );
    env.on('heartbeat', () => {
      heartbeats.push(performance.now());
      heartbeatCpu.push(cpuNow());
    });
    const { trainModel } = createTrainActivities(deps);
    const started = performance.now();
    const result: TrainingResult = await env.run(trainModel, { runId, spec, datasetSha: manifest.sha256 });
    const ms = performance.now() - started;
    if (result.epochsTrained !== opts.epochs || result.trainRows !== data.train.n)
      throw new Error(
        `activity trained ${result.epochsTrained} epochs on ${result.trainRows} rows; expected ${opts.epochs} on ${data.train.n}`,
      );
    // Training proper runs from the "data-loaded" heartbeat to the last epoch's heartbeat.
    return {
      ms,
      trainMs: heartbeats.at(-1)! - heartbeats[0]!,
      trainCpuMs: heartbeatCpu.at(-1)! - heartbeatCpu[0]!,
      runId,
      heartbeats,
    };
  });

// Warm-up: the first model pays for kernel set-up and JIT; the first activity for S3 and DuckDB start-up.
await bareFit(Math.min(4096, data.train.n), 1);
await realDeps.metrics.append(
  'training_epochs',
  [
    {
      run_id: 'bench-warmup',
      model: datasetName,
      attempt: 1,
      epoch: 0,
      loss: 0,
      val_loss: 0,
      val_metric: 0,
      samples: 0,
      ms: 0,
      backend,
      ts: new Date(),
    },
  ],
  { model: datasetName, part: 'bench-warmup' },
);

const results: Record<'fit' | 'loop' | 'activity', Result[]> = { fit: [], loop: [], activity: [] };
const orders = [
  ['fit', 'activity', 'loop'],
  ['loop', 'activity', 'fit'],
  ['activity', 'fit', 'loop'],
] as const;
for (let rep = 0; rep < opts.reps; rep++) {
  for (const kind of orders[rep % orders.length]!) {
    results[kind].push(await (kind === 'fit' ? bareFit() : kind === 'loop' ? coreLoop() : activity()));
  }
}

// ---- where the activity's time goes, epoch by epoch (median activity run) ----
const medianOf = (rs: Result[]) => [...rs].sort((a, b) => a.trainMs - b.trainMs)[Math.floor(rs.length / 2)]!;
const act = medianOf(results.activity);
const beats = act.heartbeats!;
const epochRows: { train: number; append: number; serialize: number; puts: number; checkpoint: number }[] =
  [];
for (let e = 1; e < beats.length; e++) {
  const from = beats[e - 1]!;
  const to = beats[e]!;
  const inEpoch = spans.filter(
    (s) =>
      s.start >= from &&
      s.end <= to &&
      (s.what === 'append' || s.key.startsWith(keys.run(act.runId!).checkpoints)),
  );
  const append = inEpoch.find((s) => s.what === 'append');
  const puts = inEpoch.filter((s) => s.what === 'put');
  if (!append || puts.length === 0) continue;
  const firstPut = Math.min(...puts.map((p) => p.start));
  const lastPut = Math.max(...puts.map((p) => p.end));
  epochRows.push({
    train: append.start - from,
    append: append.end - append.start,
    serialize: firstPut - append.end,
    puts: lastPut - firstPut,
    checkpoint: to - append.end,
  });
}
const perEpoch = Object.fromEntries(
  (['train', 'append', 'serialize', 'puts', 'checkpoint'] as const).map((k) => [
    k,
    median(epochRows.map((r) => r[k])),
  ]),
) as Record<keyof (typeof epochRows)[number], number>;
const overheadShare =
  (perEpoch.append + perEpoch.checkpoint) / (perEpoch.train + perEpoch.append + perEpoch.checkpoint);

// Tidy up the bench runs' checkpoints, models and metrics rows in the shared dev bucket.
const runIds = results.activity.map((r) => r.runId!);
for (const key of [
  ...(
    await Promise.all(
      runIds.map(async (id) => (await realDeps.store.list(keys.run(id).root)).map((o) => o.key)),
    )
  ).flat(),
  ...(await realDeps.store.list(keys.metrics.partition('training_epochs', datasetName)))
    .map((o) => o.key)
    .filter((k) => runIds.some((id) => k.includes(`/${id}-`)) || k.endsWith('/bench-warmup.parquet')),
]) {
  await realDeps.store.delete(key);
}
await realDeps.metrics.close();
rss.stop();

// ---- report ----
const sps = (ms: number) => samples / (ms / 1000);
const summaryOf = (rs: Result[]) => ({
  trainMs: median(rs.map((r) => r.trainMs)),
  trainCpuMs: median(rs.map((r) => r.trainCpuMs)),
  ms: median(rs.map((r) => r.ms)),
  peakRssMb: Math.max(...rs.map((r) => r.peakRssMb)),
  leaked: Math.max(...rs.map((r) => r.tensorsLeaked)),
});
const fit = summaryOf(results.fit);
const loop = summaryOf(results.loop);
const activityS = summaryOf(results.activity);
const ratio = fit.trainMs / activityS.trainMs;
const endToEndRatio = fit.trainMs / activityS.ms;

console.log(
  `\nTraining throughput · churn ${fmt(opts.rows, 0)} rows → ${fmt(data.train.n, 0)} train × ${data.preprocessing.preprocessor.inputDim} features · MLP ${JSON.stringify(t.hiddenLayers)} ${t.activation} · batch ${t.batchSize} · ${opts.epochs} epochs · median of ${opts.reps}`,
);
console.log(`Backend: ${backend} (${reason})\n`);
const variants = [
  { name: 'bare model.fit (baseline)', s: fit, runs: results.fit },
  { name: 'trainEpochs, no-op onEpochEnd', s: loop, runs: results.loop },
  { name: 'trainModel activity (MockActivityEnvironment)', s: activityS, runs: results.activity },
];
console.log(
  tableOf(variants, [
    ['variant', (v) => v.name],
    ['train ms', (v) => fmt(v.s.trainMs, 0)],
    ['samples/s', (v) => fmt(sps(v.s.trainMs), 0)],
    ['ratio to fit', (v) => fmt(fit.trainMs / v.s.trainMs, 3)],
    ['train CPU ms', (v) => fmt(v.s.trainCpuMs, 0)],
    ['wall ms incl. set-up', (v) => fmt(v.s.ms, 0)],
    ['peak RSS MiB', (v) => fmt(v.s.peakRssMb, 0)],
    ['tensors leaked', (v) => String(v.s.leaked)],
    ['train ms per run', (v) => v.runs.map((r) => fmt(r.trainMs, 0)).join(' / ')],
  ]),
);
console.log(
  `\nActivity "train ms" runs from its data-loaded heartbeat to its last epoch heartbeat; "wall ms" adds reading the snapshot, fitting preprocessing and saving the final model.`,
);
console.log(
  `Process peak RSS (kernel maxRSS): ${fmt(rss.maxRssMb(), 0)} MiB; sampled peak ${fmt(rss.peakMb(), 0)} MiB.`,
);
console.log(`1-minute load average: ${fmt(loadBefore, 2)} before, ${fmt(loadavg()[0]!, 2)} after (2 cores).`);
console.log(
  `\nRatio Ferry ÷ bare fit samples/s: ${fmt(ratio, 3)} for training proper (${fmt(endToEndRatio, 3)} for the whole activity) — target ≥ ${targetRatio}: ${ratio >= targetRatio ? 'MET' : 'NOT MET'}`,
);
console.log(
  `On CPU time (less disturbed by other load, blind to I/O waits): activity ÷ fit ${fmt(fit.trainCpuMs / activityS.trainCpuMs, 3)}.`,
);
console.log(
  `trainEpochs alone ÷ fit: ${fmt(fit.trainMs / loop.trainMs, 3)}; activity ÷ trainEpochs alone: ${fmt(loop.trainMs / activityS.trainMs, 3)}\n`,
);
console.log('Per epoch inside the activity (median over the epochs of the median run):\n');
console.log(
  tableOf(
    [perEpoch],
    [
      ['train + validate', (e) => fmt(e.train, 1)],
      ['metrics append', (e) => fmt(e.append, 1)],
      ['serialize model', (e) => fmt(e.serialize, 1)],
      ['checkpoint PUTs', (e) => fmt(e.puts, 1)],
      ['checkpoint total', (e) => fmt(e.checkpoint, 1)],
      ['I/O share of epoch', () => `${fmt(overheadShare * 100, 1)}%`],
    ],
  ),
);
printResult({
  bench: 'training-throughput',
  backend,
  rows: opts.rows,
  trainRows: data.train.n,
  epochs: opts.epochs,
  batchSize: t.batchSize,
  samplesPerSecond: {
    fit: sps(fit.trainMs),
    trainEpochs: sps(loop.trainMs),
    activity: sps(activityS.trainMs),
    activityEndToEnd: sps(activityS.ms),
  },
  ratio,
  cpuRatio: fit.trainCpuMs / activityS.trainCpuMs,
  endToEndRatio,
  targetRatio,
  targetMet: ratio >= targetRatio,
  perEpochMs: perEpoch,
  peakRssMb: {
    fit: fit.peakRssMb,
    trainEpochs: loop.peakRssMb,
    activity: activityS.peakRssMb,
    processMaxRss: rss.maxRssMb(),
  },
  tensorsLeakedPerActivityRun: activityS.leaked,
  loadAverage: { before: loadBefore, after: loadavg()[0]! },
});
