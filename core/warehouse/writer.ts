// The metrics writer: one logical write becomes one Parquet file in object storage (encoded by
// DuckDB), named deterministically so a retry overwrites its own file, and seeded into the local cache.
import { FailureType, typedError } from '../errors.js';
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, utimes } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DuckDBTimestampValue, type DuckDBAppender } from '@duckdb/node-api';
import { ident, literal } from '../data/duckdb.js';
import { keys } from '../storage/keys.js';
import type { WarehouseCache, WarehouseReaderOptions } from './reader.js';
import {
  columnsOf,
  isTable,
  warehouseTables,
  validateRows,
  type ColumnSpec,
  type WarehouseRowInput,
  type WarehouseTable,
} from './tables.js';

/** Thrown when a table, model or part cannot name a metrics file (unknown table, unsafe characters, too long). */
export class InvalidWarehouseKeyError extends typedError(FailureType.Internal) {
  constructor(
    readonly field: 'table' | 'model' | 'part',
    readonly value: string,
    readonly rule: string,
  ) {
    super(`metrics ${field} "${value}": ${rule}`);
  }
}

export interface AppendOptions {
  /** The hive partition; every row's `model` must equal it. */
  model: string;
  /**
   * The file's name within the partition. It must be deterministic per logical write (e.g.
   * `<runId>-epoch-3-attempt-1`): a retried activity then overwrites the same object instead of
   * adding duplicate rows, and distinct writes never collide. Letters, digits, ".", "_", "-".
   */
  part: string;
}

const segment = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
// Keeps `<part>.parquet.meta.json` under the 255-byte file-name limit of common file systems.
const maxSegment = 200;

/**
 * A safe part name from any text (workflow ids of scheduled runs contain ":"): every other
 * character becomes "-". Deterministic, so a retried write still lands on the same file.
 */
export function warehousePart(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return cleaned.length > maxSegment ? cleaned.slice(cleaned.length - maxSegment) : cleaned || 'part';
}

function checkSegment(field: 'model' | 'part', value: string): void {
  if (!segment.test(value))
    throw new InvalidWarehouseKeyError(
      field,
      value,
      'must start with a letter or digit and contain only letters, digits, ".", "_" or "-"',
    );
  if (value.length > maxSegment)
    throw new InvalidWarehouseKeyError(field, value, `must be at most ${maxSegment} characters`);
}

function appendValue(appender: DuckDBAppender, spec: ColumnSpec, value: unknown): void {
  if (value === null || value === undefined) return appender.appendNull();
  switch (spec.type) {
    case 'VARCHAR':
      return appender.appendVarchar(value as string);
    case 'INTEGER':
      return appender.appendInteger(value as number);
    case 'DOUBLE':
      return appender.appendDouble(value as number);
    case 'BOOLEAN':
      return appender.appendBoolean(value as boolean);
    case 'TIMESTAMP': {
      const ms = value instanceof Date ? value.getTime() : Date.parse(value as string);
      return appender.appendTimestamp(new DuckDBTimestampValue(BigInt(ms) * 1000n));
    }
  }
}

/** What the writer shares with the store it belongs to. */
export interface WarehouseWriterOptions extends Pick<WarehouseReaderOptions, 'store' | 'withDb'> {
  /** Where Parquet files are encoded before upload. */
  stagingDir: string;
  /** The reader's cache, seeded with every file written. */
  cache: Pick<WarehouseCache, 'localPath' | 'recordCached'>;
}

export type AppendRows = <T extends WarehouseTable>(
  table: T,
  rows: readonly WarehouseRowInput<T>[],
  options: AppendOptions,
) => Promise<{ key: string; rows: number }>;

/** Creates the append half of a warehouse. */
export function createWarehouseWriter({
  store,
  stagingDir,
  withDb,
  cache,
}: WarehouseWriterOptions): AppendRows {
  /** Encodes the rows as Parquet at `staged` through a uniquely named scratch table. */
  async function encode(table: WarehouseTable, rows: readonly Record<string, unknown>[], staged: string) {
    await withDb(async (d) => {
      // A uniquely named scratch table lets concurrent appends share the one connection.
      const scratchName = `append_${randomUUID().replace(/-/g, '')}`;
      const scratch = ident(scratchName);
      const columns = columnsOf(table);
      await d.run(`CREATE TABLE ${scratch} (${columns.map(([n, s]) => `${ident(n)} ${s.type}`).join(', ')})`);
      try {
        const appender = await d.connection.createAppender(scratchName);
        try {
          for (const row of rows) {
            for (const [name, spec] of columns) appendValue(appender, spec, row[name]);
            appender.endRow();
          }
          appender.flushSync();
        } finally {
          appender.closeSync();
        }
        await d.run(`COPY ${scratch} TO ${literal(staged)} (FORMAT parquet)`);
      } finally {
        await d.run(`DROP TABLE IF EXISTS ${scratch}`);
      }
    });
  }

  return async function append(table, rows, { model, part }) {
    if (!isTable(table))
      throw new InvalidWarehouseKeyError(
        'table',
        table,
        `is not a metrics table (known: ${Object.keys(warehouseTables).join(', ')})`,
      );
    checkSegment('model', model);
    checkSegment('part', part);
    validateRows(table, rows as readonly Record<string, unknown>[], model);

    const key = keys.metrics.part(table, model, part);
    await mkdir(stagingDir, { recursive: true });
    const staged = join(stagingDir, `${randomUUID()}.parquet`);
    try {
      await encode(table, rows as readonly Record<string, unknown>[], staged);
      const body = await readFile(staged);
      const { etag } = await store.put(key, body, { contentType: 'application/vnd.apache.parquet' });
      // Seed the cache with what was just written so the writer's next query need not download it.
      const path = cache.localPath(key);
      await mkdir(dirname(path), { recursive: true });
      await rename(staged, path);
      // Dated now, after the upload, so a sync that listed before the upload does not prune it as deleted.
      const now = new Date();
      await utimes(path, now, now);
      await cache.recordCached(path, etag, body.length);
    } finally {
      await rm(staged, { force: true });
    }
    return { key, rows: rows.length };
  };
}
