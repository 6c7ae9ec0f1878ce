// The warehouse against real MinIO: rows appended as Parquet come back from DuckDB exactly, retried
// writes replace instead of duplicating, and the local cache is disposable.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../core/config.js';
import { createObjectStore, type ObjectStore } from '../../core/storage/object-store.js';
import { WarehouseClosedError, createWarehouse, type Warehouse } from '../../core/warehouse/store.js';
import {
  InvalidWarehouseRowError,
  warehouseTables,
  type WarehouseRowInput,
  type WarehouseTable,
  type TrainingEpochRow,
} from '../../core/warehouse/tables.js';
import { InvalidWarehouseKeyError } from '../../core/warehouse/writer.js';
import { primaryMetricByVersion, runEpochs, runHistory } from '../../core/warehouse/queries.js';
import { epochsTrainedMoreThanOnce, failedChecks } from '../helpers/metrics-queries.js';

// A unique model per test run, so rows left by earlier runs never show up in these answers.
const model = `mt-${Date.now().toString(36)}-${randomUUID().slice(0, 8)}`;
const run = (n: number) => `${model}-run-${n}`;
const at = (minute: number) => new Date(Date.UTC(2024, 0, 15, 9, minute, 0, 250));
const iso = (minute: number) => at(minute).toISOString();

let objects: ObjectStore;
let metrics: Warehouse;
const cacheDirs: string[] = [];
const stores: Warehouse[] = [];

async function newCacheDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-metrics-'));
  cacheDirs.push(dir);
  return dir;
}

async function newWarehouse(store: ObjectStore = objects): Promise<Warehouse> {
  const m = createWarehouse({ store, cacheDir: await newCacheDir() });
  stores.push(m);
  return m;
}

function epoch(
  runId: string,
  attempt: number,
  n: number,
  extra: Partial<WarehouseRowInput<'training_epochs'>> = {},
): WarehouseRowInput<'training_epochs'> {
  return {
    run_id: runId,
    model,
    attempt,
    epoch: n,
    loss: 1 / n,
    val_loss: 1.5 / n,
    val_metric: 0.5 + n / 10,
    samples: 800,
    ms: 120.5,
    backend: 'cpu',
    ts: at(10 + n + attempt * 10),
    ...extra,
  };
}

function epochOut(row: WarehouseRowInput<'training_epochs'>): TrainingEpochRow {
  return { ...row, ts: (row.ts as Date).toISOString() } as TrainingEpochRow;
}

const epochsOfRun1 = [
  epoch(run(1), 1, 1),
  epoch(run(1), 1, 2, { val_loss: Number.NaN }),
  epoch(run(1), 1, 3),
  epoch(run(1), 2, 3),
  epoch(run(1), 2, 4),
];

