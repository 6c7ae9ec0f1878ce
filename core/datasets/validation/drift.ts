// Drift checks: PSI of each feature against the champion's training snapshot, from a reference
// profile (decile bins, value counts) computed once per immutable snapshot and kept beside it.
import { stat } from 'node:fs/promises';
import { type DuckDb, ident, literal } from '../../data/duckdb.js';
import { psiCategorical } from '../../metrics/math.js';
import type { ParquetFooter } from './parquet-footer.js';
import {
  aggregateQuery,
  asNumber,
  double,
  groupedValueCounts,
  maxExactRows,
  nanFreeType,
  nonNullCounts,
  parquet,
  runOne,
  type ValueCounts,
} from './scan.js';
import { referenceProfileVersion, type ReferenceProfile, type ValidationCheck } from './types.js';

const deciles = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
/** Above this many reference rows, decile edges come from a sample of about this size. */
const maxExactQuantileRows = 1_000_000;
/** Above this many rows, numeric drift bins of the current data come from a smaller sample of about
 * `sampledDriftRows` rows: 1 in 20 row groups of 10 M rows moved PSI by at most 2.2e-4 (1 in 10:
 * 1.0e-4) in bench/validation-throughput.ts, against a warn threshold of 0.1, for ≈ 35% less CPU. */
const maxDriftRows = 5_000_000;
const sampledDriftRows = 500_000;

export interface DriftInput {
  db: DuckDb;
  dataPath: string;
  footer: ParquetFooter;
  referencePath: string;
  referenceProfile?: ReferenceProfile;
  numericFeatures: string[];
  categoricalFeatures: string[];
  /** The current data's column types. */
  types: ReadonlyMap<string, string>;
  /** The current data's value counts, from the main grouped query. */
  currentCategorical: Map<string, ValueCounts>;
  drift: { warn: number; fail?: number };
}

/** A numeric column as a NaN-free DOUBLE (NaN and NULL both mean "no value"). */
function asDouble(column: string): string {
  const x = `TRY_CAST(${ident(column)} AS DOUBLE)`;
  return `CASE WHEN isnan(${x}) THEN NULL ELSE ${x} END`;
}

/** Bin counts per column from DuckDB's binned `histogram(x, edges)`: right-closed bins (`x <= e0`,
 * `e0 < x <= e1`, …, then `x > e_last`), one binary-searching aggregate per column, about half the
 * cost of a cumulative `count_if(x <= edge)` per edge. It files NaN under the first bin, so NaN is
 * filtered out of every column that could hold it (NaN and NULL both mean "no value"); its map omits the last bin while that bin is
 * empty, and is NULL when the column has no values. */
async function binCounts(
  db: DuckDb,
  from: string,
  columns: { column: string; edges: number[]; type: string | undefined }[],
): Promise<{ counts: number[][]; rows: number }> {
  const q = aggregateQuery();
  const rowsAlias = q.add('count(*)');
  // Integer and decimal columns cannot hold NaN (text cast to DOUBLE can); skipping the filter on
  // them saves about a quarter of the query.
  const aliases = columns.map(({ edges, type }, i) =>
    q.add(
      `map_values(histogram(x${i}, [${edges.map(double).join(', ')}]::DOUBLE[])${
        type !== undefined && nanFreeType.test(type) ? '' : ` FILTER (WHERE NOT isnan(x${i}))`
      })`,
    ),
  );
  const projection = `(SELECT ${columns.map(({ column }, i) => `TRY_CAST(${ident(column)} AS DOUBLE) AS x${i}`).join(', ')} FROM ${from})`;
  const row = await runOne(db, q.sql(projection));
  return {
    rows: asNumber(row[rowsAlias]),
    counts: columns.map(({ edges }, i) => {
      const bins = ((row[aliases[i]!] as unknown[] | null) ?? []).map(asNumber);
      return Array.from({ length: edges.length + 1 }, (_, b) => bins[b] ?? 0);
    }),
  };
}

/** Profiles already computed in this process, by reference file path, size and mtime. */
const profileMemo = new Map<string, ReferenceProfile>();

/**
 * The reference's profile for these features: reuses `stored` and the memo, computes only the
 * columns neither has. Bins follow `psiNumeric` in core/metrics/math.ts (interior edges at the
 * reference's interpolated deciles, right-closed, missing values ignored), so the monitor and this
 * check agree on the same data.
 */
