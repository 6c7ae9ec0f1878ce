// Ferry's metrics tables: append-only Parquet files in object storage (one file per logical write,
// hive-partitioned by model), queried with DuckDB over a local cache that can be deleted without loss.
import { FailureType, FerryError } from '../errors.js';
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { DuckDBTimestampValue, type DuckDBAppender, type DuckDBValue } from '@duckdb/node-api';
import { ident, literal, openDuckDb, type DuckDb } from '../data/duckdb.js';
import type { ObjectStore } from '../storage/object-store.js';
import { createManifestReader } from './compaction.js';

type DuckType = 'VARCHAR' | 'INTEGER' | 'DOUBLE' | 'BOOLEAN' | 'TIMESTAMP';

/** One column of a metrics table: its DuckDB type, whether it may be null, and its allowed values. */
export interface ColumnSpec {
  readonly type: DuckType;
  readonly nullable: boolean;
  readonly oneOf?: readonly string[];
}

const varchar = { type: 'VARCHAR', nullable: false } as const;
const varcharNull = { type: 'VARCHAR', nullable: true } as const;
const integer = { type: 'INTEGER', nullable: false } as const;
const integerNull = { type: 'INTEGER', nullable: true } as const;
const double = { type: 'DOUBLE', nullable: false } as const;
const doubleNull = { type: 'DOUBLE', nullable: true } as const;
const boolean = { type: 'BOOLEAN', nullable: false } as const;
const timestamp = { type: 'TIMESTAMP', nullable: false } as const;

/** Every metrics table and its columns; the row types below are derived from this, never the reverse. */
export const metricsTables = {
  runs: {
    run_id: varchar,
    pipeline: varchar,
    model: varchar,
    trigger: varchar,
    status: varchar,
    stage: varchar,
    spec_hash: varchar,
    dataset_sha: varchar,
    candidate_version: integerNull,
    primary_metric: varchar,
    primary_value: doubleNull,
    message: varchar,
    ts: timestamp,
  },
  validation_checks: {
    run_id: varchar,
    model: varchar,
    dataset_sha: varchar,
    check_name: varchar,
    column_name: varcharNull,
    severity: { type: 'VARCHAR', nullable: false, oneOf: ['error', 'warning'] },
    passed: boolean,
    observed: double,
    threshold: double,
    message: varchar,
    ts: timestamp,
  },
  training_epochs: {
    run_id: varchar,
    model: varchar,
    attempt: integer,
    epoch: integer,
    loss: double,
    val_loss: double,
    val_metric: double,
    samples: integer,
    ms: double,
    backend: varchar,
    ts: timestamp,
  },
  evaluations: {
    run_id: varchar,
    model: varchar,
    version: integerNull,
    subject: { type: 'VARCHAR', nullable: false, oneOf: ['candidate', 'champion'] },
    /** Null means the overall (unsliced) metric. */
    slice_column: varcharNull,
    slice_value: varcharNull,
    metric: varchar,
    value: double,
    count: integer,
    ts: timestamp,
  },
  registry_events: {
    model: varchar,
    version: integer,
    event: varchar,
    alias: varcharNull,
    from_version: integerNull,
    actor: varchar,
    reason: varchar,
    run_id: varcharNull,
    ts: timestamp,
  },
  /** One scored row: served (shadow = false) or scored in shadow; `features` and `output` are JSON text. */
  predictions: {
    model: varchar,
    version: integer,
    prediction_id: varchar,
    request_key: varcharNull,
    shadow: boolean,
    features: varchar,
    output: varchar,
    /** The predicted class label, or the regression value as text; null when scoring failed. */
    predicted: varcharNull,
    latency_ms: double,
    error: varcharNull,
    ts: timestamp,
  },
  /** One monitor run's findings for a model over its window. */
  monitoring: {
    model: varchar,
    run_id: varchar,
    window_start: timestamp,
    window_end: timestamp,
    version: integerNull,
    predictions: integer,
    errors: integer,
    error_rate: doubleNull,
    latency_p50_ms: doubleNull,
    latency_p95_ms: doubleNull,
    latency_p99_ms: doubleNull,
    max_feature_psi: doubleNull,
    drifted_feature: varcharNull,
    feature_psi: varchar,
    prediction_psi: doubleNull,
    labels: integer,
    online_accuracy: doubleNull,
    action: varchar,
    reason: varchar,
    ts: timestamp,
  },
  /** Ground truth for a prediction id, joined to `predictions` for online accuracy. */
  feedback: {
    model: varchar,
    prediction_id: varchar,
    label: varchar,
    ts: timestamp,
  },
} as const satisfies Record<string, Record<string, ColumnSpec>>;

