// Data validation for a training run: every check a pipeline spec asks for, computed by DuckDB over
// the snapshot's local Parquet in a handful of scans, with messages written for people. Footer
// statistics stand in for scanning only in files the caller says Ferry wrote.
import { stat } from 'node:fs/promises';
import { type DuckDb, ident, literal } from '../data/duckdb.js';
import { psiCategorical } from '../metrics/math.js';
import type { PipelineSpec } from '../spec/schema.js';
import type { DatasetColumn } from './catalog.js';

export const ValidationCheckName = {
  Schema: 'schema',
  MinRows: 'min-rows',
  Nulls: 'nulls',
  Range: 'range',
  Domain: 'domain',
  Duplicates: 'duplicates',
  LabelBalance: 'label-balance',
  Drift: 'drift',
} as const;
export type ValidationCheckName = (typeof ValidationCheckName)[keyof typeof ValidationCheckName];

/** The outcome of one check on one column (or the whole dataset when `column` is absent). */
export interface ValidationCheck {
  check: ValidationCheckName;
  column?: string;
  /** How bad a failure is: errors end the run, warnings are reported. */
  severity: 'error' | 'warning';
  passed: boolean;
  observed: number;
  threshold: number;
  message: string;
}

/** What to validate: the snapshot's Parquet, optionally a reference snapshot for drift, and the spec's rules. */
export interface ValidationInput {
  db: DuckDb;
  dataPath: string;
  /** The champion's training data; without it no drift checks run. */
  referencePath?: string;
  spec: Pick<PipelineSpec, 'dataset' | 'validation' | 'task'>;
  /** The snapshot's schema as DuckDB sees it (the manifest's). */
  schema: readonly DatasetColumn[];
  /** A stored profile of the reference snapshot; columns it lacks are computed and added. */
  referenceProfile?: ReferenceProfile;
  /** Whether Ferry wrote `dataPath` itself (the snapshot manifest's `dataWriter`), so its footer
   * statistics may prove null counts and ranges without a scan. Default false: an uploaded file's
   * footer can claim anything. Never decide this from the file: its footer is the writer's to forge. */
  dataWrittenByFerry?: boolean;
  /** The same for `referencePath`. */
  referenceWrittenByFerry?: boolean;
}

/** What drift needs from a reference snapshot: a pure function of that immutable file, so it is cached. */
export interface ReferenceProfile {
  version: typeof referenceProfileVersion;
  /** The reference's column names: a feature it lacks has no baseline to drift from. */
  columns: string[];
  /** Per numeric feature: interior bin edges (the reference's deciles) and the reference's count per bin. */
  numeric: Record<string, { edges: number[]; counts: number[] }>;
  /** Per categorical feature: the reference's non-null value counts. */
  categorical: Record<string, Record<string, number>>;
}

/** The checks, and the reference profile they used (for the caller to store when it is new). */
export interface ValidationResult {
  checks: ValidationCheck[];
  referenceProfile?: ReferenceProfile;
}

/** The verdict over a list of checks. */
export interface ValidationSummary {
  passed: boolean;
  errors: ValidationCheck[];
  warnings: ValidationCheck[];
  /** Every failed error check's message, one per line; empty when passed. */
  failureMessage: string;
}

const numericType = /^(U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|FLOAT|DOUBLE|DECIMAL(\(\d+,\s*\d+\))?)$/;
const floatType = /^(FLOAT|DOUBLE)$/;
/** Numeric types that have no NaN. */
const nanFreeType = /^(U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|DECIMAL(\(\d+,\s*\d+\))?)$/;
const deciles = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
/** Above this many reference rows, decile edges come from a sample of about this size. */
const maxExactQuantileRows = 1_000_000;
/** Above this many rows, duplicates and numeric drift bins of the current data come from a
 * deterministic sample of about this size (see `runValidation`). */
