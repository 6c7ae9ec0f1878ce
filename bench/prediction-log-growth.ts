// Prediction-log growth: the rollout guard query (predictions of a model since a time, per version)
// while the log grows from N to 10×N flush parts, with and without compaction of small parts
// (core/warehouse/compaction.ts). The baseline is each variant's own latency at 1× in the same run;
// the figure of merit is the 10× / 1× ratio (flat ≈ 1).
//
//   npm run bench:prediction-log -- [--parts 40] [--rows 200] [--reps 5] [--compact-every 40]
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../core/config.js';
import { compactPartition } from '../core/warehouse/compaction.js';
import { trafficByVersion } from '../core/warehouse/queries.js';
import { createWarehouse, type Warehouse } from '../core/warehouse/store.js';
import { keys } from '../core/storage/keys.js';
import { createObjectStore } from '../core/storage/object-store.js';
import { fmt, intOptions, median, printResult, table } from './lib/report.js';

const opts = intOptions({ parts: 40, rows: 200, reps: 5, 'compact-every': 40 });
const config = loadConfig();
const store = createObjectStore(config.s3);
await store.ensureBucket();
const scratch = await mkdtemp(join(tmpdir(), 'ferry-bench-plog-'));
const load0 = loadavg()[0]!;

let written = 0;
async function appendPart(writer: Warehouse, model: string): Promise<void> {
  const base = Date.now();
  const rows = Array.from({ length: opts.rows }, (_, i) => ({
    model,
    version: 1 + (i % 2),
    prediction_id: randomUUID(),
    request_key: null,
    shadow: false,
    features: '{"tenure":12,"plan":"basic"}',
    output: '{"0":0.3,"1":0.7}',
    predicted: String(i % 2),
    latency_ms: 1 + (i % 7),
    error: null,
    ts: new Date(base - i),
  }));
  await writer.append('predictions', rows, { model, part: `bench-${String(++written).padStart(8, '0')}` });
}

/** The rollout guard's query itself, over both versions the parts hold. */
const guardQuery = (reader: Warehouse, model: string, since: string) =>
  trafficByVersion(reader, { model, since, versions: [1, 2] });

/** One rep: a new flush part lands (as it does every few seconds), then the guard query runs, timed. */
async function timedQueries(writer: Warehouse, reader: Warehouse, model: string): Promise<number> {
  const times: number[] = [];
  for (let r = 0; r < opts.reps; r++) {
    await appendPart(writer, model);
    const started = performance.now();
    await guardQuery(reader, model, new Date(Date.now() - 3_600_000).toISOString());
    times.push(performance.now() - started);
  }
  return median(times);
}

interface Measured {
  variant: string;
  parts1: number;
  parts10: number;
  ms1: number;
  ms10: number;
}

async function run(variant: 'no compaction' | 'compaction'): Promise<Measured> {
  const model = `bench-plog-${variant === 'compaction' ? 'c' : 'n'}-${randomUUID().slice(0, 8)}`;
  const writer = createWarehouse({ store, cacheDir: join(scratch, `${model}-writer`) });
  const reader = createWarehouse({ store, cacheDir: join(scratch, `${model}-reader`) });
  const listed = async () => (await store.list(keys.metrics.partition('predictions', model))).length;
  const grow = async (parts: number) => {
    for (let p = 0; p < parts; p++) {
      await appendPart(writer, model);
      if (variant === 'compaction' && written % opts['compact-every'] === 0)
        await compactPartition('predictions', model, { store, scratchDir: scratch });
    }
  };
  try {
    await grow(opts.parts);
    await guardQuery(reader, model, new Date(0).toISOString());
    const parts1 = await listed();
    const ms1 = await timedQueries(writer, reader, model);
    await grow(opts.parts * 9);
    await guardQuery(reader, model, new Date(0).toISOString());
    const parts10 = await listed();
    const ms10 = await timedQueries(writer, reader, model);
    return { variant, parts1, parts10, ms1, ms10 };
  } finally {
    await writer.close();
    await reader.close();
    for (const prefix of [
      keys.metrics.partition('predictions', model),
      keys.compaction.partition('predictions', model),
    ])
      for (const o of await store.list(prefix)) await store.delete(o.key);
  }
}

const results = [await run('no compaction'), await run('compaction')];
await rm(scratch, { recursive: true, force: true });

console.log(
  `\nGuard query latency (median of ${opts.reps}, each after one more ${opts.rows}-row flush part) as the log grows 10×\n`,
);
console.log(
  table(
    ['variant', 'parts listed at 1×', 'ms at 1×', 'parts listed at 10×', 'ms at 10×', '10× / 1×'],
    results.map((r) => [
      r.variant,
      String(r.parts1),
      fmt(r.ms1),
      String(r.parts10),
      fmt(r.ms10),
      fmt(r.ms10 / r.ms1, 2),
    ]),
  ),
);
console.log(`\nload average ${fmt(load0, 2)} → ${fmt(loadavg()[0]!, 2)}`);
printResult({
  bench: 'prediction-log-growth',
  parts: opts.parts,
  rowsPerPart: opts.rows,
  results: results.map((r) => ({ ...r, ratio: r.ms10 / r.ms1 })),
});
