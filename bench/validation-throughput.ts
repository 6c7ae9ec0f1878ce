// Validation throughput: runValidationChecks (core/datasets/validation.ts) over a 10 M-row × 20-column
// Parquet file with a drift reference, against a bare DuckDB scan that aggregates every column of the
// same file, in the same process and DuckDB instance, for both kinds of file: one Ferry wrote (its
// footer statistics trusted) and one it did not (an upload validated as is: every answer scanned).
// An upload is rewritten by Ferry at ingest, so that rewrite is timed too. Then it times each query
// validation sends and each check kind alone, and checks validation's sampled numeric drift against
// the exact PSI over every row.
//
//   npm run bench:validation -- [--rows 10000000] [--reps 3]
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ident, literal, openDuckDb, type DuckDb } from '../core/data/duckdb.js';
import { ferryParquetCopySql, type DatasetColumn } from '../core/datasets/catalog.js';
import { runValidationChecks, summarizeChecks, type ValidationCheck } from '../core/datasets/validation.js';
import { psiCategorical } from '../core/metrics/math.js';
import { parseSpec } from '../core/pipeline-spec/load.js';
import { fmt, intOptions, median, printResult, table } from './lib/report.js';

const opts = intOptions({ rows: 10_000_000, reps: 3 });
const referenceRows = Math.min(1_000_000, opts.rows);
/** Validation should reach at least half the rows/s of a bare scan of the same file. */
const targetRatio = 0.5;
/** Bump when the generator changes, so a stale cached file is never reused. */
const generatorVersion = 1;

// ---- the dataset: 14 numeric, 5 categorical, 1 binary label ----
const numeric = Array.from({ length: 14 }, (_, k) => ({
  name: `num_${String(k + 1).padStart(2, '0')}`,
  type: k % 2 === 0 ? 'DOUBLE' : 'INTEGER',
  max: (k + 1) * 50,
  nullable: k === 2 || k === 6,
}));
const categoricalDomains = [
  ['basic', 'standard', 'premium'],
  ['north', 'south', 'east', 'west'],
  ['card', 'bank', 'paypal', 'invoice', 'voucher'],
  ['web', 'ios', 'android', 'desktop', 'tv', 'kiosk', 'partner', 'other'],
  ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
];
const categorical = categoricalDomains.map((domain, k) => ({
  name: `cat_${k + 1}`,
  domain,
  nullable: k === 1,
}));
const label = 'label';

/** A deterministic uniform [0, 1) per row and stream, from DuckDB's hash (no RNG state, so reruns agree). */
const uniform = (stream: number) => `((hash(i, ${stream}) % 1000003)::DOUBLE / 1000003)`;
/** About 0.1% nulls in the columns marked nullable. */
const withNulls = (nullable: boolean, stream: number, sql: string) =>
  nullable ? `CASE WHEN hash(i, ${900 + stream}) % 1000 = 0 THEN NULL ELSE ${sql} END` : sql;

/** The SELECT that generates the rows; `shift` skews the reference slightly so drift has something to measure. */
function generatorSql(rows: number, offset: number, shift: number): string {
  const columns = [
    ...numeric.map((c, k) => {
      const u = k === 0 ? `least(${uniform(k)} * ${1 + shift}, 0.999999)` : uniform(k);
      const value = c.type === 'DOUBLE' ? `round(${u} * ${c.max}, 2)` : `floor(${u} * ${c.max + 1})::INTEGER`;
      return `${withNulls(c.nullable, k, value)} AS ${c.name}`;
    }),
    ...categorical.map((c, k) => {
      const pick = `[${c.domain.map(literal).join(', ')}][1 + floor(pow(${uniform(100 + k)}, ${1 + shift * 4}) * ${c.domain.length})::INTEGER]`;
      return `${withNulls(c.nullable, 100 + k, pick)} AS ${c.name}`;
    }),
    `CASE WHEN ${uniform(0)} * 0.6 + ${uniform(200)} * 0.8 > 0.75 THEN 1 ELSE 0 END::INTEGER AS ${label}`,
  ];
  return `SELECT ${columns.join(',\n  ')}\nFROM (SELECT range + ${offset} AS i FROM range(${rows}))`;
}

