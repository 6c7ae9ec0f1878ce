// Dataset validation over real DuckDB and small Parquet files: each check passes on clean data, fails
// with a message naming the column and the rule on bad data, and drift matches the shared PSI maths.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { literal, openDuckDb, type DuckDb } from '../../core/data/duckdb.js';
import type { DatasetColumn } from '../../core/datasets/catalog.js';
import {
  runValidation,
  runValidationChecks,
  summarizeChecks,
  type ValidationCheck,
} from '../../core/datasets/validation.js';
import { psiCategorical, psiNumeric } from '../../core/metrics/math.js';
import { parseSpec } from '../../core/pipeline-spec/load.js';
import type { PipelineSpecInput } from '../../core/pipeline-spec/schema.js';
import { lyingParquetTruth, writeLyingParquet } from '../helpers/lying-parquet.js';

let dir: string;
let db: DuckDb;
let fileCount = 0;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-validation-'));
  db = await openDuckDb({ threads: 2 });
});

after(async () => {
  db.close();
  await rm(dir, { recursive: true, force: true });
});

type Cell = string | number | null;

/** Writes rows as CSV, converts it to Parquet the way ingest does, and returns the file and its schema. */
async function dataset(header: string[], rows: Cell[][]): Promise<{ path: string; schema: DatasetColumn[] }> {
  const n = fileCount++;
  const csvPath = join(dir, `data-${n}.csv`);
  const path = join(dir, `data-${n}.parquet`);
  await writeFile(
    csvPath,
    [header.join(','), ...rows.map((r) => r.map((c) => (c === null ? '' : String(c))).join(','))].join('\n'),
  );
  await db.run(`COPY (SELECT * FROM read_csv(${literal(csvPath)})) TO ${literal(path)} (FORMAT parquet)`);
  const described = await db.all<{ column_name: string; column_type: string }>(
    `DESCRIBE SELECT * FROM read_parquet(${literal(path)})`,
  );
  return { path, schema: described.map((c) => ({ name: c.column_name, type: c.column_type })) };
}

const plans = ['basic', 'pro', 'team'];
const header = ['age', 'income', 'plan', 'churn'];

/** What the activity passes for a snapshot whose manifest says Ferry wrote its data, as these files were. */
const ferryWrote = { dataWrittenByFerry: true } as const;

/** A clean row: ages 18–77, distinct incomes, plans in the domain, 25% churn. */
function row(i: number): Cell[] {
  return [18 + ((i * 7) % 60), 20000 + i * 10.5, plans[i % 3]!, i % 4 === 0 ? 1 : 0];
}

/** 300 clean rows as the current data and a shifted copy (older, richer, more "pro") as the reference. */
async function shiftedReference() {
  const rows = Array.from({ length: 300 }, (_, i) => row(i));
  const shifted = rows.map((r, i) => [
    Number(r[0]) + 6,
    Number(r[1]) * 1.05,
    plans[i % 5 === 0 ? 1 : 0]!,
    r[3]!,
  ]);
  const current = await dataset(header, rows);
  const reference = await dataset(header, shifted);
  return { rows, shifted, current, reference };
}

/** A DuckDb that records every SQL it is sent and reports `createdBy` as the file's writer when given. */
function recording(createdBy?: string): { spy: DuckDb; sent: string[] } {
  const sent: string[] = [];
  const all = async <T>(sql: string): Promise<T[]> => {
    sent.push(sql);
    const rows = await db.all<T>(sql);
    if (createdBy === undefined || !sql.includes('parquet_file_metadata(')) return rows;
    return rows.map((r) => ({ ...r, created_by: createdBy }));
  };
  return { spy: { ...db, all } as DuckDb, sent };
}

function spec(
  overrides: Partial<PipelineSpecInput['dataset']> = {},
  validation: PipelineSpecInput['validation'] = {},
) {
  return parseSpec({
    name: 'churn',
    model: 'churn',
    task: 'binary',
    dataset: {
      name: 'customers',
      label: 'churn',
      features: ['age', 'income', 'plan'],
      categorical: ['plan'],
      ...overrides,
    },
    validation: {
      minRows: 50,
      maxNullFraction: 0.05,
      maxDuplicateFraction: 0.01,
      minClassFraction: 0.05,
      ranges: { age: { min: 18, max: 100 } },
      domains: { plan: plans },
      ...validation,
    },
  });
}