before(async () => {
  objects = createObjectStore(loadConfig().s3);
  await objects.ensureBucket();
  metrics = await newWarehouse();

  const runRow = (
    runId: string,
    minute: number,
    fields: Partial<WarehouseRowInput<'runs'>>,
  ): WarehouseRowInput<'runs'> => ({
    run_id: runId,
    pipeline: 'churn',
    model,
    trigger: 'manual',
    status: 'running',
    stage: 'validate',
    spec_hash: 'spec-1',
    dataset_sha: 'sha-1',
    primary_metric: 'accuracy',
    message: '',
    ts: at(minute),
    ...fields,
  });
  await metrics.append('runs', [runRow(run(1), 1, {})], { model, part: `${run(1)}-stage-validate` });
  await metrics.append(
    'runs',
    [runRow(run(1), 9, { status: 'succeeded', stage: 'done', candidate_version: 1, primary_value: 0.91 })],
    {
      model,
      part: `${run(1)}-stage-done`,
    },
  );
  await metrics.append(
    'runs',
    [runRow(run(2), 40, { status: 'succeeded', stage: 'done', candidate_version: 2, primary_value: 0.93 })],
    {
      model,
      part: `${run(2)}-stage-done`,
    },
  );
  await metrics.append(
    'runs',
    [runRow(run(3), 50, { status: 'failed', stage: 'validate', message: 'income out of range' })],
    {
      model,
      part: `${run(3)}-stage-done`,
    },
  );

  const check = (
    name: string,
    column: string | null,
    severity: 'error' | 'warning',
    passed: boolean,
  ): WarehouseRowInput<'validation_checks'> => ({
    run_id: run(1),
    model,
    dataset_sha: 'sha-1',
    check_name: name,
    column_name: column,
    severity,
    passed,
    observed: passed ? 1 : 0.2,
    threshold: 0.5,
    message: passed ? 'ok' : `${name} failed`,
    ts: iso(2),
  });
  await metrics.append(
    'validation_checks',
    [
      check('row_count', null, 'error', true),
      check('nulls', 'age', 'warning', false),
      check('range', 'income', 'error', false),
    ],
    { model, part: `${run(1)}-validation` },
  );

  for (const row of epochsOfRun1) {
    await metrics.append('training_epochs', [row], {
      model,
      part: `${run(1)}-epoch-${row.epoch}-attempt-${row.attempt}`,
    });
  }

  const evaluation = (
    runId: string,
    fields: Partial<WarehouseRowInput<'evaluations'>>,
  ): WarehouseRowInput<'evaluations'> => ({
    run_id: runId,
    model,
    subject: 'candidate',
    metric: 'accuracy',
    value: 0,
    count: 200,
    ts: at(5),
    ...fields,
  });
  // Run 1 is evaluated before registration, so its rows carry no version; its 'registered' event does.
  await metrics.append(
    'evaluations',
    [
      evaluation(run(1), { value: 0.91 }),
      evaluation(run(1), { metric: 'f1', value: 0.8 }),
      evaluation(run(1), { slice_column: 'region', slice_value: 'north', value: 0.7, count: 50 }),
    ],
    { model, part: `${run(1)}-evaluation` },
  );
  await metrics.append(
    'evaluations',
    [
      evaluation(run(2), { version: 2, value: 0.93, ts: at(35) }),
      evaluation(run(2), { version: 1, subject: 'champion', value: 0.9, ts: at(35) }),
    ],
    { model, part: `${run(2)}-evaluation` },
  );

  const event = (
    version: number,
    name: string,
    minute: number,
    fields: Partial<WarehouseRowInput<'registry_events'>> = {},
  ): WarehouseRowInput<'registry_events'> => ({
    model,
    version,
    event: name,
    actor: 'pipeline',
    reason: '',
    ts: at(minute),
    ...fields,
  });
  await metrics.append('registry_events', [event(1, 'registered', 7, { run_id: run(1) })], {
    model,
    part: `${run(1)}-registered`,
  });
  await metrics.append(
    'registry_events',
    [event(1, 'alias-set', 8, { alias: 'champion', actor: 'alice', reason: 'first model' })],
    {
      model,
      part: `${run(1)}-alias-champion`,
    },
  );
  await metrics.append('registry_events', [event(2, 'registered', 38, { run_id: run(2) })], {
    model,
    part: `${run(2)}-registered`,
  });
});