export type MetricsTable = keyof typeof metricsTables;

/**
 * The label in force for each prediction id: the latest row. A prediction id gets one label, or more
 * only through an explicit replacement (see core/serving/feedback.ts), so joins must read this, not `feedback`.
 */
export const latestFeedbackSql =
  '(SELECT model, prediction_id, arg_max(label, ts) AS label FROM feedback GROUP BY model, prediction_id)';
type Columns<T extends MetricsTable> = (typeof metricsTables)[T];
type Simplify<T> = { [K in keyof T]: T[K] } & {};

type BaseValue<C> = C extends { oneOf: readonly (infer U)[] }
  ? U
  : C extends { type: 'VARCHAR' | 'TIMESTAMP' }
    ? string
    : C extends { type: 'BOOLEAN' }
      ? boolean
      : number;
type OrNull<C, V> = C extends { nullable: true } ? V | null : V;
type InputValue<C> = C extends { type: 'TIMESTAMP' } ? Date | string : BaseValue<C>;
type RequiredKeys<S> = { [K in keyof S]: S[K] extends { nullable: true } ? never : K }[keyof S];

/** A row as queries return it: nullable columns are `null` when absent; timestamps are ISO-8601 UTC strings. */
export type MetricsRow<T extends MetricsTable> = Simplify<{
  -readonly [K in keyof Columns<T>]: OrNull<Columns<T>[K], BaseValue<Columns<T>[K]>>;
}>;

/** A row as `append` takes it: nullable columns may be omitted; timestamps are Dates or ISO-8601 strings with an offset. */
export type MetricsRowInput<T extends MetricsTable> = Simplify<
  { [K in RequiredKeys<Columns<T>>]: InputValue<Columns<T>[K]> } & {
    [K in Exclude<keyof Columns<T>, RequiredKeys<Columns<T>>>]?: InputValue<Columns<T>[K]> | null;
  }
>;

/** One pipeline run's state at a stage transition. */
export type RunRow = MetricsRow<'runs'>;
/** One dataset validation check's outcome. */
export type ValidationCheckRow = MetricsRow<'validation_checks'>;
/** One training epoch of one attempt. */
export type TrainingEpochRow = MetricsRow<'training_epochs'>;
/** One metric of a candidate or champion, overall or on one slice. */
export type EvaluationRow = MetricsRow<'evaluations'>;
/** One change in the model registry (registration, alias move, rejection). */
export type RegistryEventRow = MetricsRow<'registry_events'>;

/** Thrown when a row does not fit its table: an unknown column, a missing non-nullable value or a wrongly typed value. */
export class InvalidMetricsRowError extends FerryError {
  override readonly name = 'InvalidMetricsRowError';
  readonly type = FailureType.Internal;
  constructor(
    readonly table: string,
    readonly rowIndex: number,
    readonly column: string,
    readonly rule: string,
  ) {
    super(`metrics table "${table}", row ${rowIndex}, column "${column}": ${rule}`);
  }
}

/** Thrown when a table, model or part cannot name a metrics file (unknown table, unsafe characters, too long). */
export class InvalidMetricsKeyError extends FerryError {
  override readonly name = 'InvalidMetricsKeyError';
  readonly type = FailureType.Internal;
  constructor(
    readonly field: 'table' | 'model' | 'part',
    readonly value: string,
    readonly rule: string,
  ) {
    super(`metrics ${field} "${value}": ${rule}`);
  }
}