const names = (checks: readonly ValidationCheck[]) => [...new Set(checks.map((c) => c.check))];

test('a clean dataset passes every check, and the summary has no errors, warnings or failure message', async () => {
  const { path, schema } = await dataset(
    header,
    Array.from({ length: 200 }, (_, i) => row(i)),
  );
  const checks = await runValidationChecks({ db, dataPath: path, spec: spec(), schema });

  assert.deepEqual(names(checks), [
    'schema',
    'min-rows',
    'nulls',
    'range',
    'domain',
    'duplicates',
    'label-balance',
  ]);
  assert.deepEqual(
    checks.filter((c) => !c.passed),
    [],
  );
  assert.deepEqual(summarizeChecks(checks), { passed: true, errors: [], warnings: [], failureMessage: '' });
  const message = (check: string, column?: string) =>
    checks.find((c) => c.check === check && c.column === column)?.message;
  assert.equal(message('min-rows'), 'min-rows: dataset has 200 rows (min 50)');
  assert.equal(message('nulls', 'age'), 'nulls: column "age" has 0.0% nulls (max 5.0%)');
  assert.equal(
    message('label-balance', 'churn'),
    'label-balance: rarest class "1" of "churn" is 25.0% of labelled rows (min 5.0%)',
  );
  assert.equal(
    message('range', 'age'),
    'range: column "age" has 0 value(s) outside [18, 100] (observed min 18, max 77)',
  );
});

test('nulls, an out-of-range value, an unknown category, duplicates and a 2% minority class each fail by name', async () => {
  const rows = Array.from({ length: 97 }, (_, i) => {
    const r = row(i);
    r[3] = i === 50 || i === 60 ? 1 : 0;
    if (i >= 10 && i < 20) r[0] = null;
    if (i === 30) r[0] = 150;
    if (i === 40) r[2] = 'enterprise';
    return r;
  });
  rows.push(rows[0]!, rows[1]!, rows[2]!);
  const { path, schema } = await dataset(header, rows);

  const summary = summarizeChecks(await runValidationChecks({ db, dataPath: path, spec: spec(), schema }));

  assert.equal(summary.passed, false);
  assert.deepEqual(summary.warnings, []);
  assert.deepEqual(names(summary.errors), ['nulls', 'range', 'domain', 'duplicates', 'label-balance']);
  assert.deepEqual(summary.failureMessage.split('\n'), [
    'nulls: column "age" has 10.0% nulls (max 5.0%)',
    'range: column "age" has 1 value(s) outside [18, 100] (observed min 18, max 150)',
    'domain: column "plan" has 1 value(s) outside the allowed set (e.g. "enterprise"); allowed: "basic", "pro", "team"',
    'duplicates: 3 of 100 rows (3.0%) repeat an earlier row (max 1.0%)',
    'label-balance: rarest class "1" of "churn" is 2.0% of labelled rows (min 5.0%)',
  ]);
  const duplicates = summary.errors.find((c) => c.check === 'duplicates')!;
  assert.equal(duplicates.observed, 0.03);
  assert.equal(duplicates.threshold, 0.01);
});

test('a single null label is an error even when the null limit would allow it', async () => {
  const rows = Array.from({ length: 100 }, (_, i) => row(i));
  rows[5]![3] = null;
  const { path, schema } = await dataset(header, rows);
  const summary = summarizeChecks(await runValidationChecks({ db, dataPath: path, spec: spec(), schema }));
  assert.equal(summary.failureMessage, 'nulls: label column "churn" has 1 null(s) (labels must not be null)');
});

test('a missing feature and a numeric feature stored as VARCHAR fail the schema check, and other checks still run', async () => {
  const rows = Array.from({ length: 100 }, (_, i) => [18 + (i % 60), `${20 + i}k`, plans[i % 3]!, i % 2]);
  const { path, schema } = await dataset(header, rows);
  const checks = await runValidationChecks({
    db,
    dataPath: path,
    spec: spec({ features: ['age', 'income', 'plan', 'tenure'] }),
    schema,
  });
  const summary = summarizeChecks(checks);

  assert.deepEqual(summary.failureMessage.split('\n'), [
    'schema: feature "income" has type VARCHAR, but features not listed as categorical must be numeric',
    'schema: feature "tenure" is missing from the dataset',
  ]);
  assert.deepEqual(
    summary.errors.map((c) => c.column),
    ['income', 'tenure'],
  );
  assert.ok(checks.some((c) => c.check === 'range' && c.column === 'age' && c.passed));
  assert.ok(checks.some((c) => c.check === 'nulls' && c.column === 'income' && c.passed));
});

