// Checks prediction rows against a model version's input schema and turns them into the column chunk
// the training preprocessing takes. It runs on every request, so the happy path is one pass per row
// with no per-row allocation beyond the columns themselves; messages are built only when a row is bad.
import type { ColumnChunk } from '../model/preprocessing.js';
import { InvalidInputError, type FieldError } from './errors.js';

/** Rows per request unless the decoder is told otherwise. */
export const maxRowsPerRequest = 1000;
/** A request with more problems than this lists the first ones only. */
const maxErrors = 20;

/** What a `null` feature value means: impute it as training encoded nulls, or refuse the row. */
export type NullPolicy = 'impute' | 'refuse';

/** The features a version takes, by kind (the registry's `inputSchema`). */
export interface FeatureSchema {
  numeric: readonly string[];
  categorical: readonly string[];
  /** From the spec's `serving.nulls`; versions registered before it existed impute. */
  nulls?: NullPolicy;
}

/**
 * Largest distance from the training mean, in training standard deviations, a numeric value may
 * have. Beyond it the value is no measurement the model has any say about, and far beyond it
 * (1e40, or anything past float32's 3.4e38 once scaled) the model's float32 arithmetic overflows to
 * Infinity and NaN.
 */
export const maxStandardScore = 1e6;

/** Numeric features by name with the training mean and standard deviation they are scaled by. */
export type NumericScales = ReadonlyMap<string, { mean: number; std: number }>;

/** Validates raw rows and builds a ColumnChunk; throws InvalidInputError naming every problem (up to 20). */
export interface InputDecoder {
  readonly schema: FeatureSchema;
  readonly maxRows: number;
  decode(rows: readonly unknown[]): ColumnChunk;
}

/**
 * Rules: every feature present; numeric features finite numbers within `maxStandardScore` training
 * standard deviations of the training mean (when `scales` are given), categorical features strings
 * (an unseen category is fine: it takes the unknown slot, as in training); `null` means "value
 * unknown": with the `impute` policy it is encoded as training encoded nulls (numeric → the training
 * mean, categorical → the unknown slot, which is also where training put null categories, so the
 * model has learned it), with `refuse` it is an error; no fields besides the features.
 */
export function createInputDecoder(
  schema: FeatureSchema,
  options: { maxRows?: number; scales?: NumericScales } = {},
): InputDecoder {
  const numeric = [...schema.numeric];
  const refuseNulls = schema.nulls === 'refuse';
  const nullRule = "is null, and this model's spec refuses nulls (serving.nulls: refuse)";
  // Per numeric column: the finite range a value may take, [mean - k·std, mean + k·std].
  const bounds = numeric.map((name) => {
    const s = options.scales?.get(name);
    if (!s) return undefined;
    const spread = maxStandardScore * s.std;
    return { lo: s.mean - spread, hi: s.mean + spread };
  });
  const categorical = [...schema.categorical];
  const maxRows = options.maxRows ?? maxRowsPerRequest;
  const known = new Set([...numeric, ...categorical]);
  const expected = [...known].join(', ');

  function decode(rows: readonly unknown[]): ColumnChunk {
    if (!Array.isArray(rows) || rows.length === 0)
      throw new InvalidInputError([{ field: 'rows', rule: 'must hold at least one row' }]);
    if (rows.length > maxRows)
      throw new InvalidInputError([
        { field: 'rows', rule: `must hold at most ${maxRows} rows per request, got ${rows.length}` },
      ]);
    const n = rows.length;
    const numCols: Record<string, Float64Array> = {};
    const numArrays: Float64Array[] = new Array(numeric.length);
    for (let j = 0; j < numeric.length; j++) numCols[numeric[j]!] = numArrays[j] = new Float64Array(n);
    const catCols: Record<string, (string | null)[]> = {};
    const catArrays: (string | null)[][] = new Array(categorical.length);
    for (let j = 0; j < categorical.length; j++)
      catCols[categorical[j]!] = catArrays[j] = new Array<string | null>(n);

    let errors: FieldError[] | undefined;
    const fail = (field: string, rule: string) => {
      errors ??= [];
      if (errors.length < maxErrors) errors.push({ field, rule });
    };

    for (let i = 0; i < n; i++) {
      const row = rows[i] as Record<string, unknown> | null;
      if (row === null || typeof row !== 'object' || Array.isArray(row)) {
        fail(`rows[${i}]`, `must be an object of feature values, got ${show(row)}`);
        continue;
      }
      let present = 0;
      for (let j = 0; j < numeric.length; j++) {
        const name = numeric[j]!;
        const v = row[name];
        if (typeof v === 'number' && Number.isFinite(v)) {
          numArrays[j]![i] = v;
          present++;
          const b = bounds[j];
          if (b && (v < b.lo || v > b.hi))
            fail(
              `rows[${i}].${name}`,
              `must lie within ${maxStandardScore} training standard deviations of the training mean (${show(b.lo)} … ${show(b.hi)}), got ${show(v)}`,
            );
        } else if (v === null) {
          numArrays[j]![i] = NaN;
          present++;
          if (refuseNulls) fail(`rows[${i}].${name}`, nullRule);
        } else if (v === undefined && !Object.hasOwn(row, name)) {
          fail(`rows[${i}].${name}`, 'is missing (numeric feature)');
        } else {
          present++;
          fail(`rows[${i}].${name}`, `must be a finite number (numeric feature), got ${show(v)}`);
        }
      }
      for (let j = 0; j < categorical.length; j++) {
        const name = categorical[j]!;
        const v = row[name];
        if (typeof v === 'string' || v === null) {
          catArrays[j]![i] = v;
          present++;
          if (v === null && refuseNulls) fail(`rows[${i}].${name}`, nullRule);
        } else if (v === undefined && !Object.hasOwn(row, name)) {
          fail(`rows[${i}].${name}`, 'is missing (categorical feature)');
        } else {
          present++;
          fail(`rows[${i}].${name}`, `must be a string (categorical feature), got ${show(v)}`);
        }
      }
      let fields = 0;
      for (const key in row) if (Object.hasOwn(row, key)) fields++;
      if (fields > present) {
        for (const key of Object.keys(row)) {
          if (!known.has(key))
            fail(`rows[${i}].${key}`, `is not a feature of this model (features: ${expected})`);
        }
      }
    }
    if (errors) throw new InvalidInputError(errors);
    return { length: n, numeric: numCols, categorical: catCols };
  }

  return {
    schema: { numeric, categorical, ...(schema.nulls ? { nulls: schema.nulls } : {}) },
    maxRows,
    decode,
  };
}

function show(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (typeof v === 'number') return String(v);
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
