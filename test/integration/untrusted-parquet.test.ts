// Uploaded Parquet is untrusted: a file whose footer statistics claim in-range values and no nulls is
// uploaded through the API, and a training run's validation still counts its out-of-range ages and
// null incomes; a snapshot stored as uploaded (before ingest rewrote Parquet) is scanned, not believed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { openDuckDb } from '../../core/data/duckdb.js';
import { parseSpec } from '../../core/pipeline-spec/load.js';
import { auth, createApiHarness, json, type ApiHarness } from '../helpers/api.js';
import { lyingParquetTruth, writeLyingParquet } from '../helpers/lying-parquet.js';
import { createHarness, type Harness } from '../helpers/pipeline.js';

let h: Harness;
let api: ApiHarness;
let dir: string;
let lying: Buffer;

before(async () => {
  h = await createHarness();
  api = await createApiHarness(h);
  dir = await mkdtemp(join(tmpdir(), 'ferry-untrusted-parquet-'));
  const path = join(dir, 'lying.parquet');
  const db = await openDuckDb();
  try {
    await writeLyingParquet(db, path);
  } finally {
    db.close();
  }
  lying = await readFile(path);
});
after(async () => {
  await api.close();
  await h.close();
  await rm(dir, { recursive: true, force: true });
});

/** A spec the lying file breaks twice: ages must lie in [18, 100] and at most 1% of a column be null. */
function specFor(name: string) {
  return parseSpec({
    name,
    model: name,
    dataset: { name, label: 'churn', features: ['age', 'income', 'plan'], categorical: ['plan'] },
    task: 'binary',
    training: { hiddenLayers: [8], epochs: 1, batchSize: 64, learningRate: 0.01 },
    validation: {
      minRows: 1000,
      maxNullFraction: 0.01,
      ranges: { age: { min: 18, max: 100 } },
      domains: { plan: ['basic', 'pro', 'team'] },
    },
    evaluation: { thresholds: {}, maxRegression: 1 },
    approval: { policy: 'auto' },
  });
}

/** Runs the spec on the snapshot and returns the failed checks its validation failure names. */
async function validationFailures(name: string, snapshot: string): Promise<string[]> {
  const handle = await h.start(specFor(name), { datasetSnapshot: snapshot, approvalPolicy: 'auto' });
  const err = await handle.result().then(
    (r) => assert.fail(`the run should have failed validation, but ended ${r.outcome}`),
    (e: unknown) => e,
  );
  assert.ok(err instanceof WorkflowFailedError, String(err));
  assert.equal((err.cause as { type?: string }).type, 'FerryValidationFailed');
  // The first line names the dataset and the report; one failed check per line follows.
  return String(err.cause?.message).split('\n').slice(1);
}

/** Every check the file fails, and nothing else: both are checks its footer claims it passes. */
const expectedFailures = [
  'nulls: column "income" has 2.5% nulls (max 1.0%)',
  `range: column "age" has ${lyingParquetTruth.agesAbove100} value(s) outside [18, 100] (observed min 18, max 150)`,
];

test('a Parquet upload whose footer lies about ranges and nulls fails validation on its real values', async () => {
  const name = `lying-${h.id}`;
  const res = await api.app.inject({
    method: 'POST',
    url: `/v1/datasets/${name}`,
    headers: { ...auth('operator'), 'content-type': 'application/vnd.apache.parquet' },
    payload: lying,
  });
  assert.equal(res.statusCode, 201, res.body);
  const { sha256, manifest } = json(res) as {
    sha256: string;
    manifest: { dataWriter: string; dataKey: string; sourceKey: string };
  };
  assert.equal(sha256, createHash('sha256').update(lying).digest('hex'));
  assert.equal(manifest.dataWriter, 'ferry');
  assert.notEqual(manifest.dataKey, manifest.sourceKey);
  assert.deepEqual(
    await h.deps.store.get(manifest.sourceKey),
    lying,
    'the upload itself is kept as the source',
  );

  assert.deepEqual(await validationFailures(name, sha256), expectedFailures);
});

test('a snapshot stored as uploaded before ingest rewrote Parquet has its footer ignored by validation', async () => {
  const name = `legacy-${h.id}`;
  const sha = createHash('sha256').update(lying).digest('hex');
  // The snapshot exactly as ingest stored a Parquet upload until now: the upload is the data.
  const sourceKey = `datasets/${name}/snapshots/${sha}/source.parquet`;
  await h.deps.store.put(sourceKey, lying, { contentType: 'application/vnd.apache.parquet' });
  await h.deps.store.putJson(`datasets/${name}/snapshots/${sha}/manifest.json`, {
    name,
    sha256: sha,
    sourceFormat: 'parquet',
    bytes: lying.length,
    rowCount: lyingParquetTruth.rows,
    schema: [
      { name: 'id', type: 'INTEGER' },
      { name: 'age', type: 'INTEGER' },
      { name: 'income', type: 'DOUBLE' },
      { name: 'plan', type: 'VARCHAR' },
      { name: 'churn', type: 'INTEGER' },
    ],
    source: 'uploaded before Parquet was rewritten',
    createdAt: new Date().toISOString(),
    dataKey: sourceKey,
    sourceKey,
  });
  assert.equal((await h.deps.catalog.manifest(name, sha)).dataWriter, 'uploader');

  assert.deepEqual(await validationFailures(name, sha), expectedFailures);
});