test('with all-but-label every other column is a feature, so an undeclared text column fails until declared categorical', async () => {
  const rows = Array.from({ length: 100 }, (_, i) => row(i));
  const { path, schema } = await dataset(header, rows);
  const undeclared = summarizeChecks(
    await runValidationChecks({
      db,
      dataPath: path,
      spec: spec({ features: 'all-but-label', categorical: [] }),
      schema,
    }),
  );
  assert.equal(
    undeclared.failureMessage,
    'schema: feature "plan" has type VARCHAR, but features not listed as categorical must be numeric',
  );
  const declared = summarizeChecks(
    await runValidationChecks({ db, dataPath: path, spec: spec({ features: 'all-but-label' }), schema }),
  );
  assert.equal(declared.passed, true);

  const missingLabel = summarizeChecks(
    await runValidationChecks({
      db,
      dataPath: path,
      spec: spec({ label: 'cancelled', features: 'all-but-label' }),
      schema,
    }),
  );
  assert.match(
    missingLabel.failureMessage,
    /^schema: label column "cancelled" is missing from the dataset$/m,
  );

  const missingCategorical = summarizeChecks(
    await runValidationChecks({
      db,
      dataPath: path,
      spec: spec({ features: 'all-but-label', categorical: ['plan', 'region'] }),
      schema,
    }),
  );
  assert.equal(
    missingCategorical.failureMessage,
    'schema: categorical column "region" is missing from the dataset',
  );
});

test('a reference identical to the data has PSI of about 0 on every feature and passes drift', async () => {
  const rows = Array.from({ length: 300 }, (_, i) => row(i));
  const current = await dataset(header, rows);
  const reference = await dataset(header, rows);
  const checks = await runValidationChecks({
    db,
    dataPath: current.path,
    referencePath: reference.path,
    spec: spec(),
    schema: current.schema,
  });
  const drift = checks.filter((c) => c.check === 'drift');

  assert.deepEqual(
    drift.map((c) => c.column),
    ['age', 'income', 'plan'],
  );
  for (const c of drift) {
    assert.ok(c.passed, c.message);
    assert.ok(Math.abs(c.observed) < 1e-12, c.message);
  }
  assert.equal(
    drift[0]!.message,
    'drift: feature "age" has PSI 0.000 against the reference (warn above 0.1, fail above 0.25)',
  );
});

test('a shifted reference gives a drift warning above the warn threshold, equal to psiNumeric on the same values', async () => {
  const { rows, shifted, current, reference } = await shiftedReference();
  const run = (drift: { warn: number; fail: number }) =>
    runValidationChecks({
      db,
      dataPath: current.path,
      referencePath: reference.path,
      spec: spec({}, { drift }),
      schema: current.schema,
    });

  const lenient = (await run({ warn: 0.1, fail: 100 })).filter((c) => c.check === 'drift');
  const age = lenient.find((c) => c.column === 'age')!;
  const expectedAge = psiNumeric(
    shifted.map((r) => Number(r[0])),
    rows.map((r) => Number(r[0])),
  );
  assert.ok(age.observed > 0.1, age.message);
  assert.ok(Math.abs(age.observed - expectedAge) < 1e-9, `${age.observed} vs ${expectedAge}`);
  assert.equal(age.severity, 'warning');
  assert.equal(age.passed, false);
  assert.equal(age.threshold, 0.1);
  assert.equal(
    age.message,
    `drift: feature "age" has PSI ${expectedAge.toFixed(3)} against the reference (warn above 0.1, fail above 100)`,
  );

  const plan = lenient.find((c) => c.column === 'plan')!;
  const counts = (values: Cell[]) =>
    values.reduce<Record<string, number>>((m, v) => ({ ...m, [String(v)]: (m[String(v)] ?? 0) + 1 }), {});
  const expectedPlan = psiCategorical(counts(shifted.map((r) => r[2]!)), counts(rows.map((r) => r[2]!)));
  assert.ok(Math.abs(plan.observed - expectedPlan) < 1e-12);
  assert.equal(plan.severity, 'warning');

  // Incomes are continuous, so interpolated deciles fall between values: a check on bin edges too.
  const income = lenient.find((c) => c.column === 'income')!;
  const expectedIncome = psiNumeric(
    shifted.map((r) => Number(r[1])),
    rows.map((r) => Number(r[1])),
  );
  assert.ok(expectedIncome > 0.01);
  assert.ok(Math.abs(income.observed - expectedIncome) < 1e-9, `${income.observed} vs ${expectedIncome}`);

  const strict = summarizeChecks(await run({ warn: 0.1, fail: 0.25 }));
  assert.ok(expectedAge > 0.25);
  assert.match(
    strict.failureMessage,
    /^drift: feature "age" has PSI \d+\.\d{3} against the reference \(warn above 0\.1, fail above 0\.25\)$/m,
  );
  assert.equal(strict.errors.find((c) => c.column === 'age')?.threshold, 0.25);
});

