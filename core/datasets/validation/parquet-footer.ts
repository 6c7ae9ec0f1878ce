// What a Parquet file's footer proves: row-group layout always, and null counts, exact min/max and
// NaN-freedom per column only for files Ferry wrote (an uploaded file's footer can claim anything).
import { type DuckDb, literal } from '../../data/duckdb.js';
import { asNumber } from './scan.js';

/** Integer and float types whose Parquet footer min/max DuckDB reads back exactly. */
export const footerStatsType = /^(U?(TINYINT|SMALLINT|INTEGER|BIGINT)|FLOAT|DOUBLE)$/;

/** What a Parquet file's footer says: row counts and, per column, exact min/max over every row group. */
export interface ParquetFooter {
  rows: number;
  rowGroups: number;
  /** The largest row group's row count. */
  rowGroupRows: number;
  /** Columns whose every row group has exact min/max statistics. */
  columns: Map<string, { min: number; max: number }>;
  /** Columns whose every row group has a null count: their NULLs (NaN not included). */
  nullCounts: Map<string, number>;
  /** Columns the footer proves hold no NaN: DuckDB's writer (checked on v1.5.6) omits min/max for a
   * row group whose float column holds NaN, so a file it wrote with min/max in every row group has
   * none. Other writers compute min/max without NaN, so their files never qualify. */
  nanFree: Set<string>;
}

/** `created_by` of a DuckDB-written file, e.g. "DuckDB version v1.5.6 (build 069cc9f9b5)". */
const duckDbWriter = /^DuckDB version v(\d+)\.(\d+)\.\d+\b/;

/** Whether a file's writer omits float min/max for NaN-holding row groups: DuckDB from the version
 * checked (1.5) on. Older versions are not trusted, as their float statistics have changed over time. */
function omitsStatsForNaN(createdBy: string | null | undefined): boolean {
  const m = duckDbWriter.exec(createdBy ?? '');
  return m !== null && (Number(m[1]) > 1 || (Number(m[1]) === 1 && Number(m[2]) >= 5));
}

/** Per column: how many row groups have exact min/max and a null count, and their totals. */
function columnStatistics(db: DuckDb, path: string) {
  return db.all<{
    col: string;
    chunks: number;
    exact: number;
    mn: number | null;
    mx: number | null;
    counted: number;
    nulls: number | null;
    bounded: number;
  }>(
    `SELECT path_in_schema AS col, count(*) AS chunks, count(stats_null_count) AS counted, sum(stats_null_count) AS nulls,
       count(*) FILTER (WHERE stats_min IS NOT NULL AND stats_max IS NOT NULL
         AND NOT isnan(TRY_CAST(stats_min AS DOUBLE)) AND NOT isnan(TRY_CAST(stats_max AS DOUBLE))) AS bounded,
       count(*) FILTER (WHERE TRY_CAST(stats_min_value AS DOUBLE) IS NOT NULL AND TRY_CAST(stats_max_value AS DOUBLE) IS NOT NULL
         AND min_is_exact IS NOT false AND max_is_exact IS NOT false) AS exact,
       min(TRY_CAST(stats_min_value AS DOUBLE)) AS mn, max(TRY_CAST(stats_max_value AS DOUBLE)) AS mx
     FROM parquet_metadata(${literal(path)}) GROUP BY path_in_schema`,
  );
}

/** The file's row groups, and its statistics when `trusted` (Ferry wrote it); otherwise none, so
 * every null count and range is computed from the data. */
export async function parquetFooter(db: DuckDb, path: string, trusted: boolean): Promise<ParquetFooter> {
  const [groups] = await db.all<{
    groups: number | null;
    rows: number | null;
    largest: number | null;
    created_by: string | null;
  }>(
    `SELECT count(*) AS groups, sum(num_rows) AS rows, max(num_rows) AS largest,
       (SELECT created_by FROM parquet_file_metadata(${literal(path)})) AS created_by
     FROM (SELECT DISTINCT row_group_id, row_group_num_rows AS num_rows FROM parquet_metadata(${literal(path)}))`,
  );
  const stats = trusted ? await columnStatistics(db, path) : [];
  const rowGroups = asNumber(groups?.groups);
  const columns = new Map<string, { min: number; max: number }>();
  const nullCounts = new Map<string, number>();
  const nanFree = new Set<string>();
  const omitsNaNStats = omitsStatsForNaN(groups?.created_by);
  for (const s of stats) {
    if (s.chunks === rowGroups && s.counted === rowGroups) nullCounts.set(s.col, asNumber(s.nulls));
    if (omitsNaNStats && s.chunks === rowGroups && s.bounded === rowGroups) nanFree.add(s.col);
    if (s.chunks === rowGroups && s.exact === rowGroups && s.mn !== null && s.mx !== null)
      columns.set(s.col, { min: Number(s.mn), max: Number(s.mx) });
  }
  return {
    rows: asNumber(groups?.rows),
    rowGroups,
    rowGroupRows: Math.max(1, asNumber(groups?.largest)),
    columns,
    nullCounts,
    nanFree,
  };
}
