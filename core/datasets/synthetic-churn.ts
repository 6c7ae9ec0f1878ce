// The bundled, seeded churn dataset behind the demo pipeline (pipelines/churn.yaml): a learnable
// label, optional drift, and defects injected at exact counts so validation demos are predictable.
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createRng, normal } from '../random.js';

export const churnPlans = ['basic', 'standard', 'premium'] as const;
export const churnRegions = ['north', 'south', 'east', 'west'] as const;
export const churnPaymentMethods = ['card', 'bank', 'paypal'] as const;

/** One column of the churn dataset; `type` uses DuckDB's names so it can be handed to read_csv. */
export interface ChurnColumn {
  name: keyof ChurnRow;
  type: 'INTEGER' | 'DOUBLE' | 'VARCHAR';
  role: 'feature' | 'label';
  min?: number;
  max?: number;
  domain?: readonly string[];
}

/** The dataset's columns in CSV order, with the ranges and domains clean rows respect. */
export const churnColumns = [
  { name: 'tenure_months', type: 'INTEGER', role: 'feature', min: 0, max: 120 },
  { name: 'monthly_charges', type: 'DOUBLE', role: 'feature', min: 10, max: 300 },
  { name: 'age', type: 'INTEGER', role: 'feature', min: 18, max: 100 },
  { name: 'support_calls', type: 'INTEGER', role: 'feature', min: 0, max: 20 },
  { name: 'usage_gb', type: 'DOUBLE', role: 'feature', min: 0 },
  { name: 'plan', type: 'VARCHAR', role: 'feature', domain: churnPlans },
  { name: 'region', type: 'VARCHAR', role: 'feature', domain: churnRegions },
  { name: 'payment_method', type: 'VARCHAR', role: 'feature', domain: churnPaymentMethods },
  { name: 'churned', type: 'INTEGER', role: 'label', min: 0, max: 1 },
] as const satisfies readonly ChurnColumn[];

/** One generated row. Features are null, out of range or off-domain only where a defect was requested. */
export interface ChurnRow {
  tenure_months: number | null;
  monthly_charges: number | null;
  age: number | null;
  support_calls: number | null;
  usage_gb: number | null;
  plan: string | null;
  region: string | null;
  payment_method: string | null;
  churned: 0 | 1;
}

/** What to generate. Defect fractions are shares of `rows`; a defective row replaces a clean one. */
export interface ChurnOptions {
  rows: number;
  seed: number;
  /** 0 (none) to 1 (PSI > 0.25 on tenure, charges, plan and region). */
  drift?: number;
  defects?: {
    /** Rows with about half their features null, at least one numeric and one categorical; never the label. */
    nullFraction?: number;
    /** Rows with 1–3 of tenure_months, monthly_charges, age (the spec's ranged columns) out of range, e.g. age 150. */
    outOfRangeFraction?: number;
    /** Rows whose every categorical feature holds a value outside its domain (e.g. plan "platinum"). */
    unknownCategoryFraction?: number;
    /** Rows that are exact copies of an earlier clean row. */
    duplicateFraction?: number;
  };
}

type Defect = 'null' | 'outOfRange' | 'unknownCategory' | 'duplicate';

interface Resolved {
  rows: number;
  seed: number;
  drift: number;
  counts: Record<Defect, number>;
}

type FeatureName = Exclude<keyof ChurnRow, 'churned'>;
const featureNames: FeatureName[] = churnColumns.flatMap((c) => (c.role === 'feature' ? [c.name] : []));
const defectKinds: readonly Defect[] = ['null', 'outOfRange', 'unknownCategory', 'duplicate'];
const defectOption = {
  null: 'nullFraction',
  outOfRange: 'outOfRangeFraction',
  unknownCategory: 'unknownCategoryFraction',
  duplicate: 'duplicateFraction',
} as const;

/** Checks options and turns fractions into exact row counts; throws RangeError naming the option. */
function resolve(o: ChurnOptions): Resolved {
  if (!Number.isSafeInteger(o.rows) || o.rows < 0)
    throw new RangeError(`rows must be a whole number ≥ 0, got ${o.rows}`);
  // createRng keeps 32 bits, so a wider seed would silently alias a smaller one.
  if (!Number.isInteger(o.seed) || o.seed < 0 || o.seed > 0xffffffff)
    throw new RangeError(`seed must be a whole number from 0 to 4294967295, got ${o.seed}`);
  const drift = o.drift ?? 0;
  if (!(drift >= 0 && drift <= 1)) throw new RangeError(`drift must be between 0 and 1, got ${drift}`);
  const counts = { null: 0, outOfRange: 0, unknownCategory: 0, duplicate: 0 };
  for (const kind of defectKinds) {
    const option = defectOption[kind];
    const fraction = o.defects?.[option] ?? 0;
    if (!(fraction >= 0 && fraction <= 1))
      throw new RangeError(`defects.${option} must be between 0 and 1, got ${fraction}`);
    counts[kind] = Math.round(fraction * o.rows);
  }
  // A duplicate needs a clean row before it, so the first row is kept clean when any are asked for.
  const available = counts.duplicate > 0 ? o.rows - 1 : o.rows;
  const total = defectKinds.reduce((sum, k) => sum + counts[k], 0);
  if (total > available)
    throw new RangeError(
      `defects add up to ${total} of ${o.rows} rows; each defective row carries one defect, so the fractions ` +
        `must sum to at most 1${counts.duplicate > 0 ? ' and leave one clean row before the first duplicate' : ''}`,
    );
  return { rows: o.rows, seed: o.seed, drift, counts };
}

