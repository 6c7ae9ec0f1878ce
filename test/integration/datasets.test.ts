// The dataset catalog against real MinIO: content-addressed snapshots, idempotent ingest, the latest
// pointer, Parquet rewritten by Ferry (whatever its footer claims), legacy snapshots stored as
// uploaded, and the errors users see for bad names, files and references.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../core/config.js';
import { literal, openDuckDb } from '../../core/data/duckdb.js';
import {
  createDatasetCatalog,
  DatasetNotFoundError,
  InvalidDatasetNameError,
  UnsupportedDatasetFileError,
  type DatasetCatalog,
} from '../../core/datasets/catalog.js';
import { FailureType } from '../../core/errors.js';
import { lyingParquetTruth, writeLyingParquet } from '../helpers/lying-parquet.js';
import { createObjectStore, type ObjectStore } from '../../core/storage/object-store.js';

const run = randomBytes(4).toString('hex');
const usedNames: string[] = [];
let store: ObjectStore;
let catalog: DatasetCatalog;
let cacheDir: string;
let dataDir: string;

/** A dataset name unique to this run, cleaned up afterwards. */
function datasetName(what: string): string {
  const name = `test-${what}-${run}`;
  usedNames.push(name);
  return name;
}

async function writeData(file: string, text: string): Promise<string> {
  const path = join(dataDir, file);
  await writeFile(path, text);
  return path;
}

async function keysUnder(name: string): Promise<string[]> {
  return (await store.list(`datasets/${name}/`)).map((o) => o.key).sort();
}

const customersCsv = [
  'id,age,city,income,churn',
  '1,34,paris,52000.5,0',
  '2,51,lyon,61000.0,1',
  '3,29,paris,38000.25,0',
  '4,45,nice,70500.0,0',
  '5,38,lyon,45000.75,1',
].join('\n');

before(async () => {
  const c = loadConfig();
  store = createObjectStore({
    endpoint: c.s3.endpoint,
    region: c.s3.region,
    bucket: c.s3.bucket,
    accessKey: c.s3.accessKey,
    secretKey: c.s3.secretKey,
  });
  await store.ping();
  cacheDir = await mkdtemp(join(tmpdir(), 'ferry-datasets-cache-'));
  dataDir = await mkdtemp(join(tmpdir(), 'ferry-datasets-data-'));
  catalog = createDatasetCatalog({ store, cacheDir });
});

after(async () => {
  for (const name of usedNames) {
    for (const key of await keysUnder(name)) await store.delete(key);
  }
  await rm(cacheDir, { recursive: true, force: true });
  await rm(dataDir, { recursive: true, force: true });
});

test("ingesting a CSV stores the source, a Parquet copy and a manifest with DuckDB's schema and row count", async () => {
  const name = datasetName('csv');
  const path = await writeData('customers.csv', customersCsv);
  const sha = createHash('sha256').update(customersCsv).digest('hex');

  const { manifest, created } = await catalog.ingestFile(name, path, { source: 'crm-export-2024-06' });

  assert.equal(created, true);
  assert.equal(manifest.name, name);
  assert.equal(manifest.sha256, sha);
  assert.equal(manifest.sourceFormat, 'csv');
  assert.equal(manifest.bytes, Buffer.byteLength(customersCsv));
  assert.equal(manifest.rowCount, 5);
  assert.equal(manifest.source, 'crm-export-2024-06');
  assert.deepEqual(manifest.schema, [
    { name: 'id', type: 'BIGINT' },
    { name: 'age', type: 'BIGINT' },
    { name: 'city', type: 'VARCHAR' },
    { name: 'income', type: 'DOUBLE' },
    { name: 'churn', type: 'BIGINT' },
  ]);
  assert.equal(manifest.dataKey, `datasets/${name}/snapshots/${sha}/data.parquet`);
  assert.equal(manifest.dataWriter, 'ferry');
  assert.ok(!Number.isNaN(Date.parse(manifest.createdAt)));
  assert.deepEqual(await keysUnder(name), [
    `datasets/${name}/latest.json`,
    `datasets/${name}/snapshots/${sha}/data.parquet`,
    `datasets/${name}/snapshots/${sha}/manifest.json`,
    `datasets/${name}/snapshots/${sha}/source.csv`,
  ]);
  assert.equal((await store.get(manifest.sourceKey)).toString('utf8'), customersCsv);
  assert.deepEqual(await catalog.latest(name), manifest);
  assert.deepEqual(await catalog.manifest(name, sha), manifest);

  const local = await catalog.localParquet(manifest);
  assert.equal(local, join(cacheDir, 'datasets', 'ferry', `${sha}.parquet`));
  const db = await openDuckDb();
  try {
    const rows = await db.all<{ n: number; paris: number }>(
      `SELECT count(*)::INTEGER AS n, count(*) FILTER (WHERE city = 'paris')::INTEGER AS paris FROM read_parquet(${literal(local)})`,
    );
    assert.deepEqual(rows, [{ n: 5, paris: 2 }]);
  } finally {
    db.close();
  }
});