/** Thrown when a metrics store is used after `close()`. */
export class MetricsStoreClosedError extends FerryError {
  override readonly name = 'MetricsStoreClosedError';
  readonly type = FailureType.Internal;
  constructor() {
    super('metrics store is closed');
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

export interface SyncResult {
  /** Metrics files in object storage. */
  files: number;
  downloaded: number;
  /** Cached files whose object no longer exists. */
  removed: number;
}

/** Metrics tables over object storage; one per process is enough, and it is safe under concurrent use. */
export interface MetricsStore {
  /** Writes `rows` as one Parquet file at `metrics/<table>/model=<model>/<part>.parquet`, replacing any earlier write of the same part. */
  append<T extends MetricsTable>(
    table: T,
    rows: readonly MetricsRowInput<T>[],
    options: AppendOptions,
  ): Promise<{ key: string; rows: number }>;
  /** Brings the local cache up to date with object storage (new files, overwritten parts, deleted files). */
  sync(): Promise<SyncResult>;
  /** Syncs, then runs SQL over the tables (one view each, empty when no file exists yet). Timestamps come back as DuckDB text. */
  query<T = Record<string, unknown>>(sql: string, params?: DuckDBValue[]): Promise<T[]>;
  /** The overall candidate value of `metric` for each registered version, oldest version first. */
  primaryMetricByVersion(
    model: string,
    metric: string,
  ): Promise<{ version: number; value: number; ts: string }[]>;
  /** Every epoch row of a run, ordered by epoch, then attempt. */
  runEpochs(runId: string): Promise<TrainingEpochRow[]>;
  /** The run's failed validation checks, errors before warnings. */
  failedChecks(runId: string): Promise<ValidationCheckRow[]>;
  /** How many epochs have rows from more than one attempt: zero when retries resumed from checkpoints. */
  epochsTrainedMoreThanOnce(runId: string): Promise<number>;
  /** The latest row of each run of the model, newest first. */
  runHistory(model: string): Promise<RunRow[]>;
  close(): Promise<void>;
}

export interface MetricsStoreOptions {
  store: ObjectStore;
  /** Local cache root; files land in `<cacheDir>/metrics/...`. Safe to delete at any time. */
  cacheDir: string;
}

const prefix = 'metrics/';
const segment = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const keyPattern =
  /^metrics\/([a-z][a-z0-9_]*)\/model=([A-Za-z0-9][A-Za-z0-9._-]*)\/([A-Za-z0-9][A-Za-z0-9._-]*)\.parquet$/;
// Keeps `<part>.parquet.meta.json` under the 255-byte file-name limit of common file systems.
const maxSegment = 200;
const isoTimestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const int32 = { min: -2_147_483_648, max: 2_147_483_647 };
const downloadConcurrency = 8;

/**
 * A safe part name from any text (workflow ids of scheduled runs contain ":"): every other
 * character becomes "-". Deterministic, so a retried write still lands on the same file.
 */
export function metricsPart(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return cleaned.length > maxSegment ? cleaned.slice(cleaned.length - maxSegment) : cleaned || 'part';
}

function checkSegment(field: 'model' | 'part', value: string): void {
  if (!segment.test(value)) {
    throw new InvalidMetricsKeyError(
      field,
      value,
      'must start with a letter or digit and contain only letters, digits, ".", "_" or "-"',
    );
  }
  if (value.length > maxSegment)
    throw new InvalidMetricsKeyError(field, value, `must be at most ${maxSegment} characters`);
}

function isTable(name: string): name is MetricsTable {
  return Object.hasOwn(metricsTables, name);
}

function columnsOf(table: MetricsTable): [string, ColumnSpec][] {
  return Object.entries(metricsTables[table]);
}

/** Checks one value against its column; returns the rule it breaks, or undefined. */
function ruleBroken(spec: ColumnSpec, value: unknown): string | undefined {
  if (value === null || value === undefined)
    return spec.nullable ? undefined : 'is required (the column is not nullable)';
  switch (spec.type) {
    case 'VARCHAR':
      if (typeof value !== 'string') return 'must be a string';
      if (spec.oneOf && !spec.oneOf.includes(value))
        return `must be one of ${spec.oneOf.map((v) => `"${v}"`).join(', ')}`;
      return undefined;
    case 'INTEGER':
      return typeof value === 'number' && Number.isInteger(value) && value >= int32.min && value <= int32.max
        ? undefined
        : 'must be an integer between -2147483648 and 2147483647';
    case 'DOUBLE':
      // NaN and ±Infinity are allowed: a diverging loss is a fact worth recording.
      return typeof value === 'number' ? undefined : 'must be a number';
    case 'BOOLEAN':
      return typeof value === 'boolean' ? undefined : 'must be a boolean';
    case 'TIMESTAMP':
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'must be a valid Date' : undefined;
      // An offset is required so the stored UTC instant never depends on the writer's time zone.
      return typeof value === 'string' && isoTimestamp.test(value) && !Number.isNaN(Date.parse(value))
        ? undefined
        : 'must be a Date or an ISO-8601 timestamp with "Z" or an offset';
  }
}

function validateRows(table: MetricsTable, rows: readonly Record<string, unknown>[], model: string): void {
  const columns = metricsTables[table] as Record<string, ColumnSpec>;
  rows.forEach((row, i) => {
    for (const name of Object.keys(row)) {
      if (!Object.hasOwn(columns, name))
        throw new InvalidMetricsRowError(table, i, name, 'is not a column of this table');
    }
    for (const [name, spec] of Object.entries(columns)) {
      const rule = ruleBroken(spec, row[name]);
      if (rule) throw new InvalidMetricsRowError(table, i, name, rule);
    }
    if (row.model !== model)
      throw new InvalidMetricsRowError(table, i, 'model', `must equal the partition model "${model}"`);
  });
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

/** The table's columns for a SELECT list, with timestamps rendered as ISO-8601 UTC (DuckDB's text form has no zone). */
function selectList(table: MetricsTable, alias = ''): string {
  const q = alias ? `${alias}.` : '';
  return columnsOf(table)
    .map(([name, spec]) =>
      spec.type === 'TIMESTAMP'
        ? `strftime(${q}${ident(name)}, '%Y-%m-%dT%H:%M:%S.%gZ') AS ${ident(name)}`
        : `${q}${ident(name)}`,
    )
    .join(', ');
}

interface CachedMeta {
  etag: string;
  size: number;
}

async function readMeta(path: string): Promise<CachedMeta | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as CachedMeta;
  } catch {
    return undefined;
  }
}

async function sizeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch {
    return undefined;
  }
}

