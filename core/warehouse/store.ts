// Ferry's metrics tables: append-only Parquet files in object storage (one file per logical write,
// hive-partitioned by model), queried with DuckDB over a local cache that can be deleted without loss.
// Tables are defined in tables.ts, written by writer.ts, read by reader.ts; named queries live in queries.ts.
import { join } from 'node:path';
import type { DuckDBValue } from '@duckdb/node-api';
import { openDuckDb, type DuckDb } from '../data/duckdb.js';
import { FailureType, typedError } from '../errors.js';
import { createWarehouseReader, type SyncResult, type WarehouseReaderOptions } from './reader.js';
import type { WarehouseRowInput, WarehouseTable } from './tables.js';
import { createWarehouseWriter, warehousePart, type AppendOptions } from './writer.js';

/** Thrown when a warehouse is used after `close()`. */
export class WarehouseClosedError extends typedError(FailureType.Internal) {
  constructor() {
    super('warehouse is closed');
  }
}

/** Metrics tables over object storage; one per process is enough, and it is safe under concurrent use. */
export interface Warehouse {
  /** Writes `rows` as one Parquet file at `metrics/<table>/model=<model>/<part>.parquet`, replacing any earlier write of the same part. */
  append<T extends WarehouseTable>(
    table: T,
    rows: readonly WarehouseRowInput<T>[],
    options: AppendOptions,
  ): Promise<{ key: string; rows: number }>;
  /** Brings the local cache up to date with object storage (new files, overwritten parts, deleted files). */
  sync(): Promise<SyncResult>;
  /** Syncs, then runs SQL over the tables (one view each, empty when no file exists yet). Timestamps come back as DuckDB text. */
  query<T = Record<string, unknown>>(sql: string, params?: DuckDBValue[]): Promise<T[]>;
  close(): Promise<void>;
}

/** Records one registry change as a write of its own to `registry_events`; `part` names it, so a retry overwrites it. */
export function appendRegistryEvent(
  warehouse: Pick<Warehouse, 'append'>,
  event: WarehouseRowInput<'registry_events'>,
  part: string,
): Promise<{ key: string; rows: number }> {
  return warehouse.append('registry_events', [event], { model: event.model, part: warehousePart(part) });
}

export type WarehouseOptions = Pick<WarehouseReaderOptions, 'store' | 'cacheDir'>;

/** Serialises async work: one DuckDB connection must not run two statements at once. */
function createMutex(): <T>(fn: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (fn) => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
}

/** Creates a warehouse over an object store, caching files under `cacheDir`. */
export function createWarehouse(options: WarehouseOptions): Warehouse {
  const { store, cacheDir } = options;
  const serialise = createMutex();
  let db: DuckDb | undefined;
  let closed = false;

  function assertOpen(): void {
    if (closed) throw new WarehouseClosedError();
  }

  /** The one DuckDB connection, opened on first use; never reopened once the store is closed. */
  const withDb = <T>(fn: (d: DuckDb) => Promise<T>): Promise<T> =>
    serialise(async () => {
      assertOpen();
      db ??= await openDuckDb();
      return fn(db);
    });

  const reader = createWarehouseReader({ store, cacheDir, withDb, assertOpen });
  const append = createWarehouseWriter({
    store,
    stagingDir: join(cacheDir, 'staging'),
    withDb,
    cache: reader,
  });

  return {
    async append(table, rows, appendOptions) {
      assertOpen();
      return append(table, rows, appendOptions);
    },
    sync: reader.sync,
    query: reader.query,
    async close() {
      if (closed) return;
      closed = true;
      await serialise(async () => {
        db?.close();
        db = undefined;
      });
    },
  };
}
