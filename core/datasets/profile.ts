// A snapshot's profile: per column its type, missing values, distinct values, numeric range and (for
// few-valued columns) its value counts. Read by checking a spec against its dataset and by drafting a
// spec from one; one aggregate scan plus one grouped count, with DuckDB over the cached Parquet.
import type { DuckDb } from '../data/duckdb.js';
import type { DatasetColumn } from './catalog.js';
import {
  aggregateQuery,
  asNumber,
  groupedValueCounts,
  nonNullCounts,
  numericType,
  parquet,
  runOne,
  valueOf,
} from './validation/scan.js';

/** Columns with at most this many distinct values get their value counts in the profile. */
export const profiledValueLimit = 50;

/** One column of a profile. */
export interface ColumnProfile {
  name: string;
  /** DuckDB's type, as in the manifest. */
  type: string;
  numeric: boolean;
  /** Missing values (NULL, and NaN in float columns). */
  nulls: number;
  distinct: number;
  /** Smallest and largest value of a numeric column with any value. */
  min?: number;
  max?: number;
  /** Value counts (as text) when the column has at most `profiledValueLimit` distinct values. */
  values?: Record<string, number>;
}

/** A snapshot's profile: its row count and the profiled columns, in schema order. */
export interface DatasetProfile {
  rowCount: number;
  columns: ColumnProfile[];
}

/** Profiles `columns` (default: all) of the Parquet file at `path`, whose schema is `schema`. */
export async function profileParquet(
  db: DuckDb,
  path: string,
  schema: readonly DatasetColumn[],
  columns?: readonly string[],
): Promise<DatasetProfile> {
  const wanted = schema.filter((c) => columns === undefined || columns.includes(c.name));
  const q = aggregateQuery();
  const rows = q.add('count(*)');
  const aliases = wanted.map((c) => {
    const v = valueOf(c.name, c.type);
    const numeric = numericType.test(c.type);
    return {
      column: c,
      numeric,
      present: q.add(`count(${v})`),
      distinct: q.add(`count(DISTINCT ${v})`),
      ...(numeric ? { min: q.add(`min(${v})::DOUBLE`), max: q.add(`max(${v})::DOUBLE`) } : {}),
    };
  });
  const row = await runOne(db, q.sql(parquet(path)));
  const rowCount = asNumber(row[rows]);
  const few = aliases
    .filter((a) => asNumber(row[a.distinct]) <= profiledValueLimit)
    .map((a) => a.column.name);
  const counts = await groupedValueCounts(db, path, few);
  return {
    rowCount,
    columns: aliases.map((a) => {
      const present = asNumber(row[a.present]);
      const profile: ColumnProfile = {
        name: a.column.name,
        type: a.column.type,
        numeric: a.numeric,
        nulls: rowCount - present,
        distinct: asNumber(row[a.distinct]),
      };
      if (a.min !== undefined && present > 0) {
        profile.min = Number(row[a.min]);
        profile.max = Number(row[a.max!]);
      }
      if (counts.has(a.column.name)) profile.values = nonNullCounts(counts.get(a.column.name));
      return profile;
    }),
  };
}