async function cachedParquet(
  db: DuckDb,
  name: string,
  rows: number,
  offset: number,
  shift: number,
): Promise<{ path: string; generatedMs?: number }> {
  const dir = join(tmpdir(), 'ferry-bench');
  const path = join(dir, `${name}-${rows}-v${generatorVersion}.parquet`);
  if (await stat(path).catch(() => undefined)) return { path };
  await mkdir(dir, { recursive: true });
  const partial = `${path}.partial`;
  const started = performance.now();
  // zstd, as the catalog writes Parquet when it ingests a CSV.
  await db.run(
    `COPY (${generatorSql(rows, offset, shift)}) TO ${literal(partial)} (FORMAT parquet, COMPRESSION zstd)`,
  );
  await rename(partial, path);
  return { path, generatedMs: performance.now() - started };
}

/** Wall time, and CPU time of the whole process (DuckDB's threads included), which other load on the
 * machine disturbs far less than wall time. */
interface Cost {
  ms: number;
  cpuMs: number;
}

interface Recorded extends Cost {
  sql: string;
  rows: Record<string, unknown>[];
}

/** A DuckDb whose `all` calls are timed and recorded, to attribute validation time query by query. */
function recording(db: DuckDb): { db: DuckDb; queries: Recorded[] } {
  const queries: Recorded[] = [];
  const wrapped: DuckDb = {
    ...db,
    connection: db.connection,
    async all<T>(sql: string, params?: Parameters<DuckDb['all']>[1]): Promise<T[]> {
      let rows: T[] = [];
      const cost = await timed(async () => (rows = await db.all<T>(sql, params)));
      queries.push({ sql, ...cost, rows: rows as Record<string, unknown>[] });
      return rows;
    },
  };
  return { db: wrapped, queries };
}

async function timed(fn: () => Promise<unknown>): Promise<Cost> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await fn();
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
}

/** Best of two runs of one query: the breakdown's unit of measurement. */
async function bestOf2(sql: string): Promise<Cost> {
  const [a, b] = [await timed(() => db.all(sql)), await timed(() => db.all(sql))];
  return { ms: Math.min(a.ms, b.ms), cpuMs: Math.min(a.cpuMs, b.cpuMs) };
}
const costOf = ({ ms, cpuMs }: Cost): Cost => ({ ms, cpuMs });
const add = (...costs: Cost[]): Cost => ({
  ms: costs.reduce((t, c) => t + c.ms, 0),
  cpuMs: costs.reduce((t, c) => t + c.cpuMs, 0),
});

const loadBefore = loadavg()[0]!;
const db = await openDuckDb();
const data = await cachedParquet(db, 'validation', opts.rows, 0, 0);
const reference = await cachedParquet(db, 'validation-reference', referenceRows, 50_000_000, 0.03);
const scan = (path: string) => `read_parquet(${literal(path)})`;
const schema: DatasetColumn[] = (
  await db.all<{ column_name: string; column_type: string }>(`DESCRIBE SELECT * FROM ${scan(data.path)}`)
).map((c) => ({ name: c.column_name, type: c.column_type }));
const fileMb = (await stat(data.path)).size / 2 ** 20;

const spec = parseSpec(
  {
    name: 'bench-validation',
    model: 'bench-validation',
    dataset: { name: 'bench-validation', label, categorical: categorical.map((c) => c.name) },
    task: 'binary',
    validation: {
      minRows: 1000,
      maxNullFraction: 0.01,
      maxDuplicateFraction: 0.01,
      minClassFraction: 0.1,
      ranges: Object.fromEntries(numeric.map((c) => [c.name, { min: 0, max: c.max }])),
      domains: Object.fromEntries(categorical.map((c) => [c.name, c.domain])),
      drift: { warn: 0.1, fail: 0.25 },
    },
  },
  'bench spec',
);

