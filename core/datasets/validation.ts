// Data validation for a training run: every check a pipeline spec asks for, computed by DuckDB over
// the snapshot's local Parquet in a handful of scans, with messages written for people.
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
const deciles = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
/** Above this many reference rows, decile edges come from a sample of about this size. */
const maxExactQuantileRows = 1_000_000;

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
const asHistogram = (v: unknown): Record<string, number> =>
  v === null || v === undefined ? {} : (JSON.parse(String(v)) as Record<string, number>);

/** A number as a SQL DOUBLE; via a string so DuckDB parses it exactly instead of through a DECIMAL. */
function double(value: number): string {
  return `'${value}'::DOUBLE`;
}

/** A column's values with NaN folded into NULL (both mean "no value"); plain for non-float types. */
function valueOf(column: string, type: string | undefined): string {
  const c = ident(column);
  return type !== undefined && floatType.test(type) ? `CASE WHEN isnan(${c}) THEN NULL ELSE ${c} END` : c;
}

/** Runs every check the spec asks for. Problems in the data are results, not exceptions. */
export async function runValidationChecks({
  db,
  dataPath,
  referencePath,
  spec,
  schema,
}: ValidationInput): Promise<ValidationCheck[]> {
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

  const q = aggregateQuery();
  const rowsAlias = q.add('count(*)');
  const nullAliases = [...presentFeatures, ...(hasLabel ? [label] : [])].map((c) => {
    const nulls = `count(*) - count(${ident(c)})`;
    return {
      column: c,
      alias: q.add(floatType.test(types.get(c) ?? '') ? `${nulls} + count_if(isnan(${ident(c)}))` : nulls),
    };
  });

  const rangeRules = Object.entries(rules.ranges).map(([column, range]) => {
    if (!types.has(column)) return { column, range, problem: `column "${column}" is not in the dataset` };
    if (!isNumeric(column))
      return {
        column,
        range,
        problem: `column "${column}" has type ${types.get(column)}; ranges apply to numeric columns`,
      };
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

  const domainRules = Object.entries(rules.domains).map(([column, allowed]) => {
    if (!types.has(column)) return { column, allowed, problem: `column "${column}" is not in the dataset` };
    const v = `CAST(${ident(column)} AS VARCHAR)`;
    const outside = `${v} IS NOT NULL AND ${v} NOT IN (${allowed.map(literal).join(', ')})`;
    return {
      column,
      allowed,
      violations: q.add(`count_if(${outside})`),
      example: q.add(`min(${v}) FILTER (WHERE ${outside})`),
    };
  });

  // Rows are compared by a 64-bit hash of all columns: far less memory than DISTINCT * on wide
  // tables, and the odds that two of 10 M distinct rows collide are a few in a million.
  const distinctAlias =
    schema.length > 0
      ? q.add(`count(DISTINCT hash(${schema.map((c) => ident(c.name)).join(', ')}))`)
      : undefined;
  const labelAlias =
    classification && hasLabel
      ? q.add(`CAST(to_json(histogram(CAST(${ident(label)} AS VARCHAR))) AS VARCHAR)`)
      : undefined;

  const row = await runOne(db, q.sql(parquet(dataPath)));
  const rows = asNumber(row[rowsAlias]);

  checks.push({
    check: 'min-rows',
    severity: 'error',
    passed: rows >= rules.minRows,
    observed: rows,
    threshold: rules.minRows,
    message: `min-rows: dataset has ${rows} rows (min ${rules.minRows})`,
  });

  for (const { column, alias } of nullAliases) {
    const nulls = asNumber(row[alias]);
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
    const violations = asNumber(row[r.violations]);
    const observedRange =
      row[r.min] === null
        ? 'no values'
        : `observed min ${num(Number(row[r.min]))}, max ${num(Number(row[r.max]))}`;
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
    const violations = asNumber(row[d.violations]);
    const example = violations > 0 ? ` (e.g. ${JSON.stringify(String(row[d.example]))})` : '';
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

  if (distinctAlias) {
    const duplicates = rows - asNumber(row[distinctAlias]);
    const fraction = rows === 0 ? 0 : duplicates / rows;
    checks.push({
      check: 'duplicates',
      severity: 'error',
      passed: fraction <= rules.maxDuplicateFraction,
      observed: fraction,
      threshold: rules.maxDuplicateFraction,
      message: `duplicates: ${duplicates} of ${rows} rows (${pct(fraction)}) repeat an earlier row (max ${pct(rules.maxDuplicateFraction)})`,
    });
  }

  if (labelAlias) checks.push(labelBalance(label, asHistogram(row[labelAlias]), rules.minClassFraction));

  if (referencePath !== undefined) {
    checks.push(
      ...(await driftChecks({
        db,
        dataPath,
        referencePath,
        numericFeatures,
        categoricalFeatures,
        drift: rules.drift,
      })),
    );
  }
  return checks;
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
  referencePath: string;
  numericFeatures: string[];
  categoricalFeatures: string[];
  drift: { warn: number; fail?: number };
}

/**
 * PSI per feature against the reference, with the same bins as `psiNumeric` in core/metrics/math.ts
 * (interior edges at the reference's interpolated deciles, right-closed, missing values ignored), so
 * the monitor and this check agree on the same data. Categorical features compare value counts.
 */
async function driftChecks({
  db,
  dataPath,
  referencePath,
  numericFeatures,
  categoricalFeatures,
  drift,
}: DriftInput): Promise<ValidationCheck[]> {
  const referenceColumns = new Set(
    (await db.all<{ column_name: string }>(`DESCRIBE SELECT * FROM ${parquet(referencePath)}`)).map(
      (c) => c.column_name,
    ),
  );
  // A feature the reference never had has no baseline to drift from; the schema check covers new columns.
  const numeric = numericFeatures.filter((f) => referenceColumns.has(f));
  const categorical = categoricalFeatures.filter((f) => referenceColumns.has(f));
  if (numeric.length + categorical.length === 0) return [];

  // Project each numeric feature once as a NaN-free DOUBLE; the reference may store it as another type.
  const projected = (path: string, sampleEvery = 1) =>
    `(SELECT ${[
      ...numeric.map((f, i) => {
        const x = `TRY_CAST(${ident(f)} AS DOUBLE)`;
        return `CASE WHEN isnan(${x}) THEN NULL ELSE ${x} END AS x${i}`;
      }),
      ...categorical.map((f, i) => `CAST(${ident(f)} AS VARCHAR) AS c${i}`),
    ].join(', ')} FROM read_parquet(${literal(path)}, file_row_number = true)${
      sampleEvery > 1 ? ` WHERE hash(file_row_number) % ${sampleEvery} = 0` : ''
    })`;

  const edges: number[][] = [];
  if (numeric.length > 0) {
    // Exact deciles sort every value of every column (about a minute for 15 columns × 10 M rows on
    // two cores); deciles of a 1 M-row sample are within ~0.1 percentile of them, which moves PSI by
    // noise only. Hashing the row number keeps the sample deterministic, so reruns give the same PSI.
    const referenceRows = asNumber(
      (await runOne(db, `SELECT count(*) AS n FROM ${parquet(referencePath)}`)).n,
    );
    const sampleEvery = Math.max(1, Math.ceil(referenceRows / maxExactQuantileRows));
    const q = aggregateQuery();
    const aliases = numeric.map((_, i) => q.add(`quantile_cont(x${i}, [${deciles.join(', ')}])`));
    const row = await runOne(db, q.sql(projected(referencePath, sampleEvery)));
    for (const alias of aliases) {
      const values = ((row[alias] as unknown[] | null) ?? []).map(Number).filter(Number.isFinite);
      edges.push([...new Set(values)].sort((a, b) => a - b));
    }
  }

  const histograms = async (path: string): Promise<Record<string, number>[]> => {
    const q = aggregateQuery();
    // Numeric bins as cumulative counts (values ≤ each edge): plain vectorised comparisons, several
    // times faster than a CASE per row feeding a map-building histogram().
    const numericParts = numeric.map((_, i) => ({
      cumulative: (edges[i] ?? []).map((edge) => q.add(`count_if(x${i} <= ${double(edge)})`)),
      total: q.add(`count(x${i})`),
    }));
    const categoricalParts = categorical.map((_, i) => q.add(`CAST(to_json(histogram(c${i})) AS VARCHAR)`));
    const row = await runOne(db, q.sql(projected(path)));
    return [
      ...numericParts.map(({ cumulative, total }) => {
        const below = [...cumulative.map((alias) => asNumber(row[alias])), asNumber(row[total])];
        return Object.fromEntries(below.map((n, b) => [String(b), n - (b === 0 ? 0 : below[b - 1]!)]));
      }),
      ...categoricalParts.map((alias) => asHistogram(row[alias])),
    ];
  };
  const reference = await histograms(referencePath);
  const current = await histograms(dataPath);

  const checks: ValidationCheck[] = [];
  [...numeric, ...categorical].forEach((feature, i) => {
    const psi = psiCategorical(reference[i] ?? {}, current[i] ?? {});
    // NaN means one side has no values at all: nothing to compare, and the nulls check reports it.
    if (Number.isNaN(psi)) return;
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
      })`,
    });
  });
  return checks;
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
