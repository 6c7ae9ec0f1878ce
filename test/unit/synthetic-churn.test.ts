import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';
import {
  churnColumns,
  churnLogit,
  generateChurnRows,
  writeChurnCsv,
  type ChurnOptions,
  type ChurnRow,
} from '../../core/datasets/synthetic-churn.js';

const repoRoot = join(import.meta.dirname, '../..');
const rowsOf = (o: ChurnOptions): ChurnRow[] => [...generateChurnRows(o)];
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const share = <T>(xs: T[], value: T): number => xs.filter((x) => x === value).length / xs.length;

const numericColumns = churnColumns.filter((c) => c.type !== 'VARCHAR' && c.role === 'feature');
const categoricalColumns = churnColumns.filter((c) => c.type === 'VARCHAR');
const features = churnColumns.filter((c) => c.role === 'feature').map((c) => c.name);

const hasNull = (r: ChurnRow): boolean => features.some((f) => r[f] === null);
const isOutOfRange = (r: ChurnRow): boolean =>
  numericColumns.some((c) => {
    const v = r[c.name];
    return v !== null && (v < c.min || ('max' in c && v > c.max));
  });
const hasUnknownCategory = (r: ChurnRow): boolean =>
  categoricalColumns.some((c) => {
    const v = r[c.name];
    return v !== null && !(c.domain as readonly string[]).includes(v);
  });
function duplicateCount(rows: ChurnRow[]): number {
  const seen = new Set<string>();
  let copies = 0;
  for (const r of rows) {
    const key = JSON.stringify(r);
    if (seen.has(key)) copies++;
    seen.add(key);
  }
  return copies;
}

