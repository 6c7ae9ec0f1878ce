// Turns columnar feature and label data into the dense matrices the MLP trains on.
// Fitted on the training split only; the state is plain JSON saved next to the model for serving.
import type { FeatureColumns } from '../datasets/features.js';
import { FailureType, typedError } from '../errors.js';

/** A block of rows in columnar form; numeric nulls are NaN, categorical nulls are null. */
export interface ColumnChunk {
  length: number;
  numeric: Record<string, Float64Array>;
  categorical: Record<string, (string | null)[]>;
}

/** Standardisation of one numeric column (population std; 1 when the column is constant). */
export interface NumericScaler {
  name: string;
  mean: number;
  std: number;
}

/** One-hot encoding of one categorical column: `categories` then one trailing unknown slot. */
export interface CategoricalEncoder {
  name: string;
  categories: string[];
}

/** The fitted preprocessor as plain JSON: numeric columns first, then one one-hot block per categorical column. */
export interface PreprocessorState {
  version: 1;
  numeric: NumericScaler[];
  categorical: CategoricalEncoder[];
  inputDim: number;
  /** One name per input column, e.g. `age`, `city=paris`, `city=<unknown>`. */
  featureNames: string[];
}

/** Label mapping as plain JSON: class strings by index for classification, identity for regression. */
export type LabelEncoderState = { task: 'binary' | 'multiclass'; classes: string[] } | { task: 'regression' };

/** The task kinds a label encoder understands (same strings as the pipeline spec). */
export type LabelTask = LabelEncoderState['task'];

/** Thrown when feature columns are missing, mis-sized, or do not fit the output buffer. */
export class PreprocessingError extends typedError(FailureType.InvalidInput) {
  constructor(
    readonly column: string | null,
    message: string,
  ) {
    super(message);
  }
}

/** Thrown when a label is null, unknown to the encoder, or of the wrong kind; names the value and its row. */
export class LabelEncodingError extends typedError(FailureType.InvalidInput) {
  constructor(
    readonly value: unknown,
    /** Index of the offending label, or null when the problem is the label set as a whole. */
    readonly row: number | null,
    message: string,
  ) {
    super(message);
  }
}

const unknownLabel = '<unknown>';

/** Fits scalers and one-hot encoders over every chunk of the training split. */
export function fitPreprocessor(
  chunks: ColumnChunk[],
  features: Pick<FeatureColumns, 'numeric' | 'categorical'>,
): PreprocessorState {
  const numeric = features.numeric.map((name): NumericScaler => {
    // Welford's update keeps the variance accurate over millions of rows without a second pass.
    let count = 0;
    let mean = 0;
    let m2 = 0;
    for (const chunk of chunks) {
      const values = chunkColumn(chunk, 'numeric', name);
      for (let i = 0; i < chunk.length; i++) {
        const v = values[i]!;
        // Infinities are treated like nulls: one would turn the mean and every scaled value into NaN.
        if (!Number.isFinite(v)) continue;
        count++;
        const delta = v - mean;
        mean += delta / count;
        m2 += delta * (v - mean);
      }
    }
    const std = count > 0 ? Math.sqrt(m2 / count) : 0;
    return { name, mean: count > 0 ? mean : 0, std: std > 0 ? std : 1 };
  });
  const categorical = features.categorical.map((name): CategoricalEncoder => {
    const seen = new Set<string>();
    for (const chunk of chunks) {
      const values = chunkColumn(chunk, 'categorical', name);
      for (let i = 0; i < chunk.length; i++) {
        const v = values[i];
        if (v !== null && v !== undefined) seen.add(v);
      }
    }
    return { name, categories: [...seen].sort(compareStrings) };
  });
  const featureNames = [
    ...numeric.map((s) => s.name),
    ...categorical.flatMap((c) => [
      ...c.categories.map((v) => `${c.name}=${v}`),
      `${c.name}=${unknownLabel}`,
    ]),
  ];
  return { version: 1, numeric, categorical, inputDim: featureNames.length, featureNames };
}

/** Encodes a chunk into a new row-major `length × inputDim` matrix. */
export function transform(state: PreprocessorState, chunk: ColumnChunk): Float32Array {
  const out = new Float32Array(chunk.length * state.inputDim);
  transformInto(state, chunk, out, 0);
  return out;
}