test('localParquet downloads a snapshot into an empty cache, and the copy matches the stored data', async () => {
  const name = datasetName('cache');
  const { manifest } = await catalog.ingestFile(
    name,
    await writeData('cache.csv', customersCsv + '\n6,60,paris,1.0,1'),
  );
  const coldCache = await mkdtemp(join(tmpdir(), 'ferry-datasets-cold-'));
  try {
    const cold = createDatasetCatalog({ store, cacheDir: coldCache });
    const local = await cold.localParquet(manifest);
    assert.equal(local, join(coldCache, 'datasets', 'ferry', `${manifest.sha256}.parquet`));
    assert.deepEqual(await readFile(local), await store.get(manifest.dataKey));
  } finally {
    await rm(coldCache, { recursive: true, force: true });
  }
});

test('re-ingesting identical bytes returns the existing manifest with created false and writes no object', async () => {
  const name = datasetName('same');
  const first = await catalog.ingestFile(name, await writeData('same-a.csv', customersCsv));
  const before = await store.list(`datasets/${name}/`);

  const again = await catalog.ingestFile(name, await writeData('same-b.csv', customersCsv), {
    source: 'another copy',
  });

  assert.equal(again.created, false);
  assert.deepEqual(again.manifest, first.manifest);
  const afterList = await store.list(`datasets/${name}/`);
  assert.deepEqual(
    afterList.map((o) => [o.key, o.etag, o.lastModified.getTime()]),
    before.map((o) => [o.key, o.etag, o.lastModified.getTime()]),
  );
});

test('concurrent ingests of the same bytes create exactly one snapshot and agree on its manifest', async () => {
  const name = datasetName('race');
  const path = await writeData('race.csv', customersCsv + '\n7,70,nice,2.0,0');
  const results = await Promise.all([1, 2, 3].map(() => catalog.ingestFile(name, path)));
  assert.equal(results.filter((r) => r.created).length, 1);
  for (const r of results) assert.deepEqual(r.manifest, results[0]!.manifest);
  assert.deepEqual(await catalog.latest(name), results[0]!.manifest);
  assert.equal((await catalog.listSnapshots(name)).length, 1);
});

test('different bytes make a new snapshot and latest moves to it; the old one stays resolvable', async () => {
  const name = datasetName('moves');
  const v1 = await catalog.ingestFile(name, await writeData('v1.csv', customersCsv));
  const v2 = await catalog.ingestFile(name, await writeData('v2.csv', customersCsv + '\n6,60,paris,1.0,1'));

  assert.equal(v2.created, true);
  assert.notEqual(v2.manifest.sha256, v1.manifest.sha256);
  assert.equal(v2.manifest.rowCount, 6);
  assert.deepEqual(await catalog.latest(name), v2.manifest);
  assert.deepEqual(await catalog.resolve(name), v2.manifest);
  assert.deepEqual(await catalog.resolve(name, v1.manifest.sha256), v1.manifest);
  assert.deepEqual(
    (await catalog.listSnapshots(name)).map((m) => m.sha256),
    [v2.manifest.sha256, v1.manifest.sha256],
  );
});

test('latest never moves back to a snapshot created earlier than the one it points at', async () => {
  const name = datasetName('order');
  const later = createDatasetCatalog({ store, cacheDir, now: () => new Date('2030-01-01T00:00:00Z') });
  const earlier = createDatasetCatalog({ store, cacheDir, now: () => new Date('2020-01-01T00:00:00Z') });
  const newest = await later.ingestFile(
    name,
    await writeData('order-new.csv', customersCsv + '\n8,1,nice,3.0,1'),
  );
  const older = await earlier.ingestFile(
    name,
    await writeData('order-old.csv', customersCsv + '\n9,2,nice,4.0,0'),
  );
  assert.equal(older.created, true);
  assert.deepEqual(await catalog.latest(name), newest.manifest);
});

