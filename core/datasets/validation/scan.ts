// The SQL shared by every validation scan: one-pass aggregate queries, value expressions with NaN
// folded into NULL, and grouped value counts of many columns in one GROUPING SETS query.
import { type DuckDb, ident, literal } from '../../data/duckdb.js';

export const numericType =
  /^(U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|FLOAT|DOUBLE|DECIMAL(\(\d+,\s*\d+\))?)$/;
export const floatType = /^(FLOAT|DOUBLE)$/;
/** Above this many rows, duplicates and numeric drift bins of the current data come from a
 * deterministic sample of about this size (see `runValidation`). */
export const maxExactRows = 1_000_000;
/** Numeric types that have no NaN. */
export const nanFreeType = /^(U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|DECIMAL(\(\d+,\s*\d+\))?)$/;

/** Builds one SELECT of many aggregates, so a single scan answers every question asked of a file. */
export function aggregateQuery() {
  const parts: string[] = [];
  return {
    add(sql: string): string {
      const alias = `a${parts.length}`;
      parts.push(`${sql} AS ${alias}`);
      return alias;
    },
    /** The query over `from`: a Parquet scan, or a subquery projecting helper columns. */
    sql(from: string): string {
      return `SELECT ${parts.join(',\n  ')}\nFROM ${from}`;
    },
  };
}

export function parquet(path: string): string {
  return `read_parquet(${literal(path)})`;
}

export async function runOne(db: DuckDb, sql: string): Promise<Record<string, unknown>> {
  const [row] = await db.all(sql);
  return row ?? {};
}

export const asNumber = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** A number as a SQL DOUBLE; via a string so DuckDB parses it exactly instead of through a DECIMAL. */
export function double(value: number): string {
  return `'${value}'::DOUBLE`;
}

/** A column's values with NaN folded into NULL (both mean "no value"); plain for non-float types. */
export function valueOf(column: string, type: string | undefined): string {
  const c = ident(column);
  return type !== undefined && floatType.test(type) ? `CASE WHEN isnan(${c}) THEN NULL ELSE ${c} END` : c;
}

/** Value counts of a column as text; the `null` key counts missing values. */
export type ValueCounts = Map<string | null, number>;

/** Value counts of each column in one GROUPING SETS scan that reads those columns only. */
export async function groupedValueCounts(
  db: DuckDb,
  path: string,
  columns: readonly string[],
): Promise<Map<string, ValueCounts>> {
  const out = new Map(columns.map((c) => [c, new Map<string | null, number>()]));
  if (columns.length === 0) return out;
  // Grouping the raw values and casting each group's key once costs half as much as casting every row
  // first. Two keys could print alike, so counts are added up per text.
  const rows = await db.all(
    `SELECT ${columns.map((c, i) => `CAST(${ident(c)} AS VARCHAR) AS v${i}, grouping(${ident(c)}) AS g${i}`).join(', ')}, count(*) AS n
FROM ${parquet(path)}
GROUP BY GROUPING SETS (${columns.map((c) => `(${ident(c)})`).join(', ')})`,
  );
  for (const r of rows) {
    const i = columns.findIndex((_, k) => asNumber(r[`g${k}`]) === 0);
    const v = r[`v${i}`];
    const key = v === null || v === undefined ? null : String(v);
    const counts = out.get(columns[i]!)!;
    counts.set(key, (counts.get(key) ?? 0) + asNumber(r.n));
  }
  return out;
}

export function nonNullCounts(counts: ValueCounts | undefined): Record<string, number> {
  return Object.fromEntries([...(counts ?? [])].filter((e): e is [string, number] => e[0] !== null));
}