after(async () => {
  await Promise.all(stores.map((s) => s.close()));
  for (const table of Object.keys(warehouseTables)) {
    for (const o of await objects.list(`metrics/${table}/model=${model}/`)) await objects.delete(o.key);
  }
  await Promise.all(cacheDirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function allAnswers(m: Warehouse) {
  return {
    accuracy: await primaryMetricByVersion(m, model, 'accuracy'),
    epochs: await runEpochs(m, run(1)),
    failed: await failedChecks(m, run(1)),
    twice: await epochsTrainedMoreThanOnce(m, run(1)),
    history: await runHistory(m, model),
  };
}

test('tables with no file yet answer with zero rows and their declared columns', async () => {
  const emptyModel = `${model}-empty`;
  // Listing only this never-written model makes every table empty, whatever else the bucket holds.
  const scoped: ObjectStore = {
    ...objects,
    list: async (p) => (await objects.list(p)).filter((o) => o.key.includes(`/model=${emptyModel}/`)),
  };
  const m = await newWarehouse(scoped);
  for (const [table, columns] of Object.entries(warehouseTables)) {
    assert.deepEqual(await m.query(`SELECT count(*) AS n FROM ${table}`), [{ n: 0 }], table);
    const described = await m.query<{ column_name: string; column_type: string }>(`DESCRIBE ${table}`);
    assert.deepEqual(
      described.map((c) => [c.column_name, c.column_type]),
      Object.entries(columns).map(([name, spec]) => [name, spec.type]),
      table,
    );
  }
  assert.deepEqual(await primaryMetricByVersion(m, emptyModel, 'accuracy'), []);
  assert.deepEqual(await runEpochs(m, run(1)), []);
  assert.deepEqual(await failedChecks(m, run(1)), []);
  assert.equal(await epochsTrainedMoreThanOnce(m, run(1)), 0);
  assert.deepEqual(await runHistory(m, emptyModel), []);
});

test('training epochs come back ordered by epoch then attempt, NaN included', async () => {
  const epochs = await runEpochs(metrics, run(1));
  assert.deepEqual(
    epochs,
    [epochsOfRun1[0], epochsOfRun1[1], epochsOfRun1[2], epochsOfRun1[3], epochsOfRun1[4]].map((r) =>
      epochOut(r!),
    ),
  );
});

test('an epoch trained by two attempts is counted once, and a run without retries counts zero', async () => {
  assert.equal(await epochsTrainedMoreThanOnce(metrics, run(1)), 1);
  assert.equal(await epochsTrainedMoreThanOnce(metrics, run(2)), 0);
});

test('failed checks list errors before warnings and leave out passed checks', async () => {
  const failed = await failedChecks(metrics, run(1));
  assert.deepEqual(failed, [
    {
      run_id: run(1),
      model,
      dataset_sha: 'sha-1',
      check_name: 'range',
      column_name: 'income',
      severity: 'error',
      passed: false,
      observed: 0.2,
      threshold: 0.5,
      message: 'range failed',
      ts: iso(2),
    },
    {
      run_id: run(1),
      model,
      dataset_sha: 'sha-1',
      check_name: 'nulls',
      column_name: 'age',
      severity: 'warning',
      passed: false,
      observed: 0.2,
      threshold: 0.5,
      message: 'nulls failed',
      ts: iso(2),
    },
  ]);
});

test('the primary metric by version takes overall candidate rows and fills a missing version from the registered event', async () => {
  assert.deepEqual(await primaryMetricByVersion(metrics, model, 'accuracy'), [
    { version: 1, value: 0.91, ts: iso(7) },
    { version: 2, value: 0.93, ts: iso(38) },
  ]);
  assert.deepEqual(await primaryMetricByVersion(metrics, model, 'f1'), [
    { version: 1, value: 0.8, ts: iso(7) },
  ]);
});

test('run history shows the latest row of each run, newest first', async () => {
  const history = await runHistory(metrics, model);
  assert.deepEqual(
    history.map((r) => [r.run_id, r.status, r.stage, r.candidate_version, r.primary_value, r.message, r.ts]),
    [
      [run(3), 'failed', 'validate', null, null, 'income out of range', iso(50)],
      [run(2), 'succeeded', 'done', 2, 0.93, '', iso(40)],
      [run(1), 'succeeded', 'done', 1, 0.91, '', iso(9)],
    ],
  );
  assert.deepEqual(history[2], {
    run_id: run(1),
    pipeline: 'churn',
    model,
    trigger: 'manual',
    status: 'succeeded',
    stage: 'done',
    spec_hash: 'spec-1',
    dataset_sha: 'sha-1',
    candidate_version: 1,
    primary_metric: 'accuracy',
    primary_value: 0.91,
    message: '',
    ts: iso(9),
  });
});

test('a retried append with the same part replaces the file instead of duplicating rows, even for another reader', async () => {
  const runId = run(4);
  const part = `${runId}-epoch-1-attempt-1`;
  const first = await metrics.append('training_epochs', [epoch(runId, 1, 1)], { model, part });
  assert.equal(first.key, `metrics/training_epochs/model=${model}/${part}.parquet`);

  const reader = await newWarehouse();
  assert.deepEqual(await runEpochs(reader, runId), [epochOut(epoch(runId, 1, 1))]);

  await metrics.append('training_epochs', [epoch(runId, 1, 1)], { model, part });
  assert.deepEqual(await runEpochs(metrics, runId), [epochOut(epoch(runId, 1, 1))]);

  // A retry that computed a different value must win everywhere, including a cache that held the old file.
  await metrics.append('training_epochs', [epoch(runId, 1, 1, { loss: 0.42 })], { model, part });
  assert.deepEqual(await runEpochs(reader, runId), [epochOut(epoch(runId, 1, 1, { loss: 0.42 }))]);
  assert.deepEqual(await runEpochs(metrics, runId), [epochOut(epoch(runId, 1, 1, { loss: 0.42 }))]);
  assert.equal((await objects.list(`metrics/training_epochs/model=${model}/${runId}-`)).length, 1);
});

test('deleting the local cache loses nothing: the same questions get the same answers', async () => {
  const cacheDir = await newCacheDir();
  const m = createWarehouse({ store: objects, cacheDir });
  stores.push(m);
  const before = await allAnswers(m);
  assert.equal(before.epochs.length, 5);

  await rm(cacheDir, { recursive: true, force: true });
  const resync = await m.sync();
  assert.equal(resync.downloaded, resync.files);
  assert.deepEqual(await allAnswers(m), before);
  assert.deepEqual(await m.sync(), { files: resync.files, downloaded: 0, removed: 0 });
});

test('a row missing a non-nullable column is rejected naming the table, row, column and rule, and nothing is written', async () => {
  const { loss: _loss, ...withoutLoss } = epoch(run(6), 1, 1);
  const part = `${run(6)}-epoch-1-attempt-1`;
  await assert.rejects(
    metrics.append(
      'training_epochs',
      [epoch(run(6), 1, 0), withoutLoss as WarehouseRowInput<'training_epochs'>],
      { model, part },
    ),
    (err: unknown) => {
      assert.ok(err instanceof InvalidWarehouseRowError);
      assert.equal(
        err.message,
        'metrics table "training_epochs", row 1, column "loss": is required (the column is not nullable)',
      );
      assert.deepEqual([err.table, err.rowIndex, err.column], ['training_epochs', 1, 'loss']);
      return true;
    },
  );
  assert.equal(await objects.exists(`metrics/training_epochs/model=${model}/${part}.parquet`), false);
});

test('unknown columns, values outside a column rule and unsafe parts are rejected with the rule they break', async () => {
  const bad = <T extends WarehouseTable>(table: T, row: Record<string, unknown>) =>
    metrics.append(table, [row as WarehouseRowInput<T>], { model, part: `${run(6)}-bad` });
  await assert.rejects(bad('training_epochs', { ...epoch(run(6), 1, 1), lr: 0.1 }), {
    name: 'InvalidWarehouseRowError',
    message: 'metrics table "training_epochs", row 0, column "lr": is not a column of this table',
  });
  await assert.rejects(bad('training_epochs', { ...epoch(run(6), 1, 1), epoch: 1.5 }), {
    message:
      'metrics table "training_epochs", row 0, column "epoch": must be an integer between -2147483648 and 2147483647',
  });
  await assert.rejects(bad('training_epochs', { ...epoch(run(6), 1, 1), ts: '2024-01-15 09:00:00' }), {
    message:
      'metrics table "training_epochs", row 0, column "ts": must be a Date or an ISO-8601 timestamp with "Z" or an offset',
  });
  await assert.rejects(bad('training_epochs', { ...epoch(run(6), 1, 1), model: 'someone-else' }), {
    message: `metrics table "training_epochs", row 0, column "model": must equal the partition model "${model}"`,
  });
  await assert.rejects(
    bad('validation_checks', {
      run_id: run(6),
      model,
      dataset_sha: 's',
      check_name: 'c',
      severity: 'fatal',
      passed: true,
      observed: 1,
      threshold: 1,
      message: '',
      ts: at(1),
    }),
    {
      message:
        'metrics table "validation_checks", row 0, column "severity": must be one of "error", "warning"',
    },
  );
  await assert.rejects(
    metrics.append('training_epochs', [epoch(run(6), 1, 1)], { model, part: '../escape' }),
    (err: unknown) => {
      assert.ok(err instanceof InvalidWarehouseKeyError);
      assert.equal(
        err.message,
        'metrics part "../escape": must start with a letter or digit and contain only letters, digits, ".", "_" or "-"',
      );
      return true;
    },
  );
  await assert.rejects(metrics.append('nope' as WarehouseTable, [], { model, part: 'p' }), {
    message: `metrics table "nope": is not a metrics table (known: ${Object.keys(warehouseTables).join(', ')})`,
  });
});

test('ten concurrent appends with distinct parts all land', async () => {
  const runId = run(5);
  const rows = Array.from({ length: 10 }, (_, i) => epoch(runId, 1, i + 1));
  await Promise.all(
    rows.map((row) =>
      metrics.append('training_epochs', [row], { model, part: `${runId}-epoch-${row.epoch}-attempt-1` }),
    ),
  );
  assert.equal((await objects.list(`metrics/training_epochs/model=${model}/${runId}-`)).length, 10);
  assert.deepEqual(await runEpochs(metrics, runId), rows.map(epochOut));
  const reader = await newWarehouse();
  assert.deepEqual(
    await reader.query(`SELECT count(*) AS n FROM training_epochs WHERE run_id = ?`, [runId]),
    [{ n: 10 }],
  );
});

test('a closed store rejects further use', async () => {
  const m = await newWarehouse();
  await m.close();
  await assert.rejects(m.query('SELECT 1'), WarehouseClosedError);
  await assert.rejects(
    m.append('training_epochs', [epoch(run(7), 1, 1)], { model, part: 'closed' }),
    WarehouseClosedError,
  );
});