test("a Parquet file is kept as the source and rewritten by Ferry's DuckDB into the data file", async () => {
  const name = datasetName('parquet');
  const path = join(dataDir, 'events.parquet');
  const db = await openDuckDb();
  try {
    await db.run(
      `COPY (SELECT range::INTEGER AS n, range * 0.5 AS score, 'k' || (range % 3) AS kind FROM range(42)) TO ${literal(path)} (FORMAT parquet)`,
    );
    const bytes = await readFile(path);

    const { manifest, created } = await catalog.ingestFile(name, path);

    assert.equal(created, true);
    assert.equal(manifest.sourceFormat, 'parquet');
    assert.equal(manifest.sha256, createHash('sha256').update(bytes).digest('hex'));
    assert.equal(manifest.rowCount, 42);
    assert.deepEqual(manifest.schema, [
      { name: 'n', type: 'INTEGER' },
      { name: 'score', type: 'DECIMAL(21,1)' },
      { name: 'kind', type: 'VARCHAR' },
    ]);
    const prefix = `datasets/${name}/snapshots/${manifest.sha256}`;
    assert.equal(manifest.sourceKey, `${prefix}/source.parquet`);
    assert.equal(manifest.dataKey, `${prefix}/data.parquet`);
    assert.equal(manifest.dataWriter, 'ferry');
    assert.deepEqual(await keysUnder(name), [
      `datasets/${name}/latest.json`,
      `${prefix}/data.parquet`,
      `${prefix}/manifest.json`,
      `${prefix}/source.parquet`,
    ]);
    assert.deepEqual(await store.get(manifest.sourceKey), bytes);
    const local = await catalog.localParquet(manifest);
    assert.deepEqual(await readFile(local), await store.get(manifest.dataKey));
    // The same rows in a file of Ferry's own (zstd, as CSV conversions are).
    const [diff] = await db.all<{ n: number }>(
      `SELECT count(*)::INTEGER AS n FROM (SELECT * FROM read_parquet(${literal(local)}) EXCEPT ALL SELECT * FROM read_parquet(${literal(path)}))`,
    );
    assert.equal(diff!.n, 0);
    const codecs = await db.all<{ codec: string }>(
      `SELECT DISTINCT compression AS codec FROM parquet_metadata(${literal(local)})`,
    );
    assert.deepEqual(codecs, [{ codec: 'ZSTD' }]);
  } finally {
    db.close();
  }
});

test('an uploaded Parquet file whose footer lies is stored with statistics DuckDB computed from its rows', async () => {
  const name = datasetName('lying');
  const path = join(dataDir, 'lying.parquet');
  const db = await openDuckDb();
  try {
    await writeLyingParquet(db, path);
    const stats = (file: string) =>
      db.all<{ col: string; mx: string; nulls: number }>(
        `SELECT path_in_schema AS col, stats_max_value AS mx, stats_null_count::INTEGER AS nulls
         FROM parquet_metadata(${literal(file)}) WHERE path_in_schema IN ('age', 'income') ORDER BY col`,
      );
    assert.deepEqual(
      (await stats(path)).map((s) => [s.col, s.col === 'age' ? s.mx : s.nulls]),
      [
        ['age', '77'],
        ['income', 0],
      ],
    );

    const { manifest } = await catalog.ingestFile(name, path);

    assert.equal(manifest.dataWriter, 'ferry');
    assert.equal(manifest.rowCount, lyingParquetTruth.rows);
    assert.deepEqual(
      (await stats(await catalog.localParquet(manifest))).map((s) => [
        s.col,
        s.col === 'age' ? s.mx : s.nulls,
      ]),
      [
        ['age', '150'],
        ['income', lyingParquetTruth.incomeNulls],
      ],
    );
  } finally {
    db.close();
  }
});

