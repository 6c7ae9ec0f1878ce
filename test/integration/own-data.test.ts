// Ferry is not tied to the demo data: a user's own CSV (regression) and Parquet (multiclass) with
// specs that name their labels run through the same pipeline.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDuckDb } from '../../core/data/duckdb.js';
import { createRng, normal } from '../../core/random.js';
import { parseSpec } from '../../core/pipeline-spec/load.js';
import { createHarness, type Harness } from '../helpers/pipeline.js';

let h: Harness;
let dir: string;
before(async () => {
  h = await createHarness();
  dir = await mkdtemp(join(tmpdir(), 'ferry-own-data-'));
});
after(async () => {
  await h.close();
  await rm(dir, { recursive: true, force: true });
});

test('a regression spec on a user CSV trains, evaluates with RMSE/MAE/R² and is promoted', async () => {
  const rng = createRng(5);
  const cities = ['lyon', 'oslo', 'kyiv'];
  const lines = ['size_m2,rooms,city,price'];
  for (let i = 0; i < 3000; i++) {
    const size = 30 + rng() * 170;
    const rooms = 1 + Math.floor(rng() * 6);
    const city = cities[Math.floor(rng() * 3)]!;
    const price =
      2 * size + 15 * rooms + (city === 'oslo' ? 120 : city === 'kyiv' ? -60 : 0) + normal(rng, 0, 10);
    lines.push(`${size.toFixed(2)},${rooms},${city},${price.toFixed(2)}`);
  }
  const csv = join(dir, 'houses.csv');
  await writeFile(csv, lines.join('\n') + '\n');
  const name = `houses-${h.id}`;
  const { manifest } = await h.deps.catalog.ingestFile(name, csv, { source: 'user upload' });
  assert.equal(manifest.sourceFormat, 'csv');

  const spec = parseSpec({
    name,
    model: name,
    dataset: { name, label: 'price', categorical: ['city'] },
    task: 'regression',
    training: { hiddenLayers: [32], epochs: 40, batchSize: 64, learningRate: 0.01 },
    validation: { minRows: 1000, ranges: { size_m2: { min: 0, max: 1000 } }, domains: { city: cities } },
    evaluation: { thresholds: { r2: 0.8 }, slices: ['city'] },
    approval: { policy: 'auto' },
  });
  const result = await (await h.start(spec)).result();
  assert.equal(result.outcome, 'promoted', result.evaluation.reasons.join('\n'));
  assert.equal(result.evaluation.primaryMetric, 'rmse');
  assert.ok(result.evaluation.metrics.r2! > 0.8, `r2 ${result.evaluation.metrics.r2}`);
  assert.deepEqual(Object.keys(result.evaluation.metrics).sort(), ['mae', 'r2', 'rmse', 'testRows']);
});

test('a multiclass spec on a user Parquet file with an explicit feature list trains and reports macro metrics', async () => {
  const parquet = join(dir, 'zones.parquet');
  const db = await openDuckDb();
  try {
    // Three classes by quadrant-like regions of (x, y); `noise` is a column the spec leaves out.
    await db.run(`COPY (
      SELECT x, y, noise, CASE WHEN x + y > 1.2 THEN 'high' WHEN x > y THEN 'east' ELSE 'west' END AS zone
      FROM (SELECT (hash(range) % 1000) / 1000.0 AS x, (hash(range * 7 + 3) % 1000) / 1000.0 AS y, (hash(range * 13) % 100)::DOUBLE AS noise FROM range(4000))
    ) TO '${parquet}' (FORMAT parquet)`);
  } finally {
    db.close();
  }
  const name = `zones-${h.id}`;
  const { manifest } = await h.deps.catalog.ingestFile(name, parquet);
  assert.equal(manifest.sourceFormat, 'parquet');
  const spec = parseSpec({
    name,
    model: name,
    dataset: { name, label: 'zone', features: ['x', 'y'] },
    task: 'multiclass',
    training: { hiddenLayers: [32, 16], epochs: 30, batchSize: 64, learningRate: 0.02 },
    validation: { minRows: 1000, minClassFraction: 0.05 },
    evaluation: { thresholds: { accuracy: 0.85 } },
    approval: { policy: 'auto' },
  });
  const result = await (await h.start(spec)).result();
  assert.equal(result.outcome, 'promoted', result.evaluation.reasons.join('\n'));
  assert.equal(result.evaluation.primaryMetric, 'f1');
  const version = await h.deps.registry.getVersion(name, result.version);
  assert.deepEqual(version.inputSchema.numeric, ['x', 'y']);
  assert.deepEqual(version.inputSchema.classes, ['east', 'high', 'west']);
});