test('a stored reference profile is reused instead of rescanning the reference, and gives the same PSI', async () => {
  const { current, reference } = await shiftedReference();
  const first = await runValidation({
    db,
    dataPath: current.path,
    referencePath: reference.path,
    spec: spec(),
    schema: current.schema,
  });
  const profile = first.referenceProfile!;
  assert.deepEqual(Object.keys(profile.numeric), ['age', 'income']);
  assert.deepEqual(Object.keys(profile.categorical), ['plan']);
  assert.equal(
    profile.numeric.age!.counts.reduce((s, n) => s + n, 0),
    300,
  );

  // A profile that says something different proves it is read rather than recomputed.
  const doctored = structuredClone(profile);
  doctored.categorical.plan = { basic: 1, pro: 1, team: 1 };
  const { spy, sent } = recording();
  const second = await runValidation({
    db: spy,
    dataPath: current.path,
    referencePath: reference.path,
    referenceProfile: doctored,
    spec: spec(),
    schema: current.schema,
  });
  assert.equal(sent.filter((sql) => sql.includes(literal(reference.path))).length, 0);
  const psi = (r: typeof first, column: string) =>
    r.checks.find((c) => c.check === 'drift' && c.column === column)!;
  assert.equal(psi(second, 'age').observed, psi(first, 'age').observed);
  assert.ok(Math.abs(psi(second, 'plan').observed) < 1e-12, psi(second, 'plan').message);
  assert.notEqual(psi(first, 'plan').observed, psi(second, 'plan').observed);
});

test('over a million rows, duplicates are estimated from a content-hash sample and drift bins from sampled row groups, and the messages say so', async () => {
  const path = join(dir, `large-${fileCount++}.parquet`);
  // 1.2 M rows, 2% of them an exact copy of another row; row groups of 100 k rows.
  await db.run(
    `COPY (SELECT (i % 60) + 18 AS age, (i % 1176000) * 0.5 AS income, ['basic', 'pro', 'team'][1 + i % 3] AS plan,
       (i % 4 = 0)::INTEGER AS churn FROM (SELECT range AS i FROM range(1200000)))
     TO ${literal(path)} (FORMAT parquet, ROW_GROUP_SIZE 100000)`,
  );
  const described = await db.all<{ column_name: string; column_type: string }>(
    `DESCRIBE SELECT * FROM read_parquet(${literal(path)})`,
  );
  const schema = described.map((c) => ({ name: c.column_name, type: c.column_type }));
  const { checks } = await runValidation({ db, dataPath: path, referencePath: path, spec: spec(), schema });

  const duplicates = checks.find((c) => c.check === 'duplicates')!;
  assert.ok(Math.abs(duplicates.observed - 0.02) < 0.003, duplicates.message);
  assert.match(
    duplicates.message,
    /^duplicates: \d+ of \d+ rows \(\d\.\d%\) repeat an earlier row \(max 1\.0%\) \(estimated from a [\d,]+-row sample: the rows whose content hash falls in 1 of 2 buckets\)$/,
  );
  assert.equal(duplicates.passed, false);
  const age = checks.find((c) => c.check === 'drift' && c.column === 'age')!;
  assert.match(age.message, /; current data binned on 1 in 2 row groups \([\d,]+ rows\)$/);
  assert.ok(age.observed < 0.01, age.message);
  assert.equal(checks.find((c) => c.check === 'min-rows')!.observed, 1_200_000);
});

