// Reads a snapshot's Parquet with DuckDB in column chunks and routes each row to its split, so
// training and evaluation see identical rows without a row-by-row JSON pass.
import { ident, literal, openDuckDb } from '../data/duckdb.js';
import type { FeatureColumns } from './features.js';
import { splitOf, type SplitName } from './split.js';

/** Columnar rows of one split: numeric as Float64Array (NaN = null), categorical as strings. */
export interface SplitColumns {
  length: number;
  numeric: Record<string, Float64Array>;
  categorical: Record<string, (string | null)[]>;
  labels: (string | number | null)[];
  /** Row index in the snapshot, for tracing predictions back to rows. */
  rowIndex: Int32Array;
}

class SplitBuilder {
  length = 0;
  readonly numeric: Record<string, number[]> = {};
  readonly categorical: Record<string, (string | null)[]> = {};
  readonly labels: (string | number | null)[] = [];
  readonly rowIndex: number[] = [];
  constructor(features: FeatureColumns) {
    for (const c of features.numeric) this.numeric[c] = [];
    for (const c of features.categorical) this.categorical[c] = [];
  }
  build(): SplitColumns {
    return {
      length: this.length,
      numeric: Object.fromEntries(Object.entries(this.numeric).map(([k, v]) => [k, Float64Array.from(v)])),
      categorical: this.categorical,
      labels: this.labels,
      rowIndex: Int32Array.from(this.rowIndex),
    };
  }
}

export interface LoadSplitsOptions {
  parquetPath: string;
  features: FeatureColumns;
  split: { test: number; validation: number; seed: number };
  /** Regression labels are numbers; classification labels are compared as strings. */
  numericLabel: boolean;
  /** Only these splits are kept (evaluation needs only `test`). */
  keep?: readonly SplitName[];
}

/** Reads the splits with a DuckDB of its own, closed when done. */
export async function loadSplits(o: LoadSplitsOptions): Promise<Record<SplitName, SplitColumns>> {
  const { numeric, categorical, label } = o.features;
  const keep = new Set(o.keep ?? ['train', 'validation', 'test']);
  const builders = {
    train: new SplitBuilder(o.features),
    validation: new SplitBuilder(o.features),
    test: new SplitBuilder(o.features),
  };
  const select = [
    'file_row_number',
    ...numeric.map((c) => `TRY_CAST(${ident(c)} AS DOUBLE) AS ${ident(c)}`),
    ...categorical.map((c) => `CAST(${ident(c)} AS VARCHAR) AS ${ident(c)}`),
    o.numericLabel
      ? `TRY_CAST(${ident(label)} AS DOUBLE) AS __label`
      : `CAST(${ident(label)} AS VARCHAR) AS __label`,
  ].join(', ');
  const sql = `SELECT ${select} FROM read_parquet(${literal(o.parquetPath)}, file_row_number = true)`;
  const db = await openDuckDb();
  try {
    for await (const chunk of db.chunks(sql)) {
      const cols = chunk.columns;
      const rowNumbers = cols[0]!;
      for (let r = 0; r < chunk.rowCount; r++) {
        const index = Number(rowNumbers[r] as bigint | number);
        const target = splitOf(index, o.split);
        if (!keep.has(target)) continue;
        const b = builders[target];
        b.length++;
        b.rowIndex.push(index);
        let c = 1;
        for (const name of numeric) {
          const v = cols[c++]![r] as number | null;
          b.numeric[name]!.push(v === null ? Number.NaN : v);
        }
        for (const name of categorical) b.categorical[name]!.push(cols[c++]![r] as string | null);
        b.labels.push(cols[c]![r] as string | number | null);
      }
    }
  } finally {
    db.close();
  }
  return {
    train: builders.train.build(),
    validation: builders.validation.build(),
    test: builders.test.build(),
  };
}
