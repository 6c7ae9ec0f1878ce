// The metrics tables' definitions: every table's columns, the row types derived from them, and the
// checks a row must pass before it is written. Writer, reader and named queries all build on these.
import { FailureType, typedError } from '../errors.js';
import { ident } from '../data/duckdb.js';

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
export const warehouseTables = {
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

export type WarehouseTable = keyof typeof warehouseTables;

type Columns<T extends WarehouseTable> = (typeof warehouseTables)[T];
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
export type WarehouseRow<T extends WarehouseTable> = Simplify<{
  -readonly [K in keyof Columns<T>]: OrNull<Columns<T>[K], BaseValue<Columns<T>[K]>>;
}>;

/** A row as `append` takes it: nullable columns may be omitted; timestamps are Dates or ISO-8601 strings with an offset. */
export type WarehouseRowInput<T extends WarehouseTable> = Simplify<
  { [K in RequiredKeys<Columns<T>>]: InputValue<Columns<T>[K]> } & {
    [K in Exclude<keyof Columns<T>, RequiredKeys<Columns<T>>>]?: InputValue<Columns<T>[K]> | null;
  }
>;

/** One pipeline run's state at a stage transition. */
export type RunRow = WarehouseRow<'runs'>;
/** One dataset validation check's outcome. */
export type ValidationCheckRow = WarehouseRow<'validation_checks'>;
/** One training epoch of one attempt. */
export type TrainingEpochRow = WarehouseRow<'training_epochs'>;

/** Thrown when a row does not fit its table: an unknown column, a missing non-nullable value or a wrongly typed value. */
export class InvalidWarehouseRowError extends typedError(FailureType.Internal) {
  constructor(
    readonly table: string,
    readonly rowIndex: number,
    readonly column: string,
    readonly rule: string,
  ) {
    super(`metrics table "${table}", row ${rowIndex}, column "${column}": ${rule}`);
  }
}

const isoTimestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const int32 = { min: -2_147_483_648, max: 2_147_483_647 };

export function isTable(name: string): name is WarehouseTable {
  return Object.hasOwn(warehouseTables, name);
}

export function columnsOf(table: WarehouseTable): [string, ColumnSpec][] {
  return Object.entries(warehouseTables[table]);
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

export function validateRows(
  table: WarehouseTable,
  rows: readonly Record<string, unknown>[],
  model: string,
): void {
  const columns = warehouseTables[table] as Record<string, ColumnSpec>;
  rows.forEach((row, i) => {
    for (const name of Object.keys(row)) {
      if (!Object.hasOwn(columns, name))
        throw new InvalidWarehouseRowError(table, i, name, 'is not a column of this table');
    }
    for (const [name, spec] of Object.entries(columns)) {
      const rule = ruleBroken(spec, row[name]);
      if (rule) throw new InvalidWarehouseRowError(table, i, name, rule);
    }
    if (row.model !== model)
      throw new InvalidWarehouseRowError(table, i, 'model', `must equal the partition model "${model}"`);
  });
}

/** The table's columns for a SELECT list, with timestamps rendered as ISO-8601 UTC (DuckDB's text form has no zone). */
export function selectList(table: WarehouseTable, alias = ''): string {
  const q = alias ? `${alias}.` : '';
  return columnsOf(table)
    .map(([name, spec]) =>
      spec.type === 'TIMESTAMP'
        ? `strftime(${q}${ident(name)}, '%Y-%m-%dT%H:%M:%S.%gZ') AS ${ident(name)}`
        : `${q}${ident(name)}`,
    )
    .join(', ');
}
