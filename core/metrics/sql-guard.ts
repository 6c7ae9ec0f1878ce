// Read-only SQL over the metrics tables for callers we do not trust with the process: exactly one
// SELECT that reads only the metrics views, run in a throw-away DuckDB with file and network access
// off, under a time limit, a memory limit and a row cap.
import {
  DuckDBArrayValue,
  DuckDBDecimalValue,
  DuckDBListValue,
  DuckDBMapValue,
  DuckDBStructValue,
  type DuckDBValue,
} from '@duckdb/node-api';
import { literal, openDuckDb, type DuckDb } from '../data/duckdb.js';
import { metricsTables, type MetricsStore } from './store.js';

/** Why SQL was refused before it ran; stable, so the API can use them as problem codes. */
export const SqlRejection = {
  Syntax: 'sql-syntax-error',
  NotSelect: 'sql-not-select',
  MultipleStatements: 'sql-multiple-statements',
  ForbiddenSource: 'sql-forbidden-source',
} as const;
export type SqlRejection = (typeof SqlRejection)[keyof typeof SqlRejection];

/** Thrown when SQL is refused before it runs: it is not exactly one SELECT over the metrics views. */
export class SqlRejectedError extends Error {
  override readonly name = 'SqlRejectedError';
  constructor(
    readonly code: SqlRejection,
    readonly rule: string,
  ) {
    super(`SQL refused: ${rule}`);
  }
}

/** Thrown when a query runs past its time limit; it was interrupted. */
export class QueryTimeoutError extends Error {
  override readonly name = 'QueryTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(
      `the query ran longer than ${timeoutMs / 1000} s and was stopped; narrow it with filters, aggregates or LIMIT`,
    );
  }
}

/** Thrown when DuckDB fails a query that passed the guard (unknown column, type mismatch, out of memory). */
export class QueryFailedError extends Error {
  override readonly name = 'QueryFailedError';
  constructor(readonly reason: string) {
    super(`the query failed: ${reason}`);
  }
}

/** A view the query may read: its name, the statement creating it, and the directory its files live in. */
export interface ViewSource {
  name: string;
  createSql: string;
  directory?: string;
}

/** Table functions that read nothing but their arguments. */
const allowedTableFunctions = ['range', 'generate_series', 'unnest'];

const selectRule =
  'must be a single read-only SELECT (or WITH … SELECT) statement; COPY, ATTACH, INSTALL, LOAD, PRAGMA, SET, EXPORT and every other statement are refused';

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? 'unknown error';
}

interface Sources {
  tables: { name: string; schema: string; catalog: string }[];
  functions: string[];
  shows: string[];
  ctes: Set<string>;
}

