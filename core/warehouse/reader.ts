// The metrics reader: a local cache of the tables' Parquet files kept in step with object storage
// (new files, overwritten parts, deleted or compacted ones), and DuckDB views over it for queries.
import { randomUUID } from 'node:crypto';
import { readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { DuckDBValue } from '@duckdb/node-api';
import { ident, literal, type DuckDb } from '../data/duckdb.js';
import { keys } from '../storage/keys.js';
import type { ObjectStore } from '../storage/object-store.js';
import { createManifestReader } from './compaction.js';
import { columnsOf, warehouseTables, type WarehouseTable } from './tables.js';

export interface SyncResult {
  /** Metrics files in object storage. */
  files: number;
  downloaded: number;
  /** Cached files whose object no longer exists. */
  removed: number;
}

const downloadConcurrency = 8;

interface CachedMeta {
  etag: string;
  size: number;
}

const readMeta = (path: string): Promise<CachedMeta | undefined> =>
  readFile(path, 'utf8')
    .then(JSON.parse)
    .catch(() => undefined);

const sizeOf = async (path: string) => (await stat(path).catch(() => undefined))?.size;

async function writeAtomically(path: string, content: string): Promise<void> {
  const tmp = `${path}.${randomUUID()}.tmp`;
  await writeFile(tmp, content);
  await rename(tmp, path);
}

export interface WarehouseReaderOptions {
  store: ObjectStore;
  /** Local cache root; files land in `<cacheDir>/metrics/...`. Safe to delete at any time. */
  cacheDir: string;
  /** Runs work on the store's one DuckDB connection, one statement at a time. */
  withDb: <T>(fn: (db: DuckDb) => Promise<T>) => Promise<T>;
  /** Throws when the store was closed. */
  assertOpen: () => void;
}

/** The cache's bookkeeping, shared with the writer so a write lands in the cache at once. */
export interface WarehouseCache {
  /** Where the cached copy of an object key lives. */
  localPath(key: string): string;
  /** Records which object version a cached file holds; written after the file, so a crash leaves a mismatch, never a false match. */
  recordCached(path: string, etag: string, size: number): Promise<void>;
}

export interface WarehouseReader extends WarehouseCache {
  sync(): Promise<SyncResult>;
  query<T = Record<string, unknown>>(sql: string, params?: DuckDBValue[]): Promise<T[]>;
}

/** Creates the read half of a warehouse over a cache under `cacheDir`. */
export function createWarehouseReader({
  store,
  cacheDir,
  withDb,
  assertOpen,
}: WarehouseReaderOptions): WarehouseReader {
  const cacheRoot = join(cacheDir, 'metrics');
  // Views are rebuilt only when the set of cached files changed, since building reads every file's footer.
  let viewsStale = true;

  const localPath = (key: string) => join(cacheDir, ...key.split('/'));
  const manifests = createManifestReader(store);
  const metaPath = (path: string) => `${path}.meta.json`;

  async function recordCached(path: string, etag: string, size: number): Promise<void> {
    await writeAtomically(metaPath(path), JSON.stringify({ etag, size } satisfies CachedMeta));
    viewsStale = true;
  }

  async function syncOnce(): Promise<SyncResult> {
    const startedAt = Date.now();
    const listed = (await store.list(keys.metrics.root)).filter((o) => keys.metrics.parsePart(o.key));
    // Listed after the parts: a merged part seen above has its manifest here (written before it), so
    // the parts it replaces are dropped even if their deletion had not reached the listing yet.
    const seen = new Set(listed.map((o) => o.key));
    const replaced = new Set<string>();
    for (const m of await manifests()) if (seen.has(m.merged)) for (const k of m.inputs) replaced.add(k);
    const remote = listed.filter((o) => !replaced.has(o.key));
    let downloaded = 0;
    const queue = [...remote];
    await Promise.all(
      Array.from({ length: Math.min(downloadConcurrency, queue.length) }, async () => {
        for (let o = queue.shift(); o; o = queue.shift()) {
          const path = localPath(o.key);
          const meta = await readMeta(metaPath(path));
          // The local size check catches a file whose sidecar was written by a racing process for another version.
          if (meta?.etag === o.etag && meta.size === o.size && (await sizeOf(path)) === o.size) continue;
          await store.downloadToFile(o.key, path);
          await recordCached(path, o.etag, o.size);
          downloaded++;
        }
      }),
    );

    const wanted = new Set(remote.map((o) => localPath(o.key)));
    let removed = 0;
    let entries: string[] = [];
    try {
      entries = await readdir(cacheRoot, { recursive: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    for (const entry of entries) {
      if (!entry.endsWith('.parquet')) continue;
      const path = join(cacheRoot, entry);
      if (wanted.has(path)) continue;
      // A file newer than our listing was just written by an append or another process's sync: not
      // stale, unless a merged part replaces it (then keeping it would count its rows twice).
      const info = await stat(path).catch(() => undefined);
      const key = keys.metrics.fromCacheSegments(entry.split(sep));
      if (!info || (info.mtimeMs >= startedAt && !replaced.has(key))) continue;
      await rm(path, { force: true });
      await rm(metaPath(path), { force: true });
      removed++;
      viewsStale = true;
    }
    return { files: remote.length, downloaded, removed };
  }

  // A sync requested while one runs gets a fresh one after it, so it sees every write that finished before the call.
  let running: Promise<SyncResult> | undefined;
  let queued: Promise<SyncResult> | undefined;
  function sync(): Promise<SyncResult> {
    try {
      assertOpen();
    } catch (err) {
      return Promise.reject(err as Error);
    }
    if (!running) {
      running = syncOnce().finally(() => {
        running = undefined;
      });
      return running;
    }
    queued ??= running
      .catch(() => undefined)
      .then(() => {
        queued = undefined;
        return sync();
      });
    return queued;
  }

  async function rebuildViews(d: DuckDb): Promise<void> {
    viewsStale = false;
    for (const table of Object.keys(warehouseTables) as WarehouseTable[]) {
      const glob = [cacheRoot, table, '**', '*.parquet'].join(sep);
      const source = `read_parquet(${literal(glob)}, hive_partitioning = true, union_by_name = true, hive_types = {'model': VARCHAR})`;
      // A table with no files yet has no columns to describe (DuckDB refuses an empty glob): ask first.
      const [found] = await d.all<{ files: bigint | number }>(
        `SELECT count(*) AS files FROM glob(${literal(glob)})`,
      );
      const present =
        Number(found?.files ?? 0) === 0
          ? undefined
          : new Set(
              (await d.all<{ column_name: string }>(`DESCRIBE SELECT * FROM ${source}`)).map(
                (c) => c.column_name,
              ),
            );
      // Declared columns missing from every file (added after those files were written) read as NULL.
      const list = columnsOf(table)
        .map(
          ([name, spec]) =>
            `CAST(${present?.has(name) ? ident(name) : 'NULL'} AS ${spec.type}) AS ${ident(name)}`,
        )
        .join(', ');
      await d.run(
        present
          ? `CREATE OR REPLACE VIEW ${ident(table)} AS SELECT ${list} FROM ${source}`
          : `CREATE OR REPLACE VIEW ${ident(table)} AS SELECT ${list} WHERE false`,
      );
    }
  }

  async function query<T = Record<string, unknown>>(sql: string, params?: DuckDBValue[]): Promise<T[]> {
    assertOpen();
    await sync();
    return withDb(async (d) => {
      assertOpen();
      if (viewsStale) await rebuildViews(d);
      return d.all<T>(sql, params);
    });
  }

  return { sync, query, localPath, recordCached };
}