/** Rank-based ROC AUC (Mann–Whitney U), ties sharing their mean rank. */
function auc(scores: number[], labels: (0 | 1)[]): number {
  const order = scores.map((_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let positiveRankSum = 0;
  let positives = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (labels[order[k]!] === 1) {
        positiveRankSum += rank;
        positives++;
      }
    }
    i = j + 1;
  }
  const negatives = labels.length - positives;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** PSI over the reference's decile bins (numeric) or its categories, with a floor for empty bins. */
function psi(reference: (number | string)[], current: (number | string)[]): number {
  let binOf: (x: number | string) => string;
  if (typeof reference[0] === 'number') {
    const sorted = (reference as number[]).toSorted((a, b) => a - b);
    const edges = [
      ...new Set([1, 2, 3, 4, 5, 6, 7, 8, 9].map((d) => sorted[Math.floor((d * sorted.length) / 10)]!)),
    ];
    binOf = (x) => String(edges.filter((e) => (x as number) >= e).length);
  } else {
    binOf = String;
  }
  const shares = (xs: (number | string)[]): Map<string, number> => {
    const m = new Map<string, number>();
    for (const x of xs) m.set(binOf(x), (m.get(binOf(x)) ?? 0) + 1 / xs.length);
    return m;
  };
  const e = shares(reference);
  const a = shares(current);
  let total = 0;
  for (const bin of new Set([...e.keys(), ...a.keys()])) {
    const pe = Math.max(e.get(bin) ?? 0, 1e-4);
    const pa = Math.max(a.get(bin) ?? 0, 1e-4);
    total += (pa - pe) * Math.log(pa / pe);
  }
  return total;
}

test('the same options yield identical rows, defects and drift included', () => {
  const o: ChurnOptions = {
    rows: 3000,
    seed: 11,
    drift: 0.4,
    defects: {
      nullFraction: 0.02,
      outOfRangeFraction: 0.02,
      unknownCategoryFraction: 0.02,
      duplicateFraction: 0.02,
    },
  };
  assert.deepEqual(rowsOf(o), rowsOf(o));
});

test('a different seed yields different rows', () => {
  const a = rowsOf({ rows: 500, seed: 1 });
  const b = rowsOf({ rows: 500, seed: 2 });
  const same = a.filter((r, i) => JSON.stringify(r) === JSON.stringify(b[i])).length;
  assert.equal(same, 0);
});

test('the columns, ranges and domains agree with pipelines/churn.yaml', async () => {
  const spec = parseYaml(await readFile(join(repoRoot, 'pipelines/churn.yaml'), 'utf8')) as {
    dataset: { label: string; categorical: string[] };
    validation: { ranges: Record<string, { min: number; max: number }>; domains: Record<string, string[]> };
  };
  assert.equal(churnColumns.at(-1)!.name, spec.dataset.label);
  assert.deepEqual(
    categoricalColumns.map((c) => c.name),
    spec.dataset.categorical,
  );
  for (const c of categoricalColumns) assert.deepEqual([...c.domain], spec.validation.domains[c.name]);
  for (const [name, range] of Object.entries(spec.validation.ranges)) {
    const c = numericColumns.find((col) => col.name === name);
    assert.ok(c && 'max' in c, `${name} is a bounded numeric column`);
    assert.ok(
      c.min >= range.min && c.max <= range.max,
      `${name} ${c.min}–${c.max} lies within the spec's range`,
    );
  }
});

test('without defects every value lies in its column range or domain, with the right type', () => {
  const rows = rowsOf({ rows: 20_000, seed: 3 });
  for (const r of rows) {
    for (const c of churnColumns) {
      const v = r[c.name];
      if (c.type === 'VARCHAR') {
        assert.ok(typeof v === 'string' && (c.domain as readonly string[]).includes(v), `${c.name}=${v}`);
        continue;
      }
      assert.ok(typeof v === 'number' && Number.isFinite(v), `${c.name}=${v}`);
      if (c.type === 'INTEGER') assert.ok(Number.isInteger(v), `${c.name}=${v} is whole`);
      assert.ok(v >= c.min && (!('max' in c) || v <= c.max), `${c.name}=${v} is in range`);
    }
  }
  assert.equal(duplicateCount(rows), 0);
});

test('the churn rate stays between 20% and 35% across seeds', () => {
  for (const seed of [1, 2, 42, 1234]) {
    const rate = mean(rowsOf({ rows: 10_000, seed }).map((r) => r.churned));
    assert.ok(rate >= 0.2 && rate <= 0.35, `seed ${seed}: churn rate ${rate}`);
  }
});

const defectCases = [
  ['nullFraction', hasNull],
  ['outOfRangeFraction', isOutOfRange],
  ['unknownCategoryFraction', hasUnknownCategory],
  ['duplicateFraction', null],
] as const;

for (const [option, detect] of defectCases) {
  test(`${option} affects round(fraction × rows) rows and no other defect appears`, () => {
    const rows = 7_001;
    const fraction = 0.0375;
    const data = rowsOf({ rows, seed: 5, defects: { [option]: fraction } });
    assert.equal(data.length, rows);
    const counts = {
      nullFraction: data.filter(hasNull).length,
      outOfRangeFraction: data.filter(isOutOfRange).length,
      unknownCategoryFraction: data.filter(hasUnknownCategory).length,
      duplicateFraction: duplicateCount(data),
    };
    for (const [kind, count] of Object.entries(counts)) {
      const expected = kind === option ? Math.round(fraction * rows) : 0;
      assert.equal(count, expected, `${kind} when only ${option} is requested`);
    }
    if (detect === hasNull) {
      for (const r of data.filter(hasNull)) {
        assert.ok(
          numericColumns.some((c) => r[c.name] === null),
          'a null row has a null numeric',
        );
        assert.ok(
          categoricalColumns.some((c) => r[c.name] === null),
          'a null row has a null categorical',
        );
        assert.ok(r.churned === 0 || r.churned === 1, 'the label is never null');
      }
    }
  });
}

test('all four defects together land at their requested counts', () => {
  const rows = 10_007;
  const f = {
    nullFraction: 0.021,
    outOfRangeFraction: 0.013,
    unknownCategoryFraction: 0.044,
    duplicateFraction: 0.05,
  };
  const data = rowsOf({ rows, seed: 9, defects: f });
  assert.equal(data.length, rows);
  assert.equal(data.filter(hasNull).length, Math.round(f.nullFraction * rows));
  assert.equal(data.filter(isOutOfRange).length, Math.round(f.outOfRangeFraction * rows));
  assert.equal(data.filter(hasUnknownCategory).length, Math.round(f.unknownCategoryFraction * rows));
  assert.equal(duplicateCount(data), Math.round(f.duplicateFraction * rows));
});

test('duplicates are exact copies of an earlier clean row, spread through the file', () => {
  const data = rowsOf({ rows: 5_000, seed: 21, defects: { duplicateFraction: 0.04, nullFraction: 0.05 } });
  const firstSeen = new Map<string, number>();
  const copyPositions: number[] = [];
  data.forEach((r, i) => {
    const key = JSON.stringify(r);
    const source = firstSeen.get(key);
    if (source === undefined) firstSeen.set(key, i);
    else {
      copyPositions.push(i);
      assert.ok(source < i, `copy at ${i} follows its source at ${source}`);
      assert.deepEqual(r, data[source]);
      assert.ok(!hasNull(r) && !isOutOfRange(r) && !hasUnknownCategory(r), `copy at ${i} is of a clean row`);
    }
  });
  assert.equal(copyPositions.length, 200);
  assert.ok(copyPositions[0]! < 1_000 && copyPositions.at(-1)! > 4_000, 'copies are not bunched together');
});

test('rows that carry no defect are the same rows the clean dataset has at that position', () => {
  const clean = rowsOf({ rows: 2_000, seed: 4 });
  const dirty = rowsOf({ rows: 2_000, seed: 4, defects: { nullFraction: 0.1, outOfRangeFraction: 0.1 } });
  let untouched = 0;
  dirty.forEach((r, i) => {
    if (hasNull(r) || isOutOfRange(r)) return;
    assert.deepEqual(r, clean[i], `row ${i}`);
    untouched++;
  });
  assert.equal(untouched, 1_600);
});

test('drift=1 lowers tenure, raises charges and moves the plan and region mixes by a clear margin', () => {
  const base = rowsOf({ rows: 20_000, seed: 1 });
  const drifted = rowsOf({ rows: 20_000, seed: 1, drift: 1 });
  const tenure = (rs: ChurnRow[]): number => mean(rs.map((r) => r.tenure_months!));
  const charges = (rs: ChurnRow[]): number => mean(rs.map((r) => r.monthly_charges!));
  const plans = (rs: ChurnRow[]): string[] => rs.map((r) => r.plan!);
  const regions = (rs: ChurnRow[]): string[] => rs.map((r) => r.region!);
  assert.ok(tenure(drifted) < 0.7 * tenure(base), `mean tenure ${tenure(base)} → ${tenure(drifted)}`);
  assert.ok(charges(drifted) > charges(base) + 5, `mean charges ${charges(base)} → ${charges(drifted)}`);
  assert.ok(
    share(plans(drifted), 'basic') > share(plans(base), 'basic') + 0.2,
    'basic plans gain 20+ points',
  );
  assert.ok(
    share(regions(drifted), 'north') > share(regions(base), 'north') + 0.15,
    'north gains 15+ points',
  );
});

test('PSI exceeds 0.25 for the drifted features at drift=1 and stays below 0.1 between seeds at drift=0', () => {
  const reference = rowsOf({ rows: 20_000, seed: 1 });
  const otherSeed = rowsOf({ rows: 20_000, seed: 2 });
  const drifted = rowsOf({ rows: 20_000, seed: 2, drift: 1 });
  for (const f of features) {
    const values = (rs: ChurnRow[]): (number | string)[] => rs.map((r) => r[f]!);
    const stable = psi(values(reference), values(otherSeed));
    assert.ok(stable < 0.1, `${f}: PSI between seeds ${stable}`);
    if (['tenure_months', 'monthly_charges', 'plan', 'region'].includes(f)) {
      const shifted = psi(values(reference), values(drifted));
      assert.ok(shifted > 0.25, `${f}: PSI at drift=1 ${shifted}`);
    }
  }
});

test('the label is learnable from a few features, categorical ones included', () => {
  const rows = rowsOf({ rows: 10_000, seed: 8 });
  const labels = rows.map((r) => r.churned);
  // A crude hand rule, far from the generating logit, already ranks churners well.
  const rule = rows.map(
    (r) =>
      -r.tenure_months! / 12 +
      r.support_calls! +
      (r.plan === 'basic' ? 1 : r.plan === 'premium' ? -1 : 0) +
      (r.payment_method === 'paypal' ? 1 : 0),
  );
  const ruleAuc = auc(rule, labels);
  assert.ok(ruleAuc > 0.75, `hand-rule AUC ${ruleAuc}`);
  // The true logit bounds what a model can reach: high enough to learn, noisy enough not to be trivial.
  const bayesAuc = auc(rows.map(churnLogit), labels);
  assert.ok(bayesAuc > 0.82 && bayesAuc < 0.92, `generating-logit AUC ${bayesAuc}`);
  const rateOf = (column: 'plan' | 'payment_method', value: string): number =>
    mean(rows.filter((r) => r[column] === value).map((r) => r.churned));
  const [basic, premium] = [rateOf('plan', 'basic'), rateOf('plan', 'premium')];
  assert.ok(basic > premium + 0.15, `churn rate basic ${basic} vs premium ${premium}`);
  const [paypal, bank] = [rateOf('payment_method', 'paypal'), rateOf('payment_method', 'bank')];
  assert.ok(paypal > bank + 0.15, `churn rate paypal ${paypal} vs bank ${bank}`);
});

test('invalid options are rejected naming the option and the rule', () => {
  const cases: [Partial<ChurnOptions>, RegExp][] = [
    [{ rows: -1 }, /^rows must be a whole number ≥ 0, got -1$/],
    [{ rows: 1.5 }, /^rows must be a whole number ≥ 0, got 1.5$/],
    [{ seed: 2 ** 32 }, /^seed must be a whole number from 0 to 4294967295, got 4294967296$/],
    [{ drift: 1.2 }, /^drift must be between 0 and 1, got 1.2$/],
    [{ defects: { nullFraction: -0.1 } }, /^defects\.nullFraction must be between 0 and 1, got -0.1$/],
    [{ defects: { nullFraction: 0.6, outOfRangeFraction: 0.5 } }, /^defects add up to 110 of 100 rows/],
    [
      { defects: { nullFraction: 0.5, duplicateFraction: 0.5 } },
      /leave one clean row before the first duplicate$/,
    ],
  ];
  for (const [override, message] of cases) {
    assert.throws(
      () => rowsOf({ rows: 100, seed: 1, ...override }),
      (err: unknown) => {
        assert.ok(err instanceof RangeError, `a RangeError for ${JSON.stringify(override)}`);
        assert.match(err.message, message);
        return true;
      },
    );
  }
});

test('writeChurnCsv writes a header and one line per row, nulls as empty fields', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-churn-'));
  try {
    const path = join(dir, 'churn.csv');
    const o: ChurnOptions = { rows: 12_345, seed: 6, defects: { nullFraction: 0.1 } };
    assert.deepEqual(await writeChurnCsv(path, o), { rows: 12_345 });
    const lines = (await readFile(path, 'utf8')).split('\n');
    assert.equal(lines.pop(), '', 'the file ends with a newline');
    assert.equal(lines.length, 12_346);
    assert.equal(lines[0], churnColumns.map((c) => c.name).join(','));
    const rows = rowsOf(o);
    lines.slice(1).forEach((line, i) => {
      const expected = churnColumns.map((c) => rows[i]![c.name] ?? '').join(',');
      assert.equal(line, expected);
    });
    assert.equal(lines.filter((l) => /^,|,,/.test(l)).length, 1_235, 'rows with an empty field');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('writeChurnCsv rejects bad options before creating the file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-churn-'));
  try {
    const path = join(dir, 'churn.csv');
    await assert.rejects(
      writeChurnCsv(path, { rows: 10, seed: 1, drift: 3 }),
      /drift must be between 0 and 1/,
    );
    await assert.rejects(readFile(path), { code: 'ENOENT' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

const runCli = promisify(execFile);
const cli = (args: string[]): Promise<{ stdout: string; stderr: string }> =>
  runCli(process.execPath, ['--import', 'tsx', join(repoRoot, 'infra/local/generate-dataset.ts'), ...args], {
    cwd: repoRoot,
  });

test('the generate-dataset CLI prints CSV to stdout when no --out is given', async () => {
  const { stdout } = await cli(['--rows', '3', '--seed', '1']);
  const expected = rowsOf({ rows: 3, seed: 1 }).map((r) => churnColumns.map((c) => r[c.name]).join(','));
  assert.equal(stdout, [churnColumns.map((c) => c.name).join(','), ...expected, ''].join('\n'));
});

test('the generate-dataset CLI rejects bad flags with exit code 2, naming the flag and the rule', async () => {
  const cases: [string[], string][] = [
    [['--rows', 'ten', '--seed', '1'], "--rows must be a whole number ≥ 1, got 'ten'"],
    [['--rows', '10'], '--seed is required'],
    [['--rows', '10', '--seed', '1', '--nulls', '1.5'], "--nulls must be a number from 0 to 1, got '1.5'"],
    [['--rows', '10', '--seed', '1', '--colour', 'red'], "Unknown option '--colour'"],
  ];
  await Promise.all(
    cases.map(async ([args, message]) => {
      await assert.rejects(cli(args), (err: { code: number; stderr: string }) => {
        assert.equal(err.code, 2);
        assert.ok(err.stderr.startsWith(`generate-dataset: ${message}`), err.stderr);
        return true;
      });
    }),
  );
});