test('a range is proved from footer statistics when they fit the bounds, and counted by a scan when they do not', async () => {
  const rows = Array.from({ length: 100 }, (_, i) => row(i));
  const { path, schema } = await dataset(header, rows);
  const { spy, sent } = recording();
  const inside = await runValidationChecks({ db: spy, dataPath: path, spec: spec(), schema, ...ferryWrote });
  assert.equal(
    inside.find((c) => c.check === 'range')!.message,
    'range: column "age" has 0 value(s) outside [18, 100] (observed min 18, max 77)',
  );
  assert.ok(!sent.some((sql) => sql.includes('min("age")')));
  const outside = await runValidationChecks({
    db,
    dataPath: path,
    spec: spec({}, { ranges: { age: { min: 20, max: 70 } } }),
    schema,
    ...ferryWrote,
  });
  const range = outside.find((c) => c.check === 'range')!;
  assert.equal(range.observed, rows.filter((r) => Number(r[0]) < 20 || Number(r[0]) > 70).length);
  assert.equal(range.passed, false);
});

/** Writes the rows of a SELECT straight to Parquet (for values a CSV cannot carry, such as NaN). */
async function sqlDataset(select: string, options = ''): Promise<{ path: string; schema: DatasetColumn[] }> {
  const path = join(dir, `data-${fileCount++}.parquet`);
  await db.run(`COPY (${select}) TO ${literal(path)} (FORMAT parquet${options})`);
  const described = await db.all<{ column_name: string; column_type: string }>(
    `DESCRIBE SELECT * FROM read_parquet(${literal(path)})`,
  );
  return { path, schema: described.map((c) => ({ name: c.column_name, type: c.column_type })) };
}

test('null counts come from footer statistics, and NaN in a float column still counts as missing', async () => {
  const { path, schema } = await sqlDataset(
    `SELECT CASE WHEN i < 10 THEN NULL ELSE 18 + (i * 7) % 60 END::INTEGER AS age,
       CASE WHEN i BETWEEN 20 AND 23 THEN 'NaN'::DOUBLE WHEN i = 24 THEN NULL ELSE 20000 + i * 10.5 END AS income,
       ['basic', 'pro', 'team'][1 + i % 3] AS plan, (i % 4 = 0)::INTEGER AS churn
     FROM range(200) t(i)`,
  );
  const { spy, sent } = recording();
  const checks = await runValidationChecks({ db: spy, dataPath: path, spec: spec(), schema, ...ferryWrote });
  const nulls = (column: string) => checks.find((c) => c.check === 'nulls' && c.column === column)!;

  assert.equal(nulls('age').observed, 10 / 200);
  assert.equal(nulls('age').message, 'nulls: column "age" has 5.0% nulls (max 5.0%)');
  assert.equal(nulls('income').observed, 5 / 200);
  assert.equal(nulls('plan').observed, 0);
  assert.equal(nulls('churn').message, 'nulls: label column "churn" has 0 null(s) (labels must not be null)');
  const scans = sent.filter((sql) => sql.includes('read_parquet(') && !sql.includes('GROUPING SETS'));
  assert.equal(scans.length, 1);
  assert.ok(!scans[0]!.includes('count(*) - count('), scans[0]);
  assert.ok(scans[0]!.includes('count_if(isnan("income"))'), scans[0]);
  assert.ok(!scans[0]!.includes('isnan("age")'), scans[0]);
});

test('numeric drift ignores NaN and counts an empty top bin, matching psiNumeric on the non-missing values', async () => {
  const reference = await sqlDataset(
    `SELECT 18 + (i * 7) % 60 AS age, 20000 + i * 10.5 AS income, ['basic', 'pro', 'team'][1 + i % 3] AS plan,
       (i % 4 = 0)::INTEGER AS churn FROM range(300) t(i)`,
  );
  // Every current income lies below the reference's top decile, and a few are NaN.
  const current = await sqlDataset(
    `SELECT 18 + (i * 7) % 60 AS age, CASE WHEN i % 50 = 0 THEN 'NaN'::DOUBLE ELSE 20000 + (i % 200) * 10.5 END AS income,
       ['basic', 'pro', 'team'][1 + i % 3] AS plan, (i % 4 = 0)::INTEGER AS churn FROM range(300) t(i)`,
  );
  const checks = await runValidationChecks({
    db,
    dataPath: current.path,
    referencePath: reference.path,
    spec: spec({}, { drift: { warn: 0.1, fail: 100 } }),
    schema: current.schema,
  });
  const income = checks.find((c) => c.check === 'drift' && c.column === 'income')!;
  const expected = psiNumeric(
    Array.from({ length: 300 }, (_, i) => 20000 + i * 10.5),
    Array.from({ length: 300 }, (_, i) => i)
      .filter((i) => i % 50 !== 0)
      .map((i) => 20000 + (i % 200) * 10.5),
  );
  assert.ok(expected > 0.1);
  assert.ok(Math.abs(income.observed - expected) < 1e-9, `${income.observed} vs ${expected}`);
});

