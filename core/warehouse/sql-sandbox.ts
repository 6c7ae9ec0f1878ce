// Read-only SQL over the metrics tables for callers we do not trust with the process: exactly one
// SELECT that reads only the metrics views and calls only allowlisted functions, run in a throw-away
// DuckDB with file and network access off, under a time limit, a memory limit and a row cap, in one
// of a fixed number of slots that is given back only once DuckDB has really stopped.
import { codedError, FailureType, firstLine, typedError } from '../errors.js';
import {
  DuckDBArrayValue,
  DuckDBDecimalValue,
  DuckDBListValue,
  DuckDBMapValue,
  DuckDBStructValue,
  type DuckDBValue,
} from '@duckdb/node-api';
import { literal, openDuckDb, type DuckDb } from '../data/duckdb.js';
import type { Warehouse } from './store.js';
import { warehouseTables } from './tables.js';

/** Why SQL was refused before it ran; stable, so the API can use them as problem codes. */
export const SqlRejection = {
  Syntax: 'sql-syntax-error',
  NotSelect: 'sql-not-select',
  MultipleStatements: 'sql-multiple-statements',
  ForbiddenSource: 'sql-forbidden-source',
  ForbiddenFunction: 'sql-forbidden-function',
} as const;
export type SqlRejection = (typeof SqlRejection)[keyof typeof SqlRejection];

/** Thrown when SQL is refused before it runs: it is not exactly one SELECT over the metrics views. */
export class SqlRejectedError extends typedError(FailureType.InvalidInput) {
  constructor(
    override readonly code: SqlRejection,
    readonly rule: string,
  ) {
    super(`SQL refused: ${rule}`);
  }
}

/** Thrown when a query runs past its time limit; it was interrupted. */
export class QueryTimeoutError extends codedError(FailureType.Timeout, 'query-timeout') {
  constructor(readonly timeoutMs: number) {
    super(
      `the query ran longer than ${timeoutMs / 1000} s and was stopped; narrow it with filters, aggregates or LIMIT`,
    );
  }
}

/** Thrown when every query slot is taken; a slot is free again only once its query has really stopped. */
export class TooManyQueriesError extends codedError(FailureType.RateLimited, 'too-many-queries') {
  constructor(readonly maxConcurrent: number) {
    super(`${maxConcurrent} SQL queries are already running; retry when one has finished`);
  }
}