// The baseline: one scan reading every column once, with a light aggregate per column.
const bareSql = `SELECT count(*) AS n, ${[
  ...numeric.map((c) => `sum(${ident(c.name)})`),
  ...categorical.map((c) => `count(DISTINCT ${ident(c.name)})`),
  `sum(${ident(label)})`,
].join(', ')} FROM ${scan(data.path)}`;

/** Validation as the activity runs it. The generated files were written by DuckDB with the COPY
 * options ingest uses, so as Ferry-written files their footers are trusted; as uploads they are not. */
const validate = (target: DuckDb, withReference: boolean, writtenByFerry = true, dataPath = data.path) =>
  runValidationChecks({
    db: target,
    dataPath,
    referencePath: withReference ? reference.path : undefined,
    spec,
    schema,
    dataWrittenByFerry: writtenByFerry,
    referenceWrittenByFerry: writtenByFerry,
  });

// ---- headline: validation vs bare scan, alternated so both see the same machine load ----
// Warm-up: page cache and DuckDB's Parquet metadata cache, so the first timed scan is not a cold read.
await db.all(bareSql);
const bareRuns: Cost[] = [];
const runs: (Cost & { queries: Recorded[] })[] = [];
/** The same file validated as an upload Ferry did not write: no footer statistics, no optimizer use of them. */
const uploadedRuns: Cost[] = [];
let checks: ValidationCheck[] = [];
let uploadedChecks: ValidationCheck[] = [];
for (let rep = 0; rep < opts.reps; rep++) {
  bareRuns.push(await timed(() => db.all(bareSql)));
  const rec = recording(db);
  runs.push({ ...(await timed(async () => (checks = await validate(rec.db, true)))), queries: rec.queries });
  uploadedRuns.push(await timed(async () => (uploadedChecks = await validate(db, true, false))));
}
const medianCost = (costs: Cost[]): Cost => ({
  ms: median(costs.map((c) => c.ms)),
  cpuMs: median(costs.map((c) => c.cpuMs)),
});
const bare = medianCost(bareRuns);
const validation = medianCost(runs);
const ratio = bare.ms / validation.ms;
const cpuRatio = bare.cpuMs / validation.cpuMs;
const uploadedValidation = medianCost(uploadedRuns);
const uploadedRatio = bare.ms / uploadedValidation.ms;
const uploadedCpuRatio = bare.cpuMs / uploadedValidation.cpuMs;
/** Trusting the footer must change the cost, never an answer. */
const sameAnswers = (cs: readonly ValidationCheck[]) =>
  JSON.stringify(cs.map((c) => [c.check, c.column, c.passed, c.observed])) ===
  JSON.stringify(checks.map((c) => [c.check, c.column, c.passed, c.observed]));
const uploadedAgrees = sameAnswers(uploadedChecks);

// ---- an upload as ingest now handles it: rewritten through DuckDB once, then validated as Ferry's ----
const rewrittenPath = join(tmpdir(), 'ferry-bench', `validation-rewrite-${process.pid}.parquet`);
const rewrite = await timed(() => db.run(ferryParquetCopySql(scan(data.path), rewrittenPath)));
let rewrittenChecks: ValidationCheck[] = [];
const rewrittenValidation = await timed(
  async () => (rewrittenChecks = await validate(db, true, true, rewrittenPath)),
);
await rm(rewrittenPath, { force: true });
const rewrittenAgrees = sameAnswers(rewrittenChecks);
const uploadToVerdict = add(rewrite, rewrittenValidation);
const rowsPerSecond = (ms: number) => opts.rows / (ms / 1000);