const maxExactRows = 1_000_000;
/** Above this many rows, numeric drift bins of the current data come from a smaller sample of about
 * `sampledDriftRows` rows: 1 in 20 row groups of 10 M rows moved PSI by at most 2.2e-4 (1 in 10:
 * 1.0e-4) in bench/validation-throughput.ts, against a warn threshold of 0.1, for ≈ 35% less CPU. */
const maxDriftRows = 5_000_000;
const sampledDriftRows = 500_000;
/** Bump when the meaning of a profile's numbers changes, so stale stored profiles are ignored. */
const referenceProfileVersion = 1;
/** Integer and float types whose Parquet footer min/max DuckDB reads back exactly. */
const footerStatsType = /^(U?(TINYINT|SMALLINT|INTEGER|BIGINT)|FLOAT|DOUBLE)$/;

function pct(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

function num(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
}

function quoted(values: readonly string[], max = 10): string {
  const shown = values.slice(0, max).map((v) => JSON.stringify(v));
  return values.length > max ? `${shown.join(', ')}, … (${values.length} in all)` : shown.join(', ');
}

/** Builds one SELECT of many aggregates, so a single scan answers every question asked of a file. */
function aggregateQuery() {
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

function parquet(path: string): string {
  return `read_parquet(${literal(path)})`;
}

async function runOne(db: DuckDb, sql: string): Promise<Record<string, unknown>> {
  const [row] = await db.all(sql);
  return row ?? {};
}

const asNumber = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** A number as a SQL DOUBLE; via a string so DuckDB parses it exactly instead of through a DECIMAL. */
function double(value: number): string {
  return `'${value}'::DOUBLE`;
}

/** A column's values with NaN folded into NULL (both mean "no value"); plain for non-float types. */
function valueOf(column: string, type: string | undefined): string {
  const c = ident(column);
  return type !== undefined && floatType.test(type) ? `CASE WHEN isnan(${c}) THEN NULL ELSE ${c} END` : c;
}

/** A range rule answered by a problem, the footer's statistics, or aggregates of the scan. */
type RangeRule = { column: string; range: { min?: number; max?: number } } & (
  | { problem: string }
  | { footer: { min: number; max: number } }
  | { violations: string; min: string; max: string }
);

/** A domain rule answered by a problem, grouped value counts, or per-row aggregates of the scan. */
type DomainRule = { column: string; allowed: readonly string[] } & (
  | { problem: string }
  | { violations: number; example: string }
  | { violationsAlias: string; exampleAlias: string }
);

/** Runs every check the spec asks for. Problems in the data are results, not exceptions. */
export async function runValidationChecks(input: ValidationInput): Promise<ValidationCheck[]> {
  return (await runValidation(input)).checks;
}

/**
 * Runs every check, and returns the reference profile drift used so the caller can store it.
 *
 * Over more than `maxExactRows` rows two answers come from deterministic samples, and their messages
 * say so: the duplicate fraction (rows sampled by content hash) and the current data's numeric drift
 * bins (whole row groups, evenly spread; about half a million rows above `maxDriftRows`). PSI on a
 * million rows moves by about 1e-4, on half a million by about 2e-4.
 */
export async function runValidation(input: ValidationInput): Promise<ValidationResult> {
  const { db, referencePath } = input;
  const trusted = input.dataWrittenByFerry === true;
  const allTrusted = trusted && (referencePath === undefined || input.referenceWrittenByFerry === true);
  if (allTrusted) return validate(input, trusted);
  // DuckDB believes footers too: its statistics propagation folds `count_if(x > 100)` to 0 when the
  // footer says max 77, and `count(*) - count(x)` to 0 when it says no nulls. Over a file Ferry did
  // not write, every answer must come from decoded values, so that optimizer is off meanwhile.
  const [setting] = await db.all<{ value: string | null }>(
    `SELECT current_setting('disabled_optimizers') AS value`,
  );
  const previous = setting?.value ?? '';
  const disabled = [...new Set([...previous.split(','), 'statistics_propagation'])]
    .map((o) => o.trim())
    .filter(Boolean);
  await db.run(`SET disabled_optimizers = ${literal(disabled.join(','))}`);
  try {
    return await validate(input, trusted);
  } finally {
    await db.run(`SET disabled_optimizers = ${literal(previous)}`);
  }
}

async function validate(
  { db, dataPath, referencePath, referenceProfile, spec, schema }: ValidationInput,
  footerTrusted: boolean,
): Promise<ValidationResult> {
  const rules = spec.validation;
  const { label, categorical } = spec.dataset;
  const types = new Map(schema.map((c) => [c.name, c.type]));
  const features =
    spec.dataset.features === 'all-but-label'
      ? schema.map((c) => c.name).filter((n) => n !== label)
      : spec.dataset.features;
  const isCategorical = (c: string) => categorical.includes(c);
  const isNumeric = (c: string) => numericType.test(types.get(c) ?? '');
  const checks: ValidationCheck[] = [];

  // Schema first: later checks only query columns that exist and have a type they can work with.
  const schemaProblems: ValidationCheck[] = [];
  const schemaFailure = (column: string, message: string) =>
    schemaProblems.push({
      check: 'schema',
      column,
      severity: 'error',
      passed: false,
      observed: 1,
      threshold: 0,
      message: `schema: ${message}`,
    });
  if (!types.has(label)) schemaFailure(label, `label column "${label}" is missing from the dataset`);
  for (const f of features) {
    if (!types.has(f)) schemaFailure(f, `feature "${f}" is missing from the dataset`);
    else if (!isCategorical(f) && !isNumeric(f)) {
      schemaFailure(
        f,
        `feature "${f}" has type ${types.get(f)}, but features not listed as categorical must be numeric`,
      );
    }
  }
  // With 'all-but-label' the features come from the data, so a declared categorical column can go missing unnoticed.
  for (const c of categorical) {
    if (!types.has(c) && !features.includes(c))
      schemaFailure(c, `categorical column "${c}" is missing from the dataset`);
  }
  checks.push(...schemaProblems);
  if (schemaProblems.length === 0) {
    checks.push({
      check: 'schema',
      severity: 'error',
      passed: true,
      observed: 0,
      threshold: 0,
      message: `schema: label "${label}" and ${features.length} feature(s) present with usable types`,
    });
  }
  const presentFeatures = features.filter((f) => types.has(f));
  const numericFeatures = presentFeatures.filter((f) => !isCategorical(f) && isNumeric(f));
  const categoricalFeatures = presentFeatures.filter(isCategorical);
  const hasLabel = types.has(label);
  const classification = spec.task !== 'regression';

  // Row groups and footer statistics: free to read, and they let the scan skip provable work. The
  // statistics are used only when Ferry wrote the file; the row-group layout only sizes samples.
  const footer = await parquetFooter(db, dataPath, footerTrusted);

  // Categorical answers (domains, label balance, categorical drift) come from grouped value counts in
  // one narrow GROUPING SETS query: a few hash-table updates per row instead of string comparisons.
  const domainColumns = Object.keys(rules.domains).filter((c) => types.has(c));
  const grouped = [
    ...new Set([
      ...categoricalFeatures,
      ...domainColumns.filter(
        (c) => isCategorical(c) || c === label || /^(VARCHAR|BOOLEAN)$/.test(types.get(c) ?? ''),
      ),
      ...(classification && hasLabel ? [label] : []),
    ]),
  ];
  const valueCounts = await groupedValueCounts(db, dataPath, grouped);

  const q = aggregateQuery();
  const rowsAlias = q.add('count(*)');
  // Null counts come from the footer's per-row-group `stats_null_count` when every row group has one;
  // otherwise count(*) - count(c), which reads only the validity mask. Footer counts never include
  // NaN, so float columns add a `count_if(isnan(c))`, the only part that needs the column's values,
  // unless the footer proves the column NaN-free (see `ParquetFooter.nanFree`).
  const nullAliases = [...presentFeatures, ...(hasLabel ? [label] : [])].map((c) => {
    const footerNulls = footer.nullCounts.get(c);
    const nan =
      floatType.test(types.get(c) ?? '') && !footer.nanFree.has(c)
        ? `count_if(isnan(${ident(c)}))`
        : undefined;
    if (footerNulls !== undefined) {
      return { column: c, footerNulls, alias: nan === undefined ? undefined : q.add(nan) };
    }
    const nulls = `count(*) - count(${ident(c)})`;
    return { column: c, footerNulls: 0, alias: q.add(nan === undefined ? nulls : `${nulls} + ${nan}`) };
  });

  const rangeRules = Object.entries(rules.ranges).map(([column, range]): RangeRule => {
    if (!types.has(column)) return { column, range, problem: `column "${column}" is not in the dataset` };
    if (!isNumeric(column))
      return {
        column,
        range,
        problem: `column "${column}" has type ${types.get(column)}; ranges apply to numeric columns`,
      };
    // When every row group's footer min/max lies inside the bounds there is nothing to count. Footer
    // statistics never include NaN (DuckDB omits them for a row group holding one; other writers skip
    // NaN), matching the NaN-as-missing rule below; missing or inexact statistics mean "scan".
    const stats = footerStatsType.test(types.get(column) ?? '') ? footer.columns.get(column) : undefined;
    if (
      stats &&
      (range.min === undefined || stats.min >= range.min) &&
      (range.max === undefined || stats.max <= range.max)
    ) {
      return { column, range, footer: stats };
    }
    const c = valueOf(column, types.get(column));
    const outside = [
      range.min !== undefined ? `${c} < ${double(range.min)}` : '',
      range.max !== undefined ? `${c} > ${double(range.max)}` : '',
    ]
      .filter(Boolean)
      .join(' OR ');
    return {
      column,
      range,
      violations: q.add(outside ? `count_if(${outside})` : '0'),
      min: q.add(`min(${c})::DOUBLE`),
      max: q.add(`max(${c})::DOUBLE`),
    };
  });

  const domainRules = Object.entries(rules.domains).map(([column, allowed]): DomainRule => {
    if (!types.has(column)) return { column, allowed, problem: `column "${column}" is not in the dataset` };
    const counts = valueCounts.get(column);
    if (counts) return { column, allowed, ...domainViolations(counts, allowed) };
    // A numeric column with a domain may have too many distinct values to group; compare per row.
    const v = `CAST(${ident(column)} AS VARCHAR)`;
    const outside = `${v} IS NOT NULL AND ${v} NOT IN (${allowed.map(literal).join(', ')})`;
    return {
      column,
      allowed,
      violationsAlias: q.add(`count_if(${outside})`),
      exampleAlias: q.add(`min(${v}) FILTER (WHERE ${outside})`),
    };
  });

  // Rows are compared by a 64-bit hash of all columns: far less memory than DISTINCT * on wide
  // tables, and the odds that two of 10 M distinct rows collide are a few in a million. An exact
  // distinct count over more than `maxExactRows` rows costs about three bare scans, so above that the
  // fraction is estimated on the rows whose hash falls in one of `duplicateSampleEvery` buckets.
  // Identical rows share a hash, so every copy of a row is in the sample or out of it together, and
  // the sample's duplicate fraction estimates the file's without bias.
  const duplicateSampleEvery = Math.max(1, Math.ceil(footer.rows / maxExactRows));
  const rowHash = `hash(${schema.map((c) => ident(c.name)).join(', ')})`;
  const hashColumn = ident('__ferry_row_hash');
  const duplicates =
    schema.length === 0
      ? undefined
      : duplicateSampleEvery === 1
        ? { distinct: q.add(`count(DISTINCT ${rowHash})`) }
        : {
            distinct: q.add(
              `count(DISTINCT ${hashColumn}) FILTER (WHERE ${hashColumn} % ${duplicateSampleEvery} = 0)`,
            ),
            sampled: q.add(`count_if(${hashColumn} % ${duplicateSampleEvery} = 0)`),
          };

  const row = await runOne(
    db,
    q.sql(
      duplicates?.sampled
        ? `(SELECT *, ${rowHash} AS ${hashColumn} FROM ${parquet(dataPath)})`
        : parquet(dataPath),
    ),
  );
  const rows = asNumber(row[rowsAlias]);

  checks.push({
    check: 'min-rows',
    severity: 'error',
    passed: rows >= rules.minRows,
    observed: rows,
    threshold: rules.minRows,
    message: `min-rows: dataset has ${rows} rows (min ${rules.minRows})`,
  });

  for (const { column, footerNulls, alias } of nullAliases) {
    const nulls = footerNulls + (alias === undefined ? 0 : asNumber(row[alias]));
    if (column === label) {
      checks.push({
        check: 'nulls',
        column,
        severity: 'error',
        passed: nulls === 0,
        observed: nulls,
        threshold: 0,
        message: `nulls: label column "${column}" has ${nulls} null(s) (labels must not be null)`,
      });
      continue;
    }
    const fraction = rows === 0 ? 0 : nulls / rows;
    checks.push({
      check: 'nulls',
      column,
      severity: 'error',
      passed: fraction <= rules.maxNullFraction,
      observed: fraction,
      threshold: rules.maxNullFraction,
      message: `nulls: column "${column}" has ${pct(fraction)} nulls (max ${pct(rules.maxNullFraction)})`,
    });
  }

  for (const r of rangeRules) {
    const bounds = `${r.range.min !== undefined ? `[${r.range.min}` : '(-∞'}, ${r.range.max !== undefined ? `${r.range.max}]` : '+∞)'}`;
    if ('problem' in r) {
      checks.push({
        check: 'range',
        column: r.column,
        severity: 'error',
        passed: false,
        observed: 0,
        threshold: 0,
        message: `range: ${r.problem}`,
      });
      continue;
    }
    const violations = 'footer' in r ? 0 : asNumber(row[r.violations]);
    const [min, max] =
      'footer' in r
        ? [r.footer.min, r.footer.max]
        : [row[r.min] as number | null, row[r.max] as number | null];
    const observedRange =
      min === null || max === null
        ? 'no values'
        : `observed min ${num(Number(min))}, max ${num(Number(max))}`;
    checks.push({
      check: 'range',
      column: r.column,
      severity: 'error',
      passed: violations === 0,
      observed: violations,
      threshold: 0,
      message: `range: column "${r.column}" has ${violations} value(s) outside ${bounds} (${observedRange})`,
    });
  }

  for (const d of domainRules) {
    if ('problem' in d) {
      checks.push({
        check: 'domain',
        column: d.column,
        severity: 'error',
        passed: false,
        observed: 0,
        threshold: 0,
        message: `domain: ${d.problem}`,
      });
      continue;
    }
    const violations = 'violationsAlias' in d ? asNumber(row[d.violationsAlias]) : d.violations;
    const exampleValue = 'exampleAlias' in d ? String(row[d.exampleAlias]) : d.example;
    const example = violations > 0 ? ` (e.g. ${JSON.stringify(exampleValue)})` : '';
    checks.push({
      check: 'domain',
      column: d.column,
      severity: 'error',
      passed: violations === 0,
      observed: violations,
      threshold: 0,
      message: `domain: column "${d.column}" has ${violations} value(s) outside the allowed set${example}; allowed: ${quoted(d.allowed)}`,
    });
  }

  if (duplicates) {
    const counted = duplicates.sampled ? asNumber(row[duplicates.sampled]) : rows;
    const repeated = counted - asNumber(row[duplicates.distinct]);
    const fraction = counted === 0 ? 0 : repeated / counted;
    const sample = duplicates.sampled
      ? ` (estimated from a ${counted.toLocaleString('en-US')}-row sample: the rows whose content hash falls in 1 of ${duplicateSampleEvery} buckets)`
      : '';
    checks.push({
      check: 'duplicates',
      severity: 'error',
      passed: fraction <= rules.maxDuplicateFraction,
      observed: fraction,
      threshold: rules.maxDuplicateFraction,
      message: `duplicates: ${repeated} of ${counted} rows (${pct(fraction)}) repeat an earlier row (max ${pct(rules.maxDuplicateFraction)})${sample}`,
    });
  }

  if (classification && hasLabel) {
    checks.push(labelBalance(label, nonNullCounts(valueCounts.get(label)), rules.minClassFraction));
  }

  if (referencePath === undefined) return { checks };
  const drift = await driftChecks({
    db,
    dataPath,
    footer,
    referencePath,
    referenceProfile,
    numericFeatures,
    categoricalFeatures,
    types,
    currentCategorical: valueCounts,
    drift: rules.drift,
  });
  checks.push(...drift.checks);
  return { checks, referenceProfile: drift.profile };
}

function labelBalance(label: string, counts: Record<string, number>, minFraction: number): ValidationCheck {
  const classes = Object.entries(counts).sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
  const total = classes.reduce((sum, [, n]) => sum + n, 0);
  if (classes.length < 2) {
    return {
      check: 'label-balance',
      column: label,
      severity: 'error',
      passed: false,
      observed: 0,
      threshold: minFraction,
      message: `label-balance: label "${label}" has ${classes.length} class(es)${classes.length ? ` (${quoted(classes.map(([k]) => k))})` : ''}; classification needs at least 2`,
    };
  }
  const [rarest, n] = classes[0]!;
  const share = n / total;
  return {
    check: 'label-balance',
    column: label,
    severity: 'error',
    passed: share >= minFraction,
    observed: share,
    threshold: minFraction,
    message: `label-balance: rarest class ${JSON.stringify(rarest)} of "${label}" is ${pct(share)} of labelled rows (min ${pct(minFraction)})`,
  };
}

interface DriftInput {
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
async function driftChecks({
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

/** Value counts of a column as text; the `null` key counts missing values. */
type ValueCounts = Map<string | null, number>;

/** Value counts of each column in one GROUPING SETS scan that reads those columns only. */
async function groupedValueCounts(
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

function nonNullCounts(counts: ValueCounts | undefined): Record<string, number> {
  return Object.fromEntries([...(counts ?? [])].filter((e): e is [string, number] => e[0] !== null));
}

/** Values outside a domain and the smallest of them (in DuckDB's byte order, as `min()` would pick). */
function domainViolations(
  counts: ValueCounts,
  allowed: readonly string[],
): { violations: number; example: string } {
  const ok = new Set(allowed);
  let violations = 0;
  let example: string | undefined;
  for (const [value, n] of counts) {
    if (value === null || ok.has(value)) continue;
    violations += n;
    if (example === undefined || Buffer.compare(Buffer.from(value), Buffer.from(example)) < 0)
      example = value;
  }
  return { violations, example: example ?? '' };
}

/** What a Parquet file's footer says: row counts and, per column, exact min/max over every row group. */
interface ParquetFooter {
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
async function parquetFooter(db: DuckDb, path: string, trusted: boolean): Promise<ParquetFooter> {
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
    if (s.chunks === rowGroups && s.exact === rowGroups && s.mn !== null && s.mx !== null) {
      columns.set(s.col, { min: Number(s.mn), max: Number(s.mx) });
    }
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

/** Splits checks into failed errors and failed warnings; any failed error fails the dataset. */
export function summarizeChecks(checks: readonly ValidationCheck[]): ValidationSummary {
  const errors = checks.filter((c) => !c.passed && c.severity === 'error');
  const warnings = checks.filter((c) => !c.passed && c.severity === 'warning');
  return {
    passed: errors.length === 0,
    errors,
    warnings,
    failureMessage: errors.map((c) => c.message).join('\n'),
  };
}