/** Thrown when DuckDB fails a query that passed the guard (unknown column, type mismatch, out of memory). */
export class QueryFailedError extends codedError(FailureType.InvalidInput, 'query-failed') {
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

/**
 * Scalar, aggregate and window functions a query may call: pure functions of their arguments.
 * An allowlist, because DuckDB adds functions every release and some read settings, variables, the
 * query log or files (current_setting, getvariable, json_serialize_plan, read_* …). Left out on
 * purpose too: functions whose output size is an argument (repeat, lpad, rpad, format, bar, scalar
 * range, list_resize): DuckDB builds such values outside its memory limit and cannot interrupt them.
 * Operators (`+`, `||`, `~~`, `->>` …) are functions in DuckDB's syntax tree and are allowed.
 */
const allowedFunctions = new Set(
  [
    // aggregates and window functions
    'any_value approx_count_distinct approx_quantile approx_top_k arbitrary arg_max arg_max_null arg_min arg_min_null argmax argmin array_agg avg bit_and bit_or bit_xor bool_and bool_or corr count count_if count_star countif covar_pop covar_samp cume_dist dense_rank entropy favg first first_value fsum geomean geometric_mean group_concat histogram kahan_sum kurtosis kurtosis_pop lag last last_value lead list listagg mad max max_by mean median min min_by mode nth_value ntile percent_rank product quantile quantile_cont quantile_disc rank rank_dense regr_avgx regr_avgy regr_count regr_intercept regr_r2 regr_slope regr_sxx regr_sxy regr_syy reservoir_quantile row_number sem skewness stddev stddev_pop stddev_samp string_agg sum sumkahan var_pop var_samp variance wavg weighted_avg',
    // numbers
    'abs acos acosh add asin asinh atan atan2 atanh bit_count cbrt ceil ceiling cos cosh cot degrees divide even exp factorial fdiv floor fmod gamma gcd greatest greatest_common_divisor isfinite isinf isnan lcm least least_common_multiple lgamma ln log log10 log2 mod multiply nextafter pi pow power radians random round round_even roundbankers sign signbit sin sinh sqrt subtract tan tanh trunc xor equi_width_bins is_histogram_other_bin',
    // text
    'ascii bit_length char_length character_length chr concat concat_ws contains damerau_levenshtein editdist3 ends_with hamming hash ilike_escape instr jaccard jaro_similarity jaro_winkler_similarity lcase left len length levenshtein like_escape lower ltrim md5 nfc_normalize not_ilike_escape not_like_escape octet_length ord position prefix regexp_escape regexp_extract regexp_extract_all regexp_full_match regexp_matches regexp_replace regexp_split_to_array replace reverse right rtrim sha1 sha256 split split_part starts_with str_split str_split_regex string_split string_split_regex string_to_array strip_accents strlen strpos substr substring suffix translate trim ucase unicode upper url_decode url_encode base64 to_base64 from_base64 hex unhex bin unbin to_hex from_hex to_binary from_binary format_bytes formatreadablesize formatreadabledecimalsize parse_formatted_bytes array_to_string',
    // dates and times
    'age date_add date_diff date_part date_sub date_trunc datediff datepart datesub datetrunc day dayname dayofmonth dayofweek dayofyear days_in_month decade century millennium era epoch epoch_ms epoch_ns epoch_us hour minute second millisecond microsecond nanosecond month monthname quarter week weekday weekofyear year yearweek isodow isoyear julian last_day make_date make_time make_timestamp make_timestamp_ms make_timestamp_ns make_timestamptz strftime strptime try_strptime time_bucket timezone timezone_hour timezone_minute to_timestamp to_centuries to_days to_decades to_hours to_microseconds to_millennia to_milliseconds to_minutes to_months to_quarters to_seconds to_weeks to_years today now current_date current_localtime current_localtimestamp get_current_time get_current_timestamp transaction_timestamp normalized_interval',
    // lists, structs, maps, JSON, ids, conditionals
    'array_contains array_distinct array_extract array_filter array_has array_has_all array_has_any array_length array_position array_slice array_sort array_reverse_sort array_transform array_unique array_value cardinality element_at flatten list_aggregate list_aggr list_any_value list_avg list_contains list_count list_distinct list_element list_extract list_filter list_first list_has list_has_all list_has_any list_last list_max list_median list_min list_mode list_pack list_position list_reduce list_reverse list_slice list_sort list_reverse_sort list_stddev_pop list_stddev_samp list_string_agg list_sum list_transform list_unique list_value list_var_pop list_var_samp list_zip array_zip unnest map map_entries map_extract map_extract_value map_keys map_values map_contains map_from_entries row struct_extract struct_pack struct_keys struct_values struct_insert json json_array json_array_length json_contains json_exists json_extract json_extract_path json_extract_path_text json_extract_string json_group_array json_group_object json_keys json_merge_patch json_object json_pretty json_quote json_structure json_transform json_type json_valid json_value from_json to_json uuid gen_random_uuid uuidv4 uuidv7 uuid_extract_timestamp uuid_extract_version nullif ifnull coalesce typeof',
  ]
    .join(' ')
    .split(' '),
);

/** Operators are spelled with symbols only (`+`, `||`, `~~`, `->>`, `!__postfix` for factorial). */
const isOperator = (name: string) => /^[^A-Za-z0-9_]+$/.test(name) || name === '!__postfix';

const selectRule =
  'must be a single read-only SELECT (or WITH … SELECT) statement; COPY, ATTACH, INSTALL, LOAD, PRAGMA, SET, EXPORT and every other statement are refused';

interface Sources {
  /** Tables and views named anywhere; `cte` is true when a CTE of that name is in scope where it is named. */
  tables: { name: string; schema: string; catalog: string; cte: boolean }[];
  functions: string[];
  /** Scalar, aggregate and window functions called anywhere, with any schema or catalog they were qualified by. */
  calls: { name: string; qualifier: string }[];
  shows: string[];
}

type CteEntry = { key?: unknown; value?: { query?: { node?: { type?: unknown; cte_name?: unknown } } } };

/**
 * Collects every table, table function, function call and SHOW target anywhere in a serialized
 * statement. CTE names are scoped as DuckDB binds them: a query node's CTEs are visible in that node
 * and its subqueries, not outside it; each CTE's body sees the CTEs before it, and itself only when
 * it is recursive (DuckDB resolves any other name to the catalog, e.g. a system view).
 */
function collectSources(node: unknown, into: Sources, scope: ReadonlySet<string> = new Set()): void {
  if (Array.isArray(node)) {
    for (const item of node) collectSources(item, into, scope);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const o = node as Record<string, unknown>;
  if (o.type === 'BASE_TABLE' && typeof o.table_name === 'string')
    into.tables.push({
      name: o.table_name,
      schema: String(o.schema_name ?? ''),
      catalog: String(o.catalog_name ?? ''),
      cte: scope.has(o.table_name.toLowerCase()),
    });
  if (o.type === 'TABLE_FUNCTION') {
    const fn = o.function as { function_name?: unknown; schema?: unknown; children?: unknown } | undefined;
    into.functions.push(`${fn?.schema ? `${String(fn.schema)}.` : ''}${String(fn?.function_name ?? '?')}`);
    // The function node itself is the table function; only its arguments are expressions to check.
    collectSources(fn?.children, into, scope);
    for (const [key, value] of Object.entries(o)) if (key !== 'function') collectSources(value, into, scope);
    return;
  }
  if ((o.class === 'FUNCTION' || o.class === 'WINDOW') && typeof o.function_name === 'string') {
    const qualifier = [o.catalog, o.schema].filter((q) => typeof q === 'string' && q !== '').join('.');
    into.calls.push({ name: o.function_name, qualifier });
  }
  // DESCRIBE/SUMMARIZE of a query carry the query (walked below); SHOW TABLES and friends name a catalog object.
  if (o.type === 'SHOW_REF' && typeof o.table_name === 'string' && o.table_name !== '')
    into.shows.push(o.table_name);
  const cteMap = (o.cte_map as { map?: CteEntry[] } | undefined)?.map;
  if (!Array.isArray(cteMap) || cteMap.length === 0) {
    for (const value of Object.values(o)) collectSources(value, into, scope);
    return;
  }
  const names = cteMap.map((e) => (typeof e.key === 'string' ? e.key.toLowerCase() : ''));
  cteMap.forEach((entry, i) => {
    const body = new Set([...scope, ...names.slice(0, i)]);
    const inner = entry.value?.query?.node;
    if (inner?.type === 'RECURSIVE_CTE_NODE' && String(inner.cte_name).toLowerCase() === names[i])
      body.add(names[i]!);
    collectSources(entry.value, into, body);
  });
  const inner = new Set([...scope, ...names]);
  for (const [key, value] of Object.entries(o)) if (key !== 'cte_map') collectSources(value, into, inner);
}

function refuse(code: SqlRejection, rule: string): never {
  throw new SqlRejectedError(code, rule);
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
      refuse(SqlRejection.Syntax, `is not valid SQL: ${ast.error_message ?? 'syntax error'}`);
    refuse(SqlRejection.NotSelect, selectRule);
  }
  const statements = ast.statements ?? [];
  if (statements.length === 0) refuse(SqlRejection.NotSelect, `is empty; it ${selectRule}`);
  if (statements.length > 1)
    refuse(SqlRejection.MultipleStatements, `has ${statements.length} statements; send exactly one SELECT`);

  const found: Sources = { tables: [], functions: [], calls: [], shows: [] };
  collectSources(statements, found);
  const known = tables.map((t) => t.toLowerCase());
  const readable = `queries may read only the metrics tables (${known.join(', ')}) and the table functions ${allowedTableFunctions.join(', ')}`;
  for (const fn of found.functions) {
    if (!allowedTableFunctions.includes(fn.toLowerCase()))
      refuse(SqlRejection.ForbiddenSource, `table function ${fn}() is not allowed: ${readable}`);
  }
  for (const call of found.calls) {
    const name = call.name.toLowerCase();
    // DuckDB's parser itself qualifies a few constructors (`[1, 2]` is main.list_value).
    const qualified = call.qualifier !== '' && call.qualifier.toLowerCase() !== 'main';
    if (qualified || !(isOperator(name) || allowedFunctions.has(name)))
      refuse(
        SqlRejection.ForbiddenFunction,
        `function ${call.qualifier ? `${call.qualifier}.` : ''}${call.name}() is not allowed: queries may call pure functions of their arguments only (arithmetic, text, dates, lists, JSON, aggregates, windows); nothing that reads settings, variables, files or the environment`,
      );
  }
  for (const t of found.tables) {
    const name = t.name.toLowerCase();
    const unqualified =
      (t.schema === '' || t.schema.toLowerCase() === 'main') &&
      (t.catalog === '' || t.catalog.toLowerCase() === 'memory');
    if (!unqualified || !(t.cte || known.includes(name))) {
      const shown = [t.catalog, t.schema, t.name].filter(Boolean).join('.');
      refuse(SqlRejection.ForbiddenSource, `table "${shown}" is not allowed: ${readable}`);
    }
  }
  for (const s of found.shows) refuse(SqlRejection.ForbiddenSource, `SHOW ${s} is not allowed: ${readable}`);
}

/**
 * The warehouse's current views (synced first), as statements to re-create them elsewhere.
 * Read from the store's own DuckDB catalog because the store does not expose its cache directory.
 */
export async function warehouseViewSources(metrics: Warehouse): Promise<ViewSource[]> {
  const rows = await metrics.query<{ view_name: string; sql: string }>(
    `SELECT view_name, sql FROM duckdb_views() WHERE NOT internal AND schema_name = 'main' ORDER BY view_name`,
  );
  const names = Object.keys(warehouseTables);
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
  /** DuckDB's memory limit for this query (default 512MB); it cannot spill to disk either. */
  memoryLimit?: string;
  threads?: number;
  /** How long after the interrupt the caller waits for DuckDB to stop before it is answered anyway (default 1000 ms). */
  graceMs?: number;
  /** Called once, when the query's DuckDB is closed: after the query really stopped, even if the caller was answered before. */
  onStopped?: () => void;
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
  // No spilling: the memory limit is the query's whole budget, and the API's disk is not its scratch space.
  await db.run("SET temp_directory = ''");
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
 * interrupts the query; should DuckDB not stop within `graceMs` of that, the caller is answered
 * anyway and the database is closed once the query ends (then `onStopped` runs).
 */
export async function runReadOnlyQuery(o: ReadOnlyQueryOptions): Promise<ReadOnlyQueryResult> {
  let stopped = false;
  const stop = (db?: DuckDb) => {
    if (stopped) return;
    stopped = true;
    try {
      db?.close();
    } finally {
      o.onStopped?.();
    }
  };
  let db: DuckDb;
  try {
    db = await openDuckDb({ threads: o.threads ?? 2, memoryLimit: o.memoryLimit ?? '512MB' });
  } catch (err) {
    stop();
    throw err;
  }
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
      hardStop = setTimeout(
        () => reject(new QueryTimeoutError(o.timeoutMs)),
        o.timeoutMs + (o.graceMs ?? 1000),
      );
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
    if (work) void work.catch(() => undefined).finally(() => stop(db));
    else stop(db);
  }
}

/** Runs guarded queries in at most `maxConcurrent` slots at once. */
export interface ReadOnlyQueryRunner {
  /** Throws TooManyQueriesError when every slot is taken, else as `runReadOnlyQuery`. */
  run(o: Omit<ReadOnlyQueryOptions, 'onStopped'>): Promise<ReadOnlyQueryResult>;
  /** Slots taken: queries whose DuckDB has not stopped yet, answered or not. */
  running(): number;
  /** Resolves once every slot is free. */
  idle(): Promise<void>;
}

export function createReadOnlyQueryRunner(options: { maxConcurrent: number }): ReadOnlyQueryRunner {
  const { maxConcurrent } = options;
  let running = 0;
  let waiters: (() => void)[] = [];
  const release = () => {
    running--;
    if (running > 0) return;
    const ready = waiters;
    waiters = [];
    for (const w of ready) w();
  };
  return {
    run(o) {
      if (running >= maxConcurrent) return Promise.reject(new TooManyQueriesError(maxConcurrent));
      running++;
      return runReadOnlyQuery({ ...o, onStopped: release });
    },
    running: () => running,
    idle: () => (running === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
  };
}