test('a snapshot stored before uploads were rewritten reads back as written by its uploader, cached apart from Ferry copies', async () => {
  const name = datasetName('legacy');
  const path = join(dataDir, 'legacy.parquet');
  const db = await openDuckDb();
  try {
    await writeLyingParquet(db, path);
  } finally {
    db.close();
  }
  const bytes = await readFile(path);
  const sha = createHash('sha256').update(bytes).digest('hex');
  // What ingest stored for a Parquet upload until now: the upload as the data, no dataWriter.
  const sourceKey = `datasets/${name}/snapshots/${sha}/source.parquet`;
  await store.put(sourceKey, bytes, { contentType: 'application/vnd.apache.parquet' });
  await store.putJson(`datasets/${name}/snapshots/${sha}/manifest.json`, {
    name,
    sha256: sha,
    sourceFormat: 'parquet',
    bytes: bytes.length,
    rowCount: lyingParquetTruth.rows,
    schema: [],
    source: path,
    createdAt: new Date().toISOString(),
    dataKey: sourceKey,
    sourceKey,
  });
  const legacy = await catalog.manifest(name, sha);
  assert.equal(legacy.dataWriter, 'uploader');
  assert.deepEqual(
    (await catalog.listSnapshots(name)).map((m) => m.dataWriter),
    ['uploader'],
  );
  const legacyLocal = await catalog.localParquet(legacy);
  assert.equal(legacyLocal, join(cacheDir, 'datasets', 'uploader', `${sha}.parquet`));
  assert.deepEqual(await readFile(legacyLocal), bytes);

  // The same bytes ingested now into another dataset are rewritten, and the cached upload is not reused.
  const { manifest: fresh } = await catalog.ingestFile(datasetName('relegacy'), path);
  assert.equal(fresh.sha256, sha);
  assert.equal(fresh.dataWriter, 'ferry');
  const freshLocal = await catalog.localParquet(fresh);
  assert.equal(freshLocal, join(cacheDir, 'datasets', 'ferry', `${sha}.parquet`));
  assert.notDeepEqual(await readFile(freshLocal), bytes);
});

test('a dataset name that breaks the rule is rejected with the rule, before anything is written', async () => {
  const path = await writeData('ok.csv', customersCsv);
  for (const bad of ['Customers', '../escape', '', '-leading-dash', 'a'.repeat(64), 'has space']) {
    await assert.rejects(catalog.ingestFile(bad, path), (err: unknown) => {
      assert.ok(err instanceof InvalidDatasetNameError);
      assert.equal(err.type, FailureType.InvalidInput);
      assert.equal(
        err.message,
        `invalid dataset name ${JSON.stringify(bad)}: must match ^[a-z0-9][a-z0-9_-]{0,62}$ ` +
          '(1–63 lowercase letters, digits, "_" or "-", starting with a letter or digit)',
      );
      return true;
    });
  }
  await assert.rejects(catalog.resolve('../escape'), InvalidDatasetNameError);
  assert.deepEqual(await store.list('escape/'), []);
  assert.deepEqual(await store.list('datasets/Customers/'), []);
});

test('a file that is neither CSV nor Parquet is rejected naming the file and the rule, and nothing is written', async () => {
  const name = datasetName('unsupported');
  const cases: [string, string | Buffer, string][] = [
    [
      'records.json',
      '[{"a":1}]',
      'must be CSV (a UTF-8 text file named *.csv) or Parquet (a file starting with the magic bytes "PAR1")',
    ],
    [
      'fake.parquet',
      'a,b\n1,2\n',
      'has a .parquet extension but does not start with the Parquet magic bytes "PAR1"',
    ],
    ['empty.csv', '', 'the file is empty'],
    [
      'binary.csv',
      Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0x00, 0x01]),
      'has a .csv extension but contains binary data (NUL bytes); CSV must be UTF-8 text',
    ],
  ];
  for (const [file, content, rule] of cases) {
    const path = join(dataDir, file);
    await writeFile(path, content);
    await assert.rejects(catalog.ingestFile(name, path), (err: unknown) => {
      assert.ok(err instanceof UnsupportedDatasetFileError);
      assert.equal(err.type, FailureType.InvalidInput);
      assert.equal(err.message, `unsupported dataset file "${path}": ${rule}`);
      return true;
    });
  }
  assert.deepEqual(await keysUnder(name), []);
});

test('resolving an unknown dataset or snapshot throws NotFound naming the dataset and snapshot', async () => {
  const unknown = datasetName('never-ingested');
  await assert.rejects(catalog.resolve(unknown), (err: unknown) => {
    assert.ok(err instanceof DatasetNotFoundError);
    assert.equal(err.type, FailureType.NotFound);
    assert.equal(err.message, `dataset "${unknown}" not found: it has no snapshots`);
    return true;
  });

  const name = datasetName('known');
  await catalog.ingestFile(name, await writeData('known.csv', customersCsv));
  const missing = 'f'.repeat(64);
  await assert.rejects(catalog.resolve(name, missing), (err: unknown) => {
    assert.ok(err instanceof DatasetNotFoundError);
    assert.equal(err.message, `snapshot ${missing} of dataset "${name}" not found`);
    assert.equal(err.dataset, name);
    assert.equal(err.snapshot, missing);
    return true;
  });
  await assert.rejects(catalog.resolve(name, '../../models'), {
    name: 'InvalidSnapshotIdError',
    message: `invalid snapshot "../../models" for dataset "${name}": must be a sha256 snapshot hash (64 lowercase hex characters)`,
  });
  assert.deepEqual(await catalog.listSnapshots(unknown), []);
});
