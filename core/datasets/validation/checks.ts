// The data checks of a validation run, computed in a handful of scans: the schema from the manifest,
// categorical answers from one grouped query, and nulls, ranges, domains and duplicates from one
// aggregate scan planned step by step (each step adds its aggregates, then reads its answers back).
import { type DuckDb, ident, literal } from '../../data/duckdb.js';
import type { DatasetColumn } from '../catalog.js';
import { driftChecks } from './drift.js';
import { footerStatsType, parquetFooter, type ParquetFooter } from './parquet-footer.js';
import {
  aggregateQuery,
  asNumber,
  double,
  floatType,
  groupedValueCounts,
  maxExactRows,
  nonNullCounts,
  numericType,
  parquet,
  runOne,
  valueOf,
  type ValueCounts,
} from './scan.js';
import type { ValidationCheck, ValidationInput, ValidationResult } from './types.js';

type Rules = ValidationInput['spec']['validation'];
type AggregateQuery = ReturnType<typeof aggregateQuery>;
/** The one scan's answers, by the aliases the planning steps got. */
type ScanRow = Record<string, unknown>;

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

/** The dataset's columns as the spec sees them: label, features and their kinds. */
interface Columns {
  label: string;
  categorical: readonly string[];
  types: Map<string, string>;
  features: readonly string[];
  isCategorical: (c: string) => boolean;
  isNumeric: (c: string) => boolean;
  presentFeatures: string[];
  numericFeatures: string[];
  categoricalFeatures: string[];
  hasLabel: boolean;
  classification: boolean;
}

function resolveColumns(spec: ValidationInput['spec'], schema: readonly DatasetColumn[]): Columns {
  const { label, categorical } = spec.dataset;
  const types = new Map(schema.map((c) => [c.name, c.type]));
  const features =
    spec.dataset.features === 'all-but-label'
      ? schema.map((c) => c.name).filter((n) => n !== label)
      : spec.dataset.features;
  const isCategorical = (c: string) => categorical.includes(c);
  const isNumeric = (c: string) => numericType.test(types.get(c) ?? '');
  const presentFeatures = features.filter((f) => types.has(f));
  return {
    label,
    categorical,
    types,
    features,
    isCategorical,
    isNumeric,
    presentFeatures,
    numericFeatures: presentFeatures.filter((f) => !isCategorical(f) && isNumeric(f)),
    categoricalFeatures: presentFeatures.filter(isCategorical),
    hasLabel: types.has(label),
    classification: spec.task !== 'regression',
  };
}

/** A failed check of a rule that could not be applied (a missing column, a type it does not fit); a schema
 * failure observes the one column at fault, the others nothing. */
function unusable(check: 'schema' | 'range' | 'domain', column: string, problem: string): ValidationCheck {
  const observed = check === 'schema' ? 1 : 0;
  return {
    check,
    column,
    severity: 'error',
    passed: false,
    observed,
    threshold: 0,
    message: `${check}: ${problem}`,
  };
}

/** Schema first: later checks only query columns that exist and have a type they can work with. */
function schemaChecks({
  label,
  categorical,
  types,
  features,
  isCategorical,
  isNumeric,
}: Columns): ValidationCheck[] {
  const schemaProblems: ValidationCheck[] = [];
  const schemaFailure = (column: string, message: string) =>
    schemaProblems.push(unusable('schema', column, message));
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
  if (schemaProblems.length > 0) return schemaProblems;
  return [
    {
      check: 'schema',
      severity: 'error',
      passed: true,
      observed: 0,
      threshold: 0,
      message: `schema: label "${label}" and ${features.length} feature(s) present with usable types`,
    },
  ];
}

/**
 * Categorical answers (domains, label balance, categorical drift) come from grouped value counts in
 * one narrow GROUPING SETS query: a few hash-table updates per row instead of string comparisons.
 */