function pick<T>(rng: () => number, items: readonly T[], weights: readonly number[]): T {
  let u = rng();
  for (let i = 0; i < items.length - 1; i++) {
    u -= weights[i]!;
    if (u < 0) return items[i]!;
  }
  return items[items.length - 1]!;
}

function lerp(a: readonly number[], b: readonly number[], t: number): number[] {
  return a.map((x, i) => x + (b[i]! - x) * t);
}

function poisson(rng: () => number, lambda: number): number {
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = rng();
  while (p > limit) {
    k++;
    p *= rng();
  }
  return k;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;
const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

const planWeights = { base: [0.45, 0.35, 0.2], drifted: [0.75, 0.17, 0.08] } as const;
const regionWeights = { base: [0.25, 0.25, 0.25, 0.25], drifted: [0.5, 0.15, 0.15, 0.2] } as const;
const paymentWeights = [0.5, 0.3, 0.2] as const;
const planCharges = { basic: [35, 8], standard: [70, 14], premium: [130, 28] } as const;
const planUsage = { basic: -0.4, standard: 0, premium: 0.4 } as const;
const planEffect = { basic: 0.9, standard: 0, premium: -1.2 } as const;
const paymentEffect = { card: 0, bank: -0.8, paypal: 1.0 } as const;
const regionEffect = { north: 0, south: 0.5, east: 0, west: -0.3 } as const;

/** The generating rule's churn logit, before noise; defined for clean rows only (NaN with nulls). */
export function churnLogit(r: ChurnRow): number {
  const plan = r.plan as keyof typeof planEffect;
  const payment = r.payment_method as keyof typeof paymentEffect;
  const region = r.region as keyof typeof regionEffect;
  return (
    -1.6 -
    0.085 * (r.tenure_months! - 20) +
    0.012 * (r.monthly_charges! - 65) +
    0.7 * (r.support_calls! - 1.3) -
    0.9 * Math.log(Math.max(r.usage_gb!, 0.01) / 15) -
    0.015 * (r.age! - 45) +
    (planEffect[plan] ?? 0) +
    (paymentEffect[payment] ?? 0) +
    (regionEffect[region] ?? 0)
  );
}

function cleanRow(rng: () => number, drift: number, plans: number[], regions: number[]): ChurnRow {
  const plan = pick(rng, churnPlans, plans);
  const region = pick(rng, churnRegions, regions);
  const payment_method = pick(rng, churnPaymentMethods, paymentWeights);
  // Truncated exponential by inverse CDF: one draw, no pile-up at the 120-month cap.
  const tenureMean = 28 * (1 - 0.55 * drift);
  const tenure_months = Math.round(-tenureMean * Math.log(1 - rng() * (1 - Math.exp(-120 / tenureMean))));
  const [chargeMean, chargeSd] = planCharges[plan];
  // A price rise, strong enough to outweigh the drifted plan mix's shift toward cheap plans.
  const charge = normal(rng, chargeMean, chargeSd) * (1 + 0.25 * drift) + 12 * drift;
  const monthly_charges = round2(Math.min(300, Math.max(10, charge)));
  let age: number;
  do age = Math.round(normal(rng, 44, 14));
  while (age < 18 || age > 100);
  const support_calls = Math.min(20, poisson(rng, 1.3));
  const usage_gb = round2(Math.exp(normal(rng, Math.log(15) + planUsage[plan], 0.7)));
  const row: ChurnRow = {
    tenure_months,
    monthly_charges,
    age,
    support_calls,
    usage_gb,
    plan,
    region,
    payment_method,
    churned: 0,
  };
  // Logit noise on top of the Bernoulli draw keeps the best achievable AUC below ~0.9.
  row.churned = rng() < sigmoid(churnLogit(row) + normal(rng, 0, 0.4)) ? 1 : 0;
  return row;
}

// Each draw keeps a continuous value or draws one, so defective rows never collide into accidental duplicates.
const outOfRange = {
  tenure_months: (rng: () => number) =>
    rng() < 0.5 ? -1 - Math.floor(rng() * 24) : 121 + Math.floor(rng() * 480),
  monthly_charges: (rng: () => number) => round2(rng() < 0.5 ? -0.01 - rng() * 100 : 500.01 + rng() * 2000),
  age: (rng: () => number) => (rng() < 0.5 ? Math.floor(rng() * 18) : 101 + Math.floor(rng() * 150)),
} as const;
const unknownCategories = {
  plan: ['platinum', 'enterprise', 'trial'],
  region: ['central', 'overseas'],
  payment_method: ['crypto', 'cash', 'cheque'],
} as const;

const isCategorical = (name: FeatureName): boolean => name in unknownCategories;

function nullMask(rng: () => number): FeatureName[] {
  for (;;) {
    const bits = Math.floor(rng() * 2 ** featureNames.length);
    const chosen = featureNames.filter((_, i) => bits & (1 << i));
    // Keeping one of the two continuous columns keeps null rows distinct from one another.
    if (chosen.includes('monthly_charges') && chosen.includes('usage_gb')) continue;
    if (chosen.some(isCategorical) && chosen.some((n) => !isCategorical(n))) return chosen;
  }
}

function injectDefect(row: ChurnRow, defect: Exclude<Defect, 'duplicate'>, rng: () => number): ChurnRow {
  const out = { ...row };
  if (defect === 'null') {
    for (const name of nullMask(rng)) out[name] = null;
  } else if (defect === 'outOfRange') {
    const names = Object.keys(outOfRange) as (keyof typeof outOfRange)[];
    const bits = 1 + Math.floor(rng() * (2 ** names.length - 1));
    names.forEach((name, i) => {
      if (bits & (1 << i)) out[name] = outOfRange[name](rng);
    });
  } else {
    for (const [name, values] of Object.entries(unknownCategories)) {
      out[name as keyof typeof unknownCategories] = values[Math.floor(rng() * values.length)]!;
    }
  }
  return out;
}

const reservoirSize = 1024;

/** Yields `rows` rows; the same options give the same rows, and memory stays flat for any size. */
export function* generateChurnRows(o: ChurnOptions): Generator<ChurnRow> {
  const { rows, seed, drift, counts } = resolve(o);
  // Separate streams: asking for defects does not change which clean rows are drawn.
  const rng = createRng(seed);
  const defectRng = createRng((seed ^ 0x5bd1e995) + 0x9e3779b9);
  const plans = lerp(planWeights.base, planWeights.drifted, drift);
  const regions = lerp(regionWeights.base, regionWeights.drifted, drift);
  const left = { ...counts };
  // A uniform sample of earlier clean rows to copy from, so duplicates come from anywhere before them.
  const reservoir: ChurnRow[] = [];
  let cleanSeen = 0;
  const firstDefectRow = counts.duplicate > 0 ? 1 : 0;

  for (let i = 0; i < rows; i++) {
    const row = cleanRow(rng, drift, plans, regions);
    let defect: Defect | undefined;
    if (i >= firstDefectRow) {
      // Selection sampling: each remaining kind wins with probability (its rows left) / (rows left),
      // which hits the requested counts exactly and spreads them uniformly.
      let u = defectRng() * (rows - i);
      for (const kind of defectKinds) {
        u -= left[kind];
        if (u < 0) {
          defect = kind;
          left[kind]--;
          break;
        }
      }
    }
    if (defect === 'duplicate') {
      yield { ...reservoir[Math.floor(defectRng() * reservoir.length)]! };
    } else if (defect) {
      yield injectDefect(row, defect, defectRng);
    } else {
      cleanSeen++;
      if (reservoir.length < reservoirSize) reservoir.push(row);
      else {
        const j = Math.floor(defectRng() * cleanSeen);
        if (j < reservoirSize) reservoir[j] = row;
      }
      yield { ...row };
    }
  }
}

const header = churnColumns.map((c) => c.name).join(',');

/** The dataset as CSV text in ~64 KiB chunks (header first); nulls are empty fields. */
export function* churnCsvChunks(o: ChurnOptions): Generator<string> {
  let chunk = `${header}\n`;
  for (const row of generateChurnRows(o)) {
    chunk += `${churnColumns.map((c) => row[c.name] ?? '').join(',')}\n`;
    if (chunk.length >= 65_536) {
      yield chunk;
      chunk = '';
    }
  }
  yield chunk;
}

/** Streams the dataset to a CSV file with a header line, respecting the file stream's backpressure. */
export async function writeChurnCsv(path: string, o: ChurnOptions): Promise<{ rows: number }> {
  // Validate before touching the file, so bad options do not leave an empty CSV behind.
  resolve(o);
  await pipeline(Readable.from(churnCsvChunks(o), { objectMode: false }), createWriteStream(path));
  return { rows: o.rows };
}