// ---- 1. the queries validation sends ----
const medianRun = [...runs].sort((a, b) => a.ms - b.ms)[Math.floor(runs.length / 2)]!;
const queryKind = (sql: string): string => {
  if (sql.startsWith('DESCRIBE')) return 'drift: reference schema (DESCRIBE)';
  if (sql.includes('parquet_metadata(')) return 'Parquet footer (row groups, min/max statistics)';
  if (sql.includes('quantile_cont')) return 'drift: reference deciles';
  if (sql.includes('GROUPING SETS'))
    return sql.includes(literal(reference.path))
      ? 'drift: reference value counts'
      : 'grouped value counts (domains, label balance, categorical drift)';
  if (sql.includes('histogram(x0,'))
    return sql.includes(literal(reference.path))
      ? 'drift: reference histograms'
      : 'drift: current numeric bins (sampled row groups above 1 M rows, fewer above 5 M)';
  if (sql.includes('AS n FROM')) return 'drift: reference row count';
  return 'main pass (rows, nulls, ranges, domains, duplicates, label balance)';
};
/** Validation caches the reference profile, so only the first run sends the reference's queries. */
const queryOf = (kind: string) =>
  [medianRun, ...runs].flatMap((r) => r.queries).find((q) => queryKind(q.sql).startsWith(kind))!;

// ---- 2. the main pass, one check kind at a time ----
/** Splits `SELECT <a> AS a0,\n  <b> AS a1 … \nFROM …` into its aggregates and its FROM clause. */
function splitAggregates(sql: string): { parts: string[]; from: string } {
  const at = sql.lastIndexOf('\nFROM ');
  return { parts: sql.slice('SELECT '.length, at).split(',\n  '), from: sql.slice(at) };
}
const main = splitAggregates(queryOf('main pass').sql);
const checkKind = (part: string): string => {
  if (part.startsWith('count(*) AS')) return 'rows';
  if (part.startsWith('count(*) - count(') || part.startsWith('count_if(isnan(')) return 'nulls';
  if (part.includes(' NOT IN (')) return 'domains';
  if (part.startsWith('count(DISTINCT hash(') || part.includes('__ferry_row_hash')) return 'duplicates';
  if (part.includes('histogram(')) return 'label balance';
  return 'ranges';
};
const kinds = ['nulls', 'ranges', 'domains', 'duplicates', 'label balance'];
const kindCost: Record<string, Cost> = {};
for (const kind of kinds) {
  const parts = main.parts.filter((p) => checkKind(p) === kind);
  // Ranges proved by footer statistics and categorical checks answered by grouped counts send nothing.
  kindCost[kind] =
    parts.length === 0
      ? { ms: 0, cpuMs: 0 }
      : await bestOf2(`SELECT count(*), ${parts.join(', ')}${main.from}`);
}
const withoutDuplicates = await bestOf2(
  `SELECT ${main.parts.filter((p) => checkKind(p) !== 'duplicates').join(', ')}${main.from}`,
);

// ---- 3. the second scan (drift histograms of the current data), numeric and categorical halves ----
const driftNumeric = await bestOf2(queryOf('drift: current numeric bins').sql);
const driftCategorical = await bestOf2(queryOf('grouped value counts').sql);

// ---- validation's own numeric drift (sampled row groups above 1 M rows) against the exact PSI ----
const floatType = /^(FLOAT|DOUBLE)$/;
const typeOf = new Map(schema.map((c) => [c.name, c.type]));
const numericNames = numeric.map((c) => c.name);
const edges: number[][] = ((): number[][] => {
  const row = queryOf('drift: reference deciles').rows[0] ?? {};
  return numericNames.map((_, i) =>
    [...new Set(((row[`a${i}`] as unknown[] | null) ?? []).map(Number).filter(Number.isFinite))].sort(
      (a, b) => a - b,
    ),
  );
})();
/** Numeric drift bins per reference decile over every row, with DuckDB's binned histogram(x, boundaries).
 * It files NaN under the first bucket, so float columns filter NaN out (validation ignores NaN and NULL alike). */
