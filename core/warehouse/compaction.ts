// Compaction of a metrics table's small parts (prediction and feedback logs write one per flush)
// into one larger part, so listings and queries stay fast as the log grows. Readers never count a
// row twice: a manifest naming the merged part and its inputs is written first, under
// `metrics-compaction/`, and readers (see store.ts) drop the inputs of every manifest whose merged
// part they saw. Every step is idempotent (the merged part's name is a hash of its inputs), and one
// lock per table and model keeps two compactions from merging overlapping inputs.
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { literal, openDuckDb } from '../data/duckdb.js';
import { ifFound, landed } from '../storage/errors.js';
import { keys as objectKeys } from '../storage/keys.js';
import type { ObjectStore } from '../storage/object-store.js';

/** One compaction: the merged part's key and the keys it replaces. */
export interface CompactionManifest {
  merged: string;
  inputs: string[];
  at: string;
}

export interface CompactionOptions {
  store: ObjectStore;
  /** Local scratch space for the merge. */
  scratchDir: string;
  /** Parts at most this large are merged (default 4 MiB). */
  smallPartBytes?: number;
  /** Compact only when at least this many small parts wait (default 8). */
  minParts?: number;
  /** Merge at most this many parts at once (default 1000). */
  maxParts?: number;
  /** A lock older than this belongs to a crashed compaction, which is then finished (default 10 min). */
  lockTtlMs?: number;
  /** Manifests are kept this long after their inputs are gone, for readers mid-listing (default 10 min). */
  manifestGraceMs?: number;
  now?: () => Date;
}

/** The manifests under `metrics-compaction/`, read once each (they never change) and cached here. */
export function createManifestReader(store: ObjectStore) {
  const cache = new Map<string, CompactionManifest>();
  return async function manifests(): Promise<CompactionManifest[]> {
    const keys = (await store.list(objectKeys.compaction.root))
      .map((o) => o.key)
      .filter((k) => !objectKeys.compaction.isLock(k));
    const out: CompactionManifest[] = [];
    for (const key of keys) {
      let m = cache.get(key);
      if (!m) {
        m = await ifFound(store.getJson<CompactionManifest>(key));
        if (m === undefined) continue;
        cache.set(key, m);
      }
      out.push(m);
    }
    for (const key of cache.keys()) if (!keys.includes(key)) cache.delete(key);
    return out;
  };
}

/** Result of one compaction pass over one table and model. */
export interface CompactionResult {
  merged: string | null;
  inputs: number;
  /** Inputs of earlier (crashed or finished) compactions removed now. */
  cleaned: number;
}

/** Merges the partition's small parts into one, if enough wait; safe to run from many processes at once. */
export async function compactPartition(
  table: string,
  model: string,
  options: CompactionOptions,
): Promise<CompactionResult> {
  const { store } = options;
  const now = options.now ?? (() => new Date());
  const smallPartBytes = options.smallPartBytes ?? 4 * 1024 * 1024;
  const minParts = options.minParts ?? 8;
  const maxParts = options.maxParts ?? 1000;
  const lockTtlMs = options.lockTtlMs ?? 600_000;
  const graceMs = options.manifestGraceMs ?? 600_000;

  // One compaction at a time per partition: the lock holds the job, so a crashed one is finished as it was.
  const held = await ifFound(
    store.getJsonWithEtag<CompactionManifest>(objectKeys.compaction.lock(table, model)),
  );
  if (held && now().getTime() - Date.parse(held.value.at) < lockTtlMs)
    return { merged: null, inputs: 0, cleaned: 0 };
  let job = held?.value;

  const parts = await store.list(objectKeys.metrics.partition(table, model));
  const present = new Set(parts.map((p) => p.key));
  const manifestKeys = (await store.list(objectKeys.compaction.partition(table, model)))
    .map((o) => o.key)
    .filter((k) => !objectKeys.compaction.isLock(k));
  const manifests = await Promise.all(
    manifestKeys.map(async (key) => ({ key, m: await store.getJson<CompactionManifest>(key) })),
  );

  // Finish earlier compactions whose merged part exists: remove their remaining inputs, then (after
  // the grace period) their manifest.
  let cleaned = 0;
  const covered = new Set<string>();
  for (const { key, m } of manifests) {
    if (!present.has(m.merged)) continue;
    for (const input of m.inputs) {
      covered.add(input);
      if (present.has(input)) {
        await store.delete(input);
        present.delete(input);
        cleaned++;
      }
    }
    if (now().getTime() - Date.parse(m.at) > graceMs) await store.delete(key);
  }

  if (!job) {
    const small = parts
      .filter((p) => present.has(p.key) && !covered.has(p.key) && p.size <= smallPartBytes)
      .sort((a, b) => a.key.localeCompare(b.key))
      .slice(0, maxParts);
    if (small.length < minParts) return { merged: null, inputs: 0, cleaned };
    const inputs = small.map((p) => p.key);
    const hash = createHash('sha256').update(inputs.join('\n')).digest('hex').slice(0, 24);
    job = {
      merged: objectKeys.compaction.mergedPart(table, model, hash),
      inputs,
      at: now().toISOString(),
    };
    if (!(await landed(store.putJson(objectKeys.compaction.lock(table, model), job, { ifAbsent: true }))))
      return { merged: null, inputs: 0, cleaned };
  }

  // The manifest before the merged part: a reader that sees the merged part then also sees which inputs it replaces.
  const manifestKey = objectKeys.compaction.manifest(table, model, job.merged);
  await store.putJson(manifestKey, job);
  if (!(await store.exists(job.merged))) {
    const dir = join(options.scratchDir, `compact-${randomUUID()}`);
    await mkdir(dir, { recursive: true });
    const db = await openDuckDb();
    try {
      const files: string[] = [];
      for (const [i, key] of job.inputs.entries()) {
        const path = join(dir, `${i}.parquet`);
        await store.downloadToFile(key, path);
        files.push(path);
      }
      const out = join(dir, 'merged.parquet');
      await db.run(
        `COPY (SELECT * FROM read_parquet([${files.map(literal).join(', ')}], union_by_name = true)) TO ${literal(out)} (FORMAT parquet)`,
      );
      await store.put(job.merged, await readFile(out), { contentType: 'application/vnd.apache.parquet' });
    } finally {
      db.close();
      await rm(dir, { recursive: true, force: true });
    }
  }
  for (const input of job.inputs) await store.delete(input);
  await store.delete(objectKeys.compaction.lock(table, model));
  return { merged: job.merged, inputs: job.inputs.length, cleaned };
}