async function writeAtomically(path: string, content: string): Promise<void> {
  const tmp = `${path}.${randomUUID()}.tmp`;
  await writeFile(tmp, content);
  await rename(tmp, path);
}

/** Serialises async work: one DuckDB connection must not run two statements at once. */
function createMutex(): <T>(fn: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (fn) => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
}

/** Creates a metrics store over an object store, caching files under `cacheDir`. */
export function createMetricsStore(options: MetricsStoreOptions): MetricsStore {
  const { store, cacheDir } = options;
  const cacheRoot = join(cacheDir, 'metrics');
  const stagingDir = join(cacheDir, 'staging');
  const withDb = createMutex();
  let db: DuckDb | undefined;
  let closed = false;
  // Views are rebuilt only when the set of cached files changed, since building reads every file's footer.
  let viewsStale = true;

  const localPath = (key: string) => join(cacheDir, ...key.split('/'));
  const manifests = createManifestReader(store);
  const metaPath = (path: string) => `${path}.meta.json`;

  function assertOpen(): void {
    if (closed) throw new MetricsStoreClosedError();
  }

  async function database(): Promise<DuckDb> {
    db ??= await openDuckDb();
    return db;
  }

  /** Records which object version a cached file holds; written after the file, so a crash leaves a mismatch, never a false match. */
  async function recordCached(path: string, etag: string, size: number): Promise<void> {
    await writeAtomically(metaPath(path), JSON.stringify({ etag, size } satisfies CachedMeta));
    viewsStale = true;
  }

  async function append<T extends MetricsTable>(
    table: T,
    rows: readonly MetricsRowInput<T>[],
    { model, part }: AppendOptions,
  ): Promise<{ key: string; rows: number }> {
    assertOpen();
    if (!isTable(table)) {
      throw new InvalidMetricsKeyError(
        'table',
        table,
        `is not a metrics table (known: ${Object.keys(metricsTables).join(', ')})`,
      );
    }
    checkSegment('model', model);
    checkSegment('part', part);
    validateRows(table, rows as readonly Record<string, unknown>[], model);

    const key = `${prefix}${table}/model=${model}/${part}.parquet`;
    await mkdir(stagingDir, { recursive: true });
    const staged = join(stagingDir, `${randomUUID()}.parquet`);
    try {
      await withDb(async () => {
        const d = await database();
        // A uniquely named scratch table lets concurrent appends share the one connection.
        const scratchName = `append_${randomUUID().replace(/-/g, '')}`;
        const scratch = ident(scratchName);
        const columns = columnsOf(table);
        await d.run(
          `CREATE TABLE ${scratch} (${columns.map(([n, s]) => `${ident(n)} ${s.type}`).join(', ')})`,
        );
        try {
          const appender = await d.connection.createAppender(scratchName);
          try {
            for (const row of rows as readonly Record<string, unknown>[]) {
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
      const body = await readFile(staged);
      const { etag } = await store.put(key, body, { contentType: 'application/vnd.apache.parquet' });
      // Seed the cache with what was just written so the writer's next query need not download it.
      const path = localPath(key);
      await mkdir(dirname(path), { recursive: true });
      await rename(staged, path);
      // Dated now, after the upload, so a sync that listed before the upload does not prune it as deleted.
      const now = new Date();
      await utimes(path, now, now);
      await recordCached(path, etag, body.length);
    } finally {
      await rm(staged, { force: true });
    }
    return { key, rows: rows.length };
  }

  async function syncOnce(): Promise<SyncResult> {
    const startedAt = Date.now();
    const listed = (await store.list(prefix)).filter((o) => keyPattern.test(o.key));
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
      const key = ['metrics', ...entry.split(sep)].join('/');
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
    if (closed) return Promise.reject(new MetricsStoreClosedError());
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
    for (const table of Object.keys(metricsTables) as MetricsTable[]) {
      const glob = [cacheRoot, table, '**', '*.parquet'].join(sep);
      const source = `read_parquet(${literal(glob)}, hive_partitioning = true, union_by_name = true, hive_types = {'model': VARCHAR})`;
      let present: Set<string> | undefined;
      try {
        const described = await d.all<{ column_name: string }>(`DESCRIBE SELECT * FROM ${source}`);
        present = new Set(described.map((c) => c.column_name));
      } catch (err) {
        if (!/No files found/i.test((err as Error).message)) throw err;
      }
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
    return withDb(async () => {
      assertOpen();
      const d = await database();
      if (viewsStale) await rebuildViews(d);
      return d.all<T>(sql, params);
    });
  }

  return {
    append,
    sync,
    query,

    primaryMetricByVersion(model, metric) {
      // Evaluation runs before registration, so a candidate's row may lack its version: the run's
      // 'registered' event supplies it, and its time is when the version came to be.
      return query(
        `WITH registered AS (
           SELECT run_id, version, ts FROM registry_events
           WHERE model = $1 AND event = 'registered' AND run_id IS NOT NULL
           QUALIFY row_number() OVER (PARTITION BY run_id ORDER BY ts) = 1
         ), candidate AS (
           SELECT coalesce(e.version, r.version) AS version, e.value, e.ts AS evaluated_at, coalesce(r.ts, e.ts) AS dated_at
           FROM evaluations e LEFT JOIN registered r ON r.run_id = e.run_id
           WHERE e.model = $1 AND e.metric = $2 AND e.subject = 'candidate' AND e.slice_column IS NULL
         )
         SELECT version, arg_max(value, evaluated_at) AS value, strftime(min(dated_at), '%Y-%m-%dT%H:%M:%S.%gZ') AS ts
         FROM candidate WHERE version IS NOT NULL
         GROUP BY version ORDER BY version`,
        [model, metric],
      );
    },

    runEpochs(runId) {
      return query(
        `SELECT ${selectList('training_epochs')} FROM training_epochs WHERE run_id = ? ORDER BY epoch, attempt`,
        [runId],
      );
    },

    failedChecks(runId) {
      return query(
        `SELECT ${selectList('validation_checks')} FROM validation_checks
         WHERE run_id = ? AND NOT passed
         ORDER BY severity = 'error' DESC, check_name, column_name NULLS FIRST`,
        [runId],
      );
    },

    async epochsTrainedMoreThanOnce(runId) {
      const [row] = await query<{ n: number }>(
        `SELECT count(*) AS n FROM (
           SELECT epoch FROM training_epochs WHERE run_id = ? GROUP BY epoch HAVING count(DISTINCT attempt) > 1
         )`,
        [runId],
      );
      return row?.n ?? 0;
    },

    runHistory(model) {
      return query(
        `WITH latest AS (
           SELECT * FROM runs WHERE model = ?
           QUALIFY row_number() OVER (PARTITION BY run_id ORDER BY ts DESC) = 1
         )
         SELECT ${selectList('runs', 'latest')} FROM latest ORDER BY latest.ts DESC, latest.run_id`,
        [model],
      );
    },

    async close() {
      if (closed) return;
      closed = true;
      await withDb(async () => {
        db?.close();
        db = undefined;
      });
    },
  };
}