const mainScan = (sent: readonly string[]) =>
  sent.filter((sql) => sql.includes('read_parquet(') && !sql.includes('GROUPING SETS'));

/** 4,096 rows in two row groups of 2,048; `income` is NaN at the rows `nanWhere` selects. */
const twoRowGroups = (nanWhere: string) =>
  sqlDataset(
    `SELECT 18 + (i * 7) % 60 AS age,
       CASE WHEN ${nanWhere} THEN 'NaN'::DOUBLE WHEN i = 7 THEN NULL ELSE 20000 + i * 10.5 END AS income,
       ['basic', 'pro', 'team'][1 + i % 3] AS plan, (i % 4 = 0)::INTEGER AS churn
     FROM range(4096) t(i)`,
    ', ROW_GROUP_SIZE 2048',
  );

test('a DuckDB-written file with NaN in one row group has no min/max there, so NaN is still counted and reported', async () => {
  const { path, schema } = await twoRowGroups('i BETWEEN 3000 AND 3099');
  const stats = await db.all<{ created_by: string }>(
    `SELECT created_by FROM parquet_file_metadata(${literal(path)})`,
  );
  assert.match(stats[0]!.created_by, /^DuckDB version v1\.\d+\.\d+ /);
  const bounds = await db.all<{ id: number; mn: string | null; mx: string | null }>(
    `SELECT row_group_id AS id, stats_min AS mn, stats_max AS mx FROM parquet_metadata(${literal(path)})
     WHERE path_in_schema = 'income' ORDER BY row_group_id`,
  );
  assert.deepEqual(
    bounds.map((b) => [b.id, b.mn !== null, b.mx !== null]),
    [
      [0, true, true],
      [1, false, false],
    ],
  );

  const duckDb = recording();
  const trusted = await runValidationChecks({
    db: duckDb.spy,
    dataPath: path,
    spec: spec(),
    schema,
    ...ferryWrote,
  });
  assert.ok(mainScan(duckDb.sent)[0]!.includes('count_if(isnan("income"))'), mainScan(duckDb.sent)[0]);
  const income = trusted.find((c) => c.check === 'nulls' && c.column === 'income')!;
  assert.equal(income.observed, 101 / 4096);
  assert.equal(income.message, 'nulls: column "income" has 2.5% nulls (max 5.0%)');

  const otherWriter = recording('parquet-cpp-arrow version 17.0.0');
  const untrusted = await runValidationChecks({
    db: otherWriter.spy,
    dataPath: path,
    spec: spec(),
    schema,
    ...ferryWrote,
  });
  assert.ok(mainScan(otherWriter.sent)[0]!.includes('count_if(isnan("income"))'));
  assert.deepEqual(trusted, untrusted);
});

test('a NaN-free float column in a DuckDB-written file sends no NaN count, with the same results as a scan', async () => {
  const { path, schema } = await twoRowGroups('false');
  const duckDb = recording();
  const trusted = await runValidationChecks({
    db: duckDb.spy,
    dataPath: path,
    spec: spec(),
    schema,
    ...ferryWrote,
  });
  const [scan] = mainScan(duckDb.sent);
  assert.ok(!scan!.includes('isnan("income")'), scan);
  assert.equal(trusted.find((c) => c.check === 'nulls' && c.column === 'income')!.observed, 1 / 4096);

  // Other writers, and DuckDB versions older than the one checked, keep the NaN count.
  for (const createdBy of ['parquet-cpp-arrow version 17.0.0', 'DuckDB version v1.1.3 (build 19864453f7)']) {
    const other = recording(createdBy);
    const untrusted = await runValidationChecks({
      db: other.spy,
      dataPath: path,
      spec: spec(),
      schema,
      ...ferryWrote,
    });
    assert.ok(mainScan(other.sent)[0]!.includes('count_if(isnan("income"))'), createdBy);
    assert.deepEqual(trusted, untrusted, createdBy);
  }
});