/** Encodes a chunk into rows `rowOffset …` of a larger row-major matrix, so callers fill it chunk by chunk. */
export function transformInto(
  state: PreprocessorState,
  chunk: ColumnChunk,
  out: Float32Array,
  rowOffset: number,
): void {
  const dim = state.inputDim;
  const rowsAvailable = Math.floor(out.length / dim) - rowOffset;
  if (!Number.isInteger(rowOffset) || rowOffset < 0 || chunk.length > rowsAvailable)
    throw new PreprocessingError(
      null,
      `cannot write ${chunk.length} rows at row ${rowOffset} into a matrix of ${Math.floor(out.length / dim)} rows × ${dim}`,
    );
  let col = 0;
  for (const scaler of state.numeric) {
    const values = chunkColumn(chunk, 'numeric', scaler.name);
    for (let i = 0; i < chunk.length; i++) {
      const v = values[i]!;
      out[(rowOffset + i) * dim + col] = Number.isFinite(v) ? (v - scaler.mean) / scaler.std : 0;
    }
    col++;
  }
  for (const encoder of state.categorical) {
    const values = chunkColumn(chunk, 'categorical', encoder.name);
    const index = categoryIndex(encoder);
    const width = encoder.categories.length + 1;
    for (let i = 0; i < chunk.length; i++) {
      const start = (rowOffset + i) * dim + col;
      // The target may be a reused buffer, so clear the whole block before setting the hot slot.
      out.fill(0, start, start + width);
      const v = values[i];
      const slot = v === null || v === undefined ? undefined : index.get(v);
      out[start + (slot ?? width - 1)] = 1;
    }
    col += width;
  }
}

/** Learns the label mapping from the training labels; classification needs 2 classes (binary) or at least 2 (multiclass). */
export function fitLabelEncoder(values: (string | number | null)[], task: LabelTask): LabelEncoderState {
  if (task === 'regression') {
    values.forEach(regressionValue);
    return { task };
  }
  const distinct = new Set<string>();
  values.forEach((v, row) => distinct.add(classKey(v, row)));
  const classes = sortClasses([...distinct]);
  if (task === 'binary' ? classes.length !== 2 : classes.length < 2)
    throw new LabelEncodingError(
      classes,
      null,
      `a ${task} task needs ${task === 'binary' ? 'exactly 2' : 'at least 2'} classes, found ${classes.length}: ${classes.map((c) => `"${c}"`).join(', ')}`,
    );
  return { task, classes };
}

/** Maps labels to class indices (Int32Array) or regression targets (Float32Array). */
export function encodeLabels(
  state: LabelEncoderState,
  values: (string | number | null)[],
): Int32Array | Float32Array {
  if (state.task === 'regression') return Float32Array.from(values, regressionValue);
  const index = new Map(state.classes.map((c, i) => [c, i]));
  const out = new Int32Array(values.length);
  values.forEach((v, row) => {
    const key = classKey(v, row);
    const cls = index.get(key);
    if (cls === undefined)
      throw new LabelEncodingError(
        v,
        row,
        `unknown class "${key}" at row ${row}; known classes: ${state.classes.map((c) => `"${c}"`).join(', ')}`,
      );
    out[row] = cls;
  });
  return out;
}

function classKey(v: string | number | null, row: number): string {
  if (v === null || v === undefined) throw new LabelEncodingError(v, row, `null label at row ${row}`);
  return String(v);
}

function regressionValue(v: string | number | null, row: number): number {
  if (v === null || v === undefined) throw new LabelEncodingError(v, row, `null label at row ${row}`);
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new LabelEncodingError(
      v,
      row,
      `regression label at row ${row} must be a finite number, got ${JSON.stringify(v) ?? String(v)}`,
    );
  return v;
}

// Numeric labels sort by value so 0/1 keeps 1 as the positive class and "2" comes before "10".
function sortClasses(classes: string[]): string[] {
  const allNumeric = classes.every((c) => c.trim() !== '' && Number.isFinite(Number(c)));
  return allNumeric
    ? classes.sort((a, b) => Number(a) - Number(b) || compareStrings(a, b))
    : classes.sort(compareStrings);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The chunk's values of one column of `kind`, checked to be there and to cover every row. */
function chunkColumn(chunk: ColumnChunk, kind: 'numeric', name: string): Float64Array;
function chunkColumn(chunk: ColumnChunk, kind: 'categorical', name: string): (string | null)[];
function chunkColumn(chunk: ColumnChunk, kind: 'numeric' | 'categorical', name: string) {
  const values = chunk[kind][name];
  if (values === undefined)
    throw new PreprocessingError(name, `${kind} column "${name}" is missing from the chunk`);
  if (values.length < chunk.length)
    throw new PreprocessingError(
      name,
      `${kind} column "${name}" has ${values.length} values for ${chunk.length} rows`,
    );
  return values;
}

// Serving transforms one small chunk per request; rebuilding the lookup each time would dominate.
const categoryIndexCache = new WeakMap<CategoricalEncoder, Map<string, number>>();

function categoryIndex(encoder: CategoricalEncoder): Map<string, number> {
  let index = categoryIndexCache.get(encoder);
  if (!index) {
    index = new Map(encoder.categories.map((c, i) => [c, i]));
    categoryIndexCache.set(encoder, index);
  }
  return index;
}