async function profileReference(
  db: DuckDb,
  referencePath: string,
  numericFeatures: readonly string[],
  categoricalFeatures: readonly string[],
  stored: ReferenceProfile | undefined,
): Promise<ReferenceProfile> {
  const file = await stat(referencePath);
  const key = `${referencePath}\0${file.size}\0${file.mtimeMs}`;
  // The stored profile wins over the memo: it is what the caller will keep.
  const known = [profileMemo.get(key), stored].filter(
    (p): p is ReferenceProfile => p !== undefined && p.version === referenceProfileVersion,
  );
  const profile: ReferenceProfile = {
    version: referenceProfileVersion,
    columns: known.at(-1)?.columns ?? [],
    numeric: Object.assign({}, ...known.map((p) => p.numeric)) as ReferenceProfile['numeric'],
    categorical: Object.assign({}, ...known.map((p) => p.categorical)) as ReferenceProfile['categorical'],
  };
  const describe = async () =>
    new Map(
      (
        await db.all<{ column_name: string; column_type: string }>(
          `DESCRIBE SELECT * FROM ${parquet(referencePath)}`,
        )
      ).map((c) => [c.column_name, c.column_type]),
    );
  const described = known.length === 0 ? await describe() : undefined;
  if (described) profile.columns = [...described.keys()];
  // A feature the reference never had has no baseline to drift from; the schema check covers new columns.
  const inReference = new Set(profile.columns);
  const numeric = numericFeatures.filter((f) => inReference.has(f) && !(f in profile.numeric));
  const categorical = categoricalFeatures.filter((f) => inReference.has(f) && !(f in profile.categorical));

  if (numeric.length > 0) {
    const referenceTypes = described ?? (await describe());
    // Exact deciles sort every value of every column (about a minute for 15 columns × 10 M rows on
    // two cores); deciles of a 1 M-row sample are within ~0.1 percentile of them, which moves PSI by
    // noise only. Hashing the row number keeps the sample deterministic, so reruns give the same PSI.
    const referenceRows = asNumber(
      (await runOne(db, `SELECT count(*) AS n FROM ${parquet(referencePath)}`)).n,
    );
    const sampleEvery = Math.max(1, Math.ceil(referenceRows / maxExactQuantileRows));
    const q = aggregateQuery();
    const aliases = numeric.map((f) => q.add(`quantile_cont(${asDouble(f)}, [${deciles.join(', ')}])`));
    const row = await runOne(
      db,
      q.sql(
        `read_parquet(${literal(referencePath)}, file_row_number = true)${
          sampleEvery > 1 ? ` WHERE hash(file_row_number) % ${sampleEvery} = 0` : ''
        }`,
      ),
    );
    const edges = aliases.map((alias) => {
      const values = ((row[alias] as unknown[] | null) ?? []).map(Number).filter(Number.isFinite);
      return [...new Set(values)].sort((a, b) => a - b);
    });
    const { counts } = await binCounts(
      db,
      parquet(referencePath),
      numeric.map((column, i) => ({ column, edges: edges[i]!, type: referenceTypes.get(column) })),
    );
    numeric.forEach((f, i) => (profile.numeric[f] = { edges: edges[i]!, counts: counts[i]! }));
  }
  if (categorical.length > 0) {
    const counts = await groupedValueCounts(db, referencePath, categorical);
    for (const f of categorical) profile.categorical[f] = nonNullCounts(counts.get(f));
  }
  profileMemo.set(key, profile);
  return profile;
}

const binRecord = (counts: readonly number[]): Record<string, number> =>
  Object.fromEntries(counts.map((n, b) => [String(b), n]));

/** PSI per feature against the reference's cached profile. Categorical features compare value counts. */
export async function driftChecks({
  db,
  dataPath,
  footer,
  referencePath,
  referenceProfile,
  numericFeatures,
  categoricalFeatures,
  types,
  currentCategorical,
  drift,
}: DriftInput): Promise<{ checks: ValidationCheck[]; profile: ReferenceProfile }> {
  const profile = await profileReference(
    db,
    referencePath,
    numericFeatures,
    categoricalFeatures,
    referenceProfile,
  );
  const numeric = numericFeatures.filter((f) => f in profile.numeric);
  const categorical = categoricalFeatures.filter((f) => f in profile.categorical);

  // Numeric bins of the current data: every row up to `maxExactRows`; above that, every k-th whole
  // row group (DuckDB skips the others unread), spread evenly over the file, for a sample of about
  // `maxExactRows` rows, or `sampledDriftRows` above `maxDriftRows`. A per-row sample would still
  // decode every row; a full pass costs several bare scans for ~1e-4 of PSI.
  const sampleRows = footer.rows > maxDriftRows ? sampledDriftRows : maxExactRows;
  const groupsEvery = Math.min(footer.rowGroups, Math.max(1, Math.ceil(footer.rows / sampleRows)));
  const stripe = groupsEvery * footer.rowGroupRows;
  const current =
    numeric.length === 0
      ? { counts: [], rows: 0 }
      : await binCounts(
          db,
          groupsEvery > 1
            ? `read_parquet(${literal(dataPath)}, file_row_number = true) WHERE file_row_number % ${stripe} < ${footer.rowGroupRows}`
            : parquet(dataPath),
          numeric.map((column) => ({
            column,
            edges: profile.numeric[column]!.edges,
            type: types.get(column),
          })),
        );
  const sampled =
    groupsEvery > 1
      ? `; current data binned on 1 in ${groupsEvery} row groups (${current.rows.toLocaleString('en-US')} rows)`
      : '';

  const checks: ValidationCheck[] = [];
  const compared = [
    ...numeric.map((f, i) => ({
      feature: f,
      reference: binRecord(profile.numeric[f]!.counts),
      current: binRecord(current.counts[i]!),
      note: sampled,
    })),
    ...categorical.map((f) => ({
      feature: f,
      reference: profile.categorical[f]!,
      current: nonNullCounts(currentCategorical.get(f)),
      note: '',
    })),
  ];
  for (const { feature, reference, current: now, note } of compared) {
    const psi = psiCategorical(reference, now);
    // NaN means one side has no values at all: nothing to compare, and the nulls check reports it.
    if (Number.isNaN(psi)) continue;
    const fail = drift.fail;
    const failed = fail !== undefined && psi > fail;
    checks.push({
      check: 'drift',
      column: feature,
      severity: failed ? 'error' : 'warning',
      passed: psi <= drift.warn,
      observed: psi,
      threshold: failed ? fail : drift.warn,
      message: `drift: feature "${feature}" has PSI ${psi.toFixed(3)} against the reference (warn above ${drift.warn}${
        fail !== undefined ? `, fail above ${fail}` : ''
      })${note}`,
    });
  }
  return { checks, profile };
}