function groupedColumns(cols: Columns, rules: Rules): string[] {
  const { types, label } = cols;
  const domainColumns = Object.keys(rules.domains).filter((c) => types.has(c));
  return [
    ...new Set([
      ...cols.categoricalFeatures,
      ...domainColumns.filter(
        (c) => cols.isCategorical(c) || c === label || /^(VARCHAR|BOOLEAN)$/.test(types.get(c) ?? ''),
      ),
      ...(cols.classification && cols.hasLabel ? [label] : []),
    ]),
  ];
}

interface NullPlan {
  column: string;
  footerNulls: number;
  alias: string | undefined;
}

/**
 * Null counts come from the footer's per-row-group `stats_null_count` when every row group has one;
 * otherwise count(*) - count(c), which reads only the validity mask. Footer counts never include
 * NaN, so float columns add a `count_if(isnan(c))`, the only part that needs the column's values,
 * unless the footer proves the column NaN-free (see `ParquetFooter.nanFree`).
 */
function planNulls(q: AggregateQuery, cols: Columns, footer: ParquetFooter): NullPlan[] {
  const { types, label } = cols;
  return [...cols.presentFeatures, ...(cols.hasLabel ? [label] : [])].map((c) => {
    const footerNulls = footer.nullCounts.get(c);
    const nan =
      floatType.test(types.get(c) ?? '') && !footer.nanFree.has(c)
        ? `count_if(isnan(${ident(c)}))`
        : undefined;
    if (footerNulls !== undefined)
      return { column: c, footerNulls, alias: nan === undefined ? undefined : q.add(nan) };
    const nulls = `count(*) - count(${ident(c)})`;
    return { column: c, footerNulls: 0, alias: q.add(nan === undefined ? nulls : `${nulls} + ${nan}`) };
  });
}

/** A range rule answered by a problem, the footer's statistics, or aggregates of the scan. */
type RangeRule = { column: string; range: { min?: number; max?: number } } & (
  | { problem: string }
  | { footer: { min: number; max: number } }
  | { violations: string; min: string; max: string }
);