/** Collects every table, table function, SHOW target and CTE name anywhere in a serialized statement. */
function collectSources(node: unknown, into: Sources): void {
  if (Array.isArray(node)) {
    for (const item of node) collectSources(item, into);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const o = node as Record<string, unknown>;
  if (o.type === 'BASE_TABLE' && typeof o.table_name === 'string') {
    into.tables.push({
      name: o.table_name,
      schema: String(o.schema_name ?? ''),
      catalog: String(o.catalog_name ?? ''),
    });
  }
  if (o.type === 'TABLE_FUNCTION') {
    const fn = o.function as { function_name?: unknown; schema?: unknown } | undefined;
    into.functions.push(`${fn?.schema ? `${String(fn.schema)}.` : ''}${String(fn?.function_name ?? '?')}`);
  }
  // DESCRIBE/SUMMARIZE of a query carry the query (walked below); SHOW TABLES and friends name a catalog object.
  if (o.type === 'SHOW_REF' && typeof o.table_name === 'string' && o.table_name !== '')
    into.shows.push(o.table_name);
  const cteMap = (o.cte_map as { map?: { key?: unknown }[] } | undefined)?.map;
  if (Array.isArray(cteMap))
    for (const entry of cteMap) if (typeof entry.key === 'string') into.ctes.add(entry.key.toLowerCase());
  for (const value of Object.values(o)) collectSources(value, into);
}

/**
 * Refuses SQL that is not exactly one SELECT reading only `tables` (and its own CTEs) and the pure
 * table functions `range`, `generate_series` and `unnest`. DuckDB's own parser decides what the
 * statement is (`json_serialize_sql` serializes SELECTs only), so there is no second parser to fool.
 */
export async function checkReadOnlySelect(db: DuckDb, sql: string, tables: readonly string[]): Promise<void> {
  const [row] = await db.all<{ ast: string }>('SELECT json_serialize_sql($1::VARCHAR) AS ast', [sql]);
  const ast = JSON.parse(row?.ast ?? '{}') as {
    error?: boolean;
    error_type?: string;
    error_message?: string;
    statements?: unknown[];
  };
  if (ast.error) {
    if (ast.error_type === 'parser')
      throw new SqlRejectedError(
        SqlRejection.Syntax,
        `is not valid SQL: ${ast.error_message ?? 'syntax error'}`,
      );
    throw new SqlRejectedError(SqlRejection.NotSelect, selectRule);
  }
  const statements = ast.statements ?? [];
  if (statements.length === 0)
    throw new SqlRejectedError(SqlRejection.NotSelect, `is empty; it ${selectRule}`);
  if (statements.length > 1) {
    throw new SqlRejectedError(
      SqlRejection.MultipleStatements,
      `has ${statements.length} statements; send exactly one SELECT`,
    );
  }

  const found: Sources = { tables: [], functions: [], shows: [], ctes: new Set() };
  collectSources(statements, found);
  const known = tables.map((t) => t.toLowerCase());
  const readable = `queries may read only the metrics tables (${known.join(', ')}) and the table functions ${allowedTableFunctions.join(', ')}`;
  for (const fn of found.functions) {
    if (!allowedTableFunctions.includes(fn.toLowerCase()))
      throw new SqlRejectedError(
        SqlRejection.ForbiddenSource,
        `table function ${fn}() is not allowed: ${readable}`,
      );
  }
  for (const t of found.tables) {
    const name = t.name.toLowerCase();
    const unqualified =
      (t.schema === '' || t.schema.toLowerCase() === 'main') &&
      (t.catalog === '' || t.catalog.toLowerCase() === 'memory');
    if (!unqualified || !(known.includes(name) || found.ctes.has(name))) {
      const shown = [t.catalog, t.schema, t.name].filter(Boolean).join('.');
      throw new SqlRejectedError(
        SqlRejection.ForbiddenSource,
        `table "${shown}" is not allowed: ${readable}`,
      );
    }
  }
  for (const s of found.shows)
    throw new SqlRejectedError(SqlRejection.ForbiddenSource, `SHOW ${s} is not allowed: ${readable}`);
}

/**
 * The metrics store's current views (synced first), as statements to re-create them elsewhere.
 * Read from the store's own DuckDB catalog because the store does not expose its cache directory.
 */
export async function metricsViewSources(metrics: MetricsStore): Promise<ViewSource[]> {
  const rows = await metrics.query<{ view_name: string; sql: string }>(
    `SELECT view_name, sql FROM duckdb_views() WHERE NOT internal AND schema_name = 'main' ORDER BY view_name`,
  );
  const names = Object.keys(metricsTables);
  return rows
    .filter((r) => names.includes(r.view_name))
    .map((r) => {
      const glob = /read_parquet\('((?:[^']|'')*)'/.exec(r.sql)?.[1]?.replace(/''/g, "'");
      const cut = glob?.indexOf('**') ?? -1;
      return {
        name: r.view_name,
        createSql: r.sql,
        ...(glob && cut > 0 ? { directory: glob.slice(0, cut) } : {}),
      };
    });
}

/** A JSON-safe value: BIGINT → number when exact, else text; nested types recursively; the rest as DuckDB's text. */
function plain(value: DuckDBValue): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint')
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof DuckDBDecimalValue) return value.toDouble();
  if (value instanceof DuckDBListValue || value instanceof DuckDBArrayValue) return value.items.map(plain);
  if (value instanceof DuckDBStructValue)
    return Object.fromEntries(Object.entries(value.entries).map(([k, v]) => [k, plain(v)]));
  if (value instanceof DuckDBMapValue)
    return value.entries.map((e) => ({ key: plain(e.key), value: plain(e.value) }));
  return String(value);
}