const exactBins = async (path: string): Promise<Record<string, unknown>> =>
  (
    await db.all(
      `SELECT ${numericNames
        .map((c, i) => {
          const col = ident(c);
          const filter = floatType.test(typeOf.get(c) ?? '') ? ` FILTER (WHERE NOT isnan(${col}))` : '';
          return `map_values(histogram(${col}, [${edges[i]!.map((v) => `'${v}'::DOUBLE`).join(', ')}]::DOUBLE[])${filter}) AS h${i}`;
        })
        .join(', ')} FROM ${scan(path)}`,
    )
  )[0]!;
const currentBins = await exactBins(data.path);
const referenceBins = await exactBins(reference.path);
const bins = (row: Record<string, unknown>, i: number) =>
  Object.fromEntries(((row[`h${i}`] as unknown[] | null) ?? []).map((n, k) => [String(k), Number(n ?? 0)]));
let maxValidationPsiError = 0;
for (const check of checks) {
  const i = numericNames.indexOf(check.column ?? '');
  if (check.check !== 'drift' || i < 0) continue;
  const exact = psiCategorical(bins(referenceBins, i), bins(currentBins, i));
  maxValidationPsiError = Math.max(maxValidationPsiError, Math.abs(check.observed - exact));
}

// Validation without a reference: the main pass alone, end to end through runValidationChecks.
const noDrift = await timed(() => validate(db, false));
db.close();

