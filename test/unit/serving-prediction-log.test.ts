// The prediction log writes in batches off the request path: one part per (table, model) per flush,
// early when the buffer fills, retried under the same part name when storage fails, flushed on close.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { WarehouseRowInput, WarehouseTable } from '../../core/warehouse/tables.js';
import type { AppendOptions } from '../../core/warehouse/writer.js';
import { createPredictionLog, partSafe, type PredictionRecord } from '../../core/serving/prediction-log.js';

interface Write {
  table: WarehouseTable;
  rows: readonly WarehouseRowInput<WarehouseTable>[];
  options: AppendOptions;
}

function recorder(options: { failFirst?: number } = {}) {
  const writes: Write[] = [];
  const attempts: string[] = [];
  let failures = options.failFirst ?? 0;
  return {
    writes,
    attempts,
    metrics: {
      async append<T extends WarehouseTable>(
        table: T,
        rows: readonly WarehouseRowInput<T>[],
        o: AppendOptions,
      ) {
        attempts.push(o.part);
        if (failures > 0) {
          failures--;
          throw new Error('connect ECONNREFUSED 127.0.0.1:9000');
        }
        writes.push({ table, rows: rows as readonly WarehouseRowInput<WarehouseTable>[], options: o });
        return { key: `metrics/${table}/model=${o.model}/${o.part}.parquet`, rows: rows.length };
      },
    },
  };
}

function record(model: string, i: number, extra: Partial<PredictionRecord> = {}): PredictionRecord {
  return {
    model,
    version: 1,
    predictionId: `p-${i}`,
    requestKey: null,
    shadow: false,
    features: { age: i, plan: 'basic' },
    output: { '0': 0.25, '1': 0.75 },
    predicted: '1',
    latencyMs: 0.5,
    error: null,
    ts: Date.parse('2025-03-01T10:00:00Z') + i,
    ...extra,
  };
}

test('a flush writes one part per table and model, with JSON columns encoded and timestamps as Dates', async () => {
  const r = recorder();
  const log = createPredictionLog({ metrics: r.metrics, replicaId: 'api-1', flushMs: 60_000 });
  log.prediction(record('churn', 1));
  log.prediction(record('churn', 2, { shadow: true, version: 2, requestKey: 'k' }));
  log.prediction(record('fraud', 3));
  log.feedback({ model: 'churn', predictionId: 'p-1', label: '1', ts: Date.parse('2025-03-01T11:00:00Z') });
  assert.equal(r.writes.length, 0, 'nothing is written on the request path');
  await log.flush();
  assert.deepEqual(
    r.writes.map((w) => [w.table, w.options.model, w.rows.length]),
    [
      ['predictions', 'churn', 2],
      ['predictions', 'fraud', 1],
      ['feedback', 'churn', 1],
    ],
  );
  assert.deepEqual(r.writes[0]!.rows[1], {
    model: 'churn',
    version: 2,
    prediction_id: 'p-2',
    request_key: 'k',
    shadow: true,
    features: '{"age":2,"plan":"basic"}',
    output: '{"0":0.25,"1":0.75}',
    predicted: '1',
    latency_ms: 0.5,
    error: null,
    ts: new Date('2025-03-01T10:00:00.002Z'),
  });
  assert.deepEqual(r.writes[2]!.rows[0], {
    model: 'churn',
    prediction_id: 'p-1',
    label: '1',
    ts: new Date('2025-03-01T11:00:00Z'),
  });
  const parts = r.writes.map((w) => w.options.part);
  assert.equal(new Set(parts).size, 3);
  for (const p of parts) assert.match(p, /^api-1-\d{8}T\d{9}Z-\d{6}$/);
  await log.close();
});

test('the timer flushes without being asked', async () => {
  const r = recorder();
  const log = createPredictionLog({ metrics: r.metrics, replicaId: 'api-1', flushMs: 30 });
  log.prediction(record('churn', 1));
  await sleep(120);
  assert.equal(r.writes.length, 1);
  await log.close();
});

test('a full buffer flushes early, before the timer', async () => {
  const r = recorder();
  const log = createPredictionLog({ metrics: r.metrics, replicaId: 'api-1', flushMs: 60_000, flushRows: 10 });
  for (let i = 0; i < 10; i++) log.prediction(record('churn', i));
  await sleep(20);
  assert.deepEqual(
    r.writes.map((w) => w.rows.length),
    [10],
  );
  await log.close();
});

test('a failed write is retried under the same part name, so a retry overwrites instead of duplicating', async () => {
  const r = recorder({ failFirst: 1 });
  const log = createPredictionLog({ metrics: r.metrics, replicaId: 'api-1', flushMs: 60_000 });
  log.prediction(record('churn', 1));
  await assert.rejects(log.flush(), /ECONNREFUSED/);
  assert.equal(log.stats().buffered, 1);
  log.prediction(record('churn', 2));
  await log.flush();
  assert.deepEqual(r.attempts.slice(0, 2), [r.attempts[0], r.attempts[0]]);
  assert.deepEqual(
    r.writes.map((w) => w.rows.map((row) => (row as unknown as { prediction_id: string }).prediction_id)),
    [['p-1'], ['p-2']],
  );
  assert.deepEqual(log.stats(), { buffered: 0, written: 2, dropped: 0, failedWrites: 1 });
  await log.close();
});

test('with storage down for long, the oldest records are dropped and counted instead of growing without bound', async () => {
  const r = recorder({ failFirst: 100 });
  const log = createPredictionLog({
    metrics: r.metrics,
    replicaId: 'api-1',
    flushMs: 60_000,
    flushRows: 1000,
    maxBufferedRows: 5,
  });
  for (let i = 0; i < 8; i++) log.prediction(record('churn', i));
  assert.equal(log.stats().dropped, 3);
  await assert.rejects(log.flush());
  for (let i = 0; i < 3; i++) log.prediction(record('churn', 10 + i));
  await assert.rejects(log.flush());
  const stats = log.stats();
  assert.ok(stats.buffered <= 5, `buffered ${stats.buffered}`);
  assert.equal(stats.dropped, 3 + 5);
});

test('close flushes what is buffered and later records are dropped, not written', async () => {
  const r = recorder();
  const log = createPredictionLog({ metrics: r.metrics, replicaId: 'api-1', flushMs: 60_000 });
  log.prediction(record('churn', 1));
  await log.close();
  assert.equal(r.writes.length, 1);
  log.prediction(record('churn', 2));
  await log.flush();
  assert.equal(r.writes.length, 1);
  assert.equal(log.stats().dropped, 1);
});

test('replica ids become safe part names', () => {
  assert.equal(partSafe('api host:8080/pid 12'), 'api-host-8080-pid-12');
  assert.equal(partSafe('--x'), 'x');
  assert.equal(partSafe('///'), 'replica');
});