export interface ReadOnlyQueryOptions {
  sql: string;
  /** The views the query may read. */
  views: readonly ViewSource[];
  maxRows: number;
  timeoutMs: number;
  /** Stop adding rows once the answer's JSON would pass this size (default 8 MiB). */
  maxResultBytes?: number;
  /** DuckDB's memory limit for this query (default 512MB). */
  memoryLimit?: string;
  threads?: number;
}

export interface ReadOnlyQueryResult {
  columns: { name: string; type: string }[];
  rows: Record<string, unknown>[];
  rowCount: number;
  /** True when the query had more rows than `maxRows` (or than fit in the size limit). */
  truncated: boolean;
  elapsedMs: number;
}

/** Creates the views, then turns off file access for good (views keep reading their own directories only). */
async function lockDown(db: DuckDb, views: readonly ViewSource[]): Promise<void> {
  const dirs = views.flatMap((v) => (v.directory ? [literal(v.directory)] : []));
  if (dirs.length > 0) await db.run(`SET allowed_directories = [${dirs.join(', ')}]`);
  for (const v of views) await db.run(v.createSql);
  await db.run('SET autoinstall_known_extensions = false');
  await db.run('SET autoload_known_extensions = false');
  await db.run('SET enable_external_access = false');
  await db.run('SET lock_configuration = true');
}

async function execute(
  db: DuckDb,
  o: ReadOnlyQueryOptions,
  state: { timedOut: boolean },
): Promise<Omit<ReadOnlyQueryResult, 'elapsedMs'>> {
  const maxBytes = o.maxResultBytes ?? 8 * 1024 * 1024;
  try {
    const result = await db.connection.stream(o.sql);
    const names = result.columnNames();
    const types = result.columnTypes();
    const columns = names.map((name, i) => ({ name, type: types[i]!.toString() }));
    const rows: Record<string, unknown>[] = [];
    let bytes = 0;
    let truncated = false;
    fetching: for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      for (const values of chunk.getRows()) {
        const row: Record<string, unknown> = {};
        values.forEach((v, i) => (row[names[i]!] = plain(v)));
        bytes += JSON.stringify(row).length + 1;
        if (rows.length === o.maxRows || bytes > maxBytes) {
          truncated = true;
          break fetching;
        }
        rows.push(row);
      }
    }
    return { columns, rows, rowCount: rows.length, truncated };
  } catch (err) {
    if (state.timedOut) throw new QueryTimeoutError(o.timeoutMs);
    throw new QueryFailedError(firstLine(err));
  }
}

/**
 * Runs one guarded SELECT in its own in-memory DuckDB that sees only `views`. The time limit
 * interrupts the query; should DuckDB not stop within a second of that, the caller is answered
 * anyway and the database is closed once the query ends.
 */
export async function runReadOnlyQuery(o: ReadOnlyQueryOptions): Promise<ReadOnlyQueryResult> {
  const db = await openDuckDb({ threads: o.threads ?? 2, memoryLimit: o.memoryLimit ?? '512MB' });
  let work: Promise<Omit<ReadOnlyQueryResult, 'elapsedMs'>> | undefined;
  try {
    await checkReadOnlySelect(
      db,
      o.sql,
      o.views.map((v) => v.name),
    );
    await lockDown(db, o.views);
    const started = Date.now();
    const state = { timedOut: false };
    let hardStop: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      state.timedOut = true;
      db.connection.interrupt();
    }, o.timeoutMs);
    work = execute(db, o, state);
    const deadline = new Promise<never>((_, reject) => {
      hardStop = setTimeout(() => reject(new QueryTimeoutError(o.timeoutMs)), o.timeoutMs + 1000);
    });
    try {
      const out = await Promise.race([work, deadline]);
      work = undefined;
      return { ...out, elapsedMs: Date.now() - started };
    } finally {
      clearTimeout(timer);
      clearTimeout(hardStop);
    }
  } finally {
    // Closing under a running statement is not safe: a query that ignored the interrupt closes when it ends.
    if (work) void work.catch(() => undefined).finally(() => db.close());
    else db.close();
  }
}