// ---- report ----
const summary = summarizeChecks(checks);
const row = (name: string, c: Cost, extra: string[] = []) => [
  name,
  fmt(c.ms, 0),
  fmt(c.cpuMs, 0),
  fmt(c.cpuMs / bare.cpuMs, 2),
  ...extra,
];
const costHeader = ['wall ms', 'CPU ms', '× bare (CPU)'];
console.log(
  `\nValidation throughput · ${fmt(opts.rows, 0)} rows × ${schema.length} columns (${fmt(fileMb, 0)} MiB zstd Parquet${
    data.generatedMs ? `, generated in ${fmt(data.generatedMs / 1000, 1)} s` : ', cached'
  }) · drift reference ${fmt(referenceRows, 0)} rows · median of ${opts.reps} alternating runs\n`,
);
console.log(
  `Data: ${data.path}\nChecks: ${checks.length} (${summary.errors.length} failed errors, ${summary.warnings.length} warnings)`,
);
console.log(
  'CPU = user + system time of this process (all DuckDB threads): steadier than wall time on a shared machine.',
);
console.log(
  `1-minute load average: ${fmt(loadBefore, 2)} before, ${fmt(loadavg()[0]!, 2)} after (2 cores).\n`,
);
/** One row of the throughput table: wall and CPU time, wall-time rows/s and, when repeated, each run's wall time. */
const throughputRow = (what: string, cost: Cost, runs: readonly Cost[] = []) => [
  what,
  fmt(cost.ms, 0),
  fmt(cost.cpuMs, 0),
  fmt(rowsPerSecond(cost.ms), 0),
  runs.map((r) => fmt(r.ms, 0)).join(' / '),
];
console.log(
  table(
    ['what', 'wall ms', 'CPU ms', 'rows/s (wall)', 'wall ms per run'],
    [
      throughputRow('bare DuckDB scan (baseline)', bare, bareRuns),
      throughputRow('runValidationChecks, with drift reference', validation, runs),
      throughputRow(
        'runValidationChecks, uploaded file (footer not trusted), with drift reference',
        uploadedValidation,
        uploadedRuns,
      ),
      throughputRow('ingest rewrite of the upload through DuckDB (one run)', rewrite),
      throughputRow(
        "runValidationChecks on Ferry's rewrite, with drift reference (one run)",
        rewrittenValidation,
      ),
      throughputRow('runValidationChecks, no reference (one run)', noDrift),
    ],
  ),
);
const verdict = (r: number) => `target ≥ ${targetRatio}: ${r >= targetRatio ? 'MET' : 'NOT MET'}`;
console.log(
  `\nRatio validation rows/s ÷ bare-scan rows/s, same run:
  Ferry-written snapshot (footer trusted):        ${fmt(ratio, 3)} on wall time (${fmt(cpuRatio, 3)} on CPU time) — ${verdict(ratio)}
  uploaded file as is (footer not trusted):       ${fmt(uploadedRatio, 3)} on wall time (${fmt(uploadedCpuRatio, 3)} on CPU time) — ${verdict(uploadedRatio)}; same answers: ${uploadedAgrees ? 'yes' : 'NO'}
  upload to verdict (ingest rewrite + validation): ${fmt(bare.ms / uploadToVerdict.ms, 3)} on wall time (${fmt(bare.cpuMs / uploadToVerdict.cpuMs, 3)} on CPU time), one run; the rewrite is paid once per snapshot, at ingest; same answers: ${rewrittenAgrees ? 'yes' : 'NO'}
`,
);
console.log('1. Queries runValidationChecks sent (median run):\n');
console.log(
  table(
    ['query', ...costHeader, 'share of CPU'],
    medianRun.queries.map((q) => row(queryKind(q.sql), q, [`${fmt((q.cpuMs / medianRun.cpuMs) * 100, 0)}%`])),
  ),
);
console.log('\n2. The main pass, one check kind alone (plus count(*)), best of 2:\n');
console.log(
  table(
    ['aggregates', ...costHeader],
    [
      ...kinds.map((k) => row(k, kindCost[k]!)),
      row('everything except duplicates', withoutDuplicates),
      row('everything (as sent, from the median run)', queryOf('main pass')),
    ],
  ),
);
console.log('\n3. The narrow queries beside the main pass (as validation sent them), best of 2:\n');
console.log(
  table(
    ['aggregates', ...costHeader],
    [
      row(
        `numeric drift bins: ${numericNames.length} columns × histogram(x, ${edges[0]?.length ?? 0} edges), sampled row groups`,
        driftNumeric,
      ),
      row(
        `grouped value counts: ${categorical.length} categoricals + label, GROUPING SETS`,
        driftCategorical,
      ),
    ],
  ),
);
console.log(
  `\nValidation's own numeric drift against the exact PSI over every row: max |ΔPSI| ${maxValidationPsiError.toExponential(1)}.`,
);
printResult({
  bench: 'validation-throughput',
  rows: opts.rows,
  columns: schema.length,
  referenceRows,
  bare,
  validation,
  validationNoDrift: costOf(noDrift),
  bareRowsPerSecond: rowsPerSecond(bare.ms),
  validationRowsPerSecond: rowsPerSecond(validation.ms),
  ratio,
  cpuRatio,
  targetRatio,
  targetMet: ratio >= targetRatio,
  uploaded: {
    validation: uploadedValidation,
    ratio: uploadedRatio,
    cpuRatio: uploadedCpuRatio,
    targetMet: uploadedRatio >= targetRatio,
    sameAnswers: uploadedAgrees,
  },
  ingestRewrite: costOf(rewrite),
  rewrittenValidation: costOf(rewrittenValidation),
  uploadToVerdict: { ...uploadToVerdict, ratio: bare.ms / uploadToVerdict.ms, sameAnswers: rewrittenAgrees },
  queries: Object.fromEntries(medianRun.queries.map((q) => [queryKind(q.sql), costOf(q)])),
  mainPassKinds: Object.fromEntries(
    [...Object.entries(kindCost), ['allButDuplicates', withoutDuplicates] as const].map(([k, c]) => [
      k,
      costOf(c),
    ]),
  ),
  driftScan: { numeric: costOf(driftNumeric), categorical: costOf(driftCategorical) },
  validationPsiMaxAbsError: maxValidationPsiError,
  loadAverage: { before: loadBefore, after: loadavg()[0]! },
});