function planRanges(q: AggregateQuery, cols: Columns, rules: Rules, footer: ParquetFooter): RangeRule[] {
  const { types, isNumeric } = cols;
  return Object.entries(rules.ranges).map(([column, range]): RangeRule => {
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
}

/** A domain rule answered by a problem, grouped value counts, or per-row aggregates of the scan. */
type DomainRule = { column: string; allowed: readonly string[] } & (
  | { problem: string }
  | { violations: number; example: string }
  | { violationsAlias: string; exampleAlias: string }
);

function planDomains(
  q: AggregateQuery,
  cols: Columns,
  rules: Rules,
  valueCounts: Map<string, ValueCounts>,
): DomainRule[] {
  return Object.entries(rules.domains).map(([column, allowed]): DomainRule => {
    if (!cols.types.has(column))
      return { column, allowed, problem: `column "${column}" is not in the dataset` };
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
}

interface DuplicatePlan {
  distinct: string;
  sampled?: string;
  sampleEvery: number;
  /** The scan's FROM: the file, or the file with each row's hash when sampling by it. */
  from: string;
}

/**
 * Rows are compared by a 64-bit hash of all columns: far less memory than DISTINCT * on wide
 * tables, and the odds that two of 10 M distinct rows collide are a few in a million. An exact
 * distinct count over more than `maxExactRows` rows costs about three bare scans, so above that the
 * fraction is estimated on the rows whose hash falls in one of `sampleEvery` buckets.
 * Identical rows share a hash, so every copy of a row is in the sample or out of it together, and
 * the sample's duplicate fraction estimates the file's without bias.
 */
function planDuplicates(
  q: AggregateQuery,
  schema: readonly DatasetColumn[],
  footer: ParquetFooter,
  dataPath: string,
): DuplicatePlan | undefined {
  if (schema.length === 0) return undefined;
  const sampleEvery = Math.max(1, Math.ceil(footer.rows / maxExactRows));
  const rowHash = `hash(${schema.map((c) => ident(c.name)).join(', ')})`;
  const hashColumn = ident('__ferry_row_hash');
  if (sampleEvery === 1)
    return { distinct: q.add(`count(DISTINCT ${rowHash})`), sampleEvery, from: parquet(dataPath) };
  return {
    distinct: q.add(`count(DISTINCT ${hashColumn}) FILTER (WHERE ${hashColumn} % ${sampleEvery} = 0)`),
    sampled: q.add(`count_if(${hashColumn} % ${sampleEvery} = 0)`),
    sampleEvery,
    from: `(SELECT *, ${rowHash} AS ${hashColumn} FROM ${parquet(dataPath)})`,
  };
}

function minRowsCheck(rows: number, rules: Rules): ValidationCheck {
  return {
    check: 'min-rows',
    severity: 'error',
    passed: rows >= rules.minRows,
    observed: rows,
    threshold: rules.minRows,
    message: `min-rows: dataset has ${rows} rows (min ${rules.minRows})`,
  };
}

function nullChecks(plans: readonly NullPlan[], row: ScanRow, rows: number, label: string, rules: Rules) {
  return plans.map(({ column, footerNulls, alias }): ValidationCheck => {
    const nulls = footerNulls + (alias === undefined ? 0 : asNumber(row[alias]));
    if (column === label)
      return {
        check: 'nulls',
        column,
        severity: 'error',
        passed: nulls === 0,
        observed: nulls,
        threshold: 0,
        message: `nulls: label column "${column}" has ${nulls} null(s) (labels must not be null)`,
      };
    const fraction = rows === 0 ? 0 : nulls / rows;
    return {
      check: 'nulls',
      column,
      severity: 'error',
      passed: fraction <= rules.maxNullFraction,
      observed: fraction,
      threshold: rules.maxNullFraction,
      message: `nulls: column "${column}" has ${pct(fraction)} nulls (max ${pct(rules.maxNullFraction)})`,
    };
  });
}

function rangeChecks(rules: readonly RangeRule[], row: ScanRow): ValidationCheck[] {
  return rules.map((r): ValidationCheck => {
    const bounds = `${r.range.min !== undefined ? `[${r.range.min}` : '(-∞'}, ${r.range.max !== undefined ? `${r.range.max}]` : '+∞)'}`;
    if ('problem' in r) return unusable('range', r.column, r.problem);
    const violations = 'footer' in r ? 0 : asNumber(row[r.violations]);
    const [min, max] =
      'footer' in r
        ? [r.footer.min, r.footer.max]
        : [row[r.min] as number | null, row[r.max] as number | null];
    const observedRange =
      min === null || max === null
        ? 'no values'
        : `observed min ${num(Number(min))}, max ${num(Number(max))}`;
    return {
      check: 'range',
      column: r.column,
      severity: 'error',
      passed: violations === 0,
      observed: violations,
      threshold: 0,
      message: `range: column "${r.column}" has ${violations} value(s) outside ${bounds} (${observedRange})`,
    };
  });
}

function domainChecks(rules: readonly DomainRule[], row: ScanRow): ValidationCheck[] {
  return rules.map((d): ValidationCheck => {
    if ('problem' in d) return unusable('domain', d.column, d.problem);
    const violations = 'violationsAlias' in d ? asNumber(row[d.violationsAlias]) : d.violations;
    const exampleValue = 'exampleAlias' in d ? String(row[d.exampleAlias]) : d.example;
    const example = violations > 0 ? ` (e.g. ${JSON.stringify(exampleValue)})` : '';
    return {
      check: 'domain',
      column: d.column,
      severity: 'error',
      passed: violations === 0,
      observed: violations,
      threshold: 0,
      message: `domain: column "${d.column}" has ${violations} value(s) outside the allowed set${example}; allowed: ${quoted(d.allowed)}`,
    };
  });
}

function duplicateCheck(plan: DuplicatePlan, row: ScanRow, rows: number, rules: Rules): ValidationCheck {
  const counted = plan.sampled ? asNumber(row[plan.sampled]) : rows;
  const repeated = counted - asNumber(row[plan.distinct]);
  const fraction = counted === 0 ? 0 : repeated / counted;
  const sample = plan.sampled
    ? ` (estimated from a ${counted.toLocaleString('en-US')}-row sample: the rows whose content hash falls in 1 of ${plan.sampleEvery} buckets)`
    : '';
  return {
    check: 'duplicates',
    severity: 'error',
    passed: fraction <= rules.maxDuplicateFraction,
    observed: fraction,
    threshold: rules.maxDuplicateFraction,
    message: `duplicates: ${repeated} of ${counted} rows (${pct(fraction)}) repeat an earlier row (max ${pct(rules.maxDuplicateFraction)})${sample}`,
  };
}

function labelBalance(label: string, counts: Record<string, number>, minFraction: number): ValidationCheck {
  const classes = Object.entries(counts).sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
  const total = classes.reduce((sum, [, n]) => sum + n, 0);
  if (classes.length < 2)
    return {
      check: 'label-balance',
      column: label,
      severity: 'error',
      passed: false,
      observed: 0,
      threshold: minFraction,
      message: `label-balance: label "${label}" has ${classes.length} class(es)${classes.length ? ` (${quoted(classes.map(([k]) => k))})` : ''}; classification needs at least 2`,
    };
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

/**
 * Every check the spec asks for, in report order: schema, min-rows, nulls, ranges, domains,
 * duplicates, label balance, then drift when a reference is given. `footerTrusted` says whether
 * the data file's footer statistics may stand in for scanning.
 */
export async function validate(
  { db, dataPath, referencePath, referenceProfile, spec, schema }: ValidationInput & { db: DuckDb },
  footerTrusted: boolean,
): Promise<ValidationResult> {
  const rules = spec.validation;
  const cols = resolveColumns(spec, schema);
  const checks: ValidationCheck[] = schemaChecks(cols);

  // Row groups and footer statistics: free to read, and they let the scan skip provable work. The
  // statistics are used only when Ferry wrote the file; the row-group layout only sizes samples.
  const footer = await parquetFooter(db, dataPath, footerTrusted);
  const valueCounts = await groupedValueCounts(db, dataPath, groupedColumns(cols, rules));

  // One scan answers every remaining question; each step below adds the aggregates it needs.
  const q = aggregateQuery();
  const rowsAlias = q.add('count(*)');
  const nullPlans = planNulls(q, cols, footer);
  const rangeRules = planRanges(q, cols, rules, footer);
  const domainRules = planDomains(q, cols, rules, valueCounts);
  const duplicates = planDuplicates(q, schema, footer, dataPath);
  const row = await runOne(db, q.sql(duplicates?.from ?? parquet(dataPath)));
  const rows = asNumber(row[rowsAlias]);

  checks.push(minRowsCheck(rows, rules));
  checks.push(...nullChecks(nullPlans, row, rows, cols.label, rules));
  checks.push(...rangeChecks(rangeRules, row));
  checks.push(...domainChecks(domainRules, row));
  if (duplicates) checks.push(duplicateCheck(duplicates, row, rows, rules));
  if (cols.classification && cols.hasLabel)
    checks.push(labelBalance(cols.label, nonNullCounts(valueCounts.get(cols.label)), rules.minClassFraction));

  if (referencePath === undefined) return { checks };
  const drift = await driftChecks({
    db,
    dataPath,
    footer,
    referencePath,
    referenceProfile,
    numericFeatures: cols.numericFeatures,
    categoricalFeatures: cols.categoricalFeatures,
    types: cols.types,
    currentCategorical: valueCounts,
    drift: rules.drift,
  });
  checks.push(...drift.checks);
  return { checks, referenceProfile: drift.profile };
}