test('a file whose footer lies about ranges and nulls is validated from its values unless the caller says Ferry wrote it', async () => {
  const path = join(dir, `lying-${fileCount++}.parquet`);
  await writeLyingParquet(db, path);
  // The lie is in place: the footer names DuckDB as writer, ages within [18, 77] and no null income.
  const [file] = await db.all<{ created_by: string }>(
    `SELECT created_by FROM parquet_file_metadata(${literal(path)})`,
  );
  assert.match(file!.created_by, /^DuckDB version v1\.\d+\.\d+ /);
  const claims = await db.all<{ col: string; mx: string; nulls: number }>(
    `SELECT path_in_schema AS col, stats_max_value AS mx, stats_null_count AS nulls FROM parquet_metadata(${literal(path)})
     WHERE path_in_schema IN ('age', 'income') ORDER BY col`,
  );
  assert.deepEqual(
    claims.map((c) => [c.col, c.col === 'age' ? c.mx : c.nulls]),
    [
      ['age', '77'],
      ['income', 0],
    ],
  );
  const schema = (
    await db.all<{ column_name: string; column_type: string }>(
      `DESCRIBE SELECT * FROM read_parquet(${literal(path)})`,
    )
  ).map((c) => ({ name: c.column_name, type: c.column_type }));
  const rules = spec({}, { maxNullFraction: 0.01 });

  const checks = await runValidationChecks({ db, dataPath: path, spec: rules, schema });
  const range = checks.find((c) => c.check === 'range')!;
  assert.equal(
    range.message,
    `range: column "age" has ${lyingParquetTruth.agesAbove100} value(s) outside [18, 100] (observed min 18, max 150)`,
  );
  assert.equal(range.passed, false);
  const income = checks.find((c) => c.check === 'nulls' && c.column === 'income')!;
  assert.equal(income.observed, lyingParquetTruth.incomeNulls / lyingParquetTruth.rows);
  assert.equal(income.message, 'nulls: column "income" has 2.5% nulls (max 1.0%)');
  assert.equal(summarizeChecks(checks).passed, false);
  // The optimizer that believes footers was off only for the call.
  const [setting] = await db.all<{ v: string }>(`SELECT current_setting('disabled_optimizers') AS v`);
  assert.equal(setting!.v, '');

  // The caller's word, not the file, decides: told Ferry wrote it, validation believes the footer.
  // That is why only snapshots whose manifest records Ferry as their writer are marked so.
  const believed = await runValidationChecks({ db, dataPath: path, spec: rules, schema, ...ferryWrote });
  assert.equal(believed.find((c) => c.check === 'range')!.observed, 0);
  assert.equal(believed.find((c) => c.check === 'nulls' && c.column === 'income')!.observed, 0);
});

test('over a file Ferry did not write, DuckDB is not left to fold checks from its footer, as it would by default', async () => {
  const path = join(dir, `lying-${fileCount++}.parquet`);
  await writeLyingParquet(db, path);
  // What a plain scan says: DuckDB folds `age > 100` to false and count(income) to count(*).
  const [plain] = await db.all<{ above: number; nulls: number }>(
    `SELECT count_if(age > 100) AS above, count(*) - count(income) AS nulls FROM read_parquet(${literal(path)})`,
  );
  assert.deepEqual(plain, { above: 0, nulls: 0 });
  const schema = [
    { name: 'id', type: 'INTEGER' },
    { name: 'age', type: 'INTEGER' },
    { name: 'income', type: 'DOUBLE' },
    { name: 'plan', type: 'VARCHAR' },
    { name: 'churn', type: 'INTEGER' },
  ];
  const checks = await runValidationChecks({ db, dataPath: path, spec: spec(), schema });
  assert.equal(checks.find((c) => c.check === 'range')!.observed, lyingParquetTruth.agesAbove100);
  assert.equal(
    checks.find((c) => c.check === 'nulls' && c.column === 'income')!.observed,
    lyingParquetTruth.incomeNulls / lyingParquetTruth.rows,
  );
});
