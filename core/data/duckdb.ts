// A small, typed face over @duckdb/node-api: an in-process DuckDB for validation, training data
// reads and metrics queries. DuckDB reads local Parquet/CSV only here (no httpfs extension is
// available offline), so callers hand it files from the local cache of object storage.
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { duckDbAttributes, withSpan } from '../telemetry/tracing.js';

export interface DuckDbOptions {
  /** Worker threads DuckDB may use; default: all cores. */
  threads?: number;
  memoryLimit?: string;
  /** Off for untrusted SQL: no file or network access from queries. Applied after set-up. */
  externalAccess?: boolean;
}

/** One DuckDB database with one connection; cheap to create, close it when done. */
export interface DuckDb {
  run(sql: string, params?: DuckDBValue[]): Promise<void>;
  /** All rows as JSON-safe objects (BIGINT → number when safe, DECIMAL → number). */
  all<T = Record<string, unknown>>(sql: string, params?: DuckDBValue[]): Promise<T[]>;
  /** Streams result chunks as column arrays, so a large table never sits in memory at once. */
  chunks(sql: string, params?: DuckDBValue[]): AsyncGenerator<{ rowCount: number; columns: unknown[][] }>;
  readonly connection: DuckDBConnection;
  close(): void;
}

/** Quotes an identifier for SQL (column or table names from specs and files). */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Quotes a string literal for SQL (local file paths). */
export function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function toPlain(value: unknown): unknown {
  if (typeof value === 'bigint')
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value && typeof value === 'object') {
    if ('toDouble' in value && typeof (value as { toDouble: unknown }).toDouble === 'function')
      return (value as { toDouble(): number }).toDouble();
    if (Array.isArray(value)) return value.map(toPlain);
    if ('items' in value && Array.isArray((value as { items: unknown }).items))
      return (value as { items: unknown[] }).items.map(toPlain);
    if (value.constructor?.name?.startsWith('DuckDB')) return String(value);
  }
  return value;
}

export async function openDuckDb(options: DuckDbOptions = {}): Promise<DuckDb> {
  const settings: Record<string, string> = {};
  if (options.threads) settings.threads = String(options.threads);
  if (options.memoryLimit) settings.memory_limit = options.memoryLimit;
  const instance = await DuckDBInstance.create(':memory:', settings);
  const connection = await instance.connect();
  if (options.externalAccess === false) {
    await connection.run('SET enable_external_access = false');
    await connection.run('SET lock_configuration = true');
  }
  return {
    connection,
    async run(sql, params) {
      await withSpan('DuckDB run', duckDbAttributes(sql), () => connection.run(sql, params));
    },
    async all<T>(sql: string, params?: DuckDBValue[]) {
      const reader = await withSpan('DuckDB query', duckDbAttributes(sql), () =>
        connection.runAndReadAll(sql, params),
      );
      const names = reader.columnNames();
      return reader.getRows().map((row) => {
        const o: Record<string, unknown> = {};
        row.forEach((v, i) => (o[names[i]!] = toPlain(v)));
        return o as T;
      });
    },
    async *chunks(sql, params) {
      // The span covers the start of the stream; the chunks are read at the caller's pace.
      const result = await withSpan('DuckDB stream', duckDbAttributes(sql), () =>
        connection.stream(sql, params),
      );
      for (;;) {
        const chunk = await result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) return;
        yield { rowCount: chunk.rowCount, columns: chunk.getColumns() as unknown[][] };
      }
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}
