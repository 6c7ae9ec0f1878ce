// Compaction of the prediction log's small parts against real MinIO: many parts become one, queries
// count every row exactly once before, during (a compaction stopped at any step) and after, and a
// repeated or resumed compaction changes nothing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compactPartition } from '../../core/warehouse/compaction.js';
import { createWarehouse, type Warehouse } from '../../core/warehouse/store.js';
import type { ObjectStore } from '../../core/storage/object-store.js';
import { createHarness, type Harness } from '../helpers/pipeline.js';

let h: Harness;
let scratch: string;
const readers: Warehouse[] = [];
before(async () => {
  h = await createHarness({ worker: false });
  scratch = await mkdtemp(join(tmpdir(), 'ferry-compaction-'));
});
after(async () => {
  for (const r of readers) await r.close();
  await h.close();
  await rm(scratch, { recursive: true, force: true });
});

/** A warehouse with a cache of its own, as another process would have. */
function reader(): Warehouse {
  const m = createWarehouse({ store: h.deps.store, cacheDir: join(scratch, `reader-${readers.length}`) });
  readers.push(m);
  return m;
}

async function writeParts(model: string, parts: number, rowsEach: number): Promise<void> {
  const writer = reader();
  for (let p = 0; p < parts; p++) {
    const rows = Array.from({ length: rowsEach }, (_, i) => ({
      model,
      version: 1,
      prediction_id: `${p}-${i}`,
      request_key: null,
      shadow: false,
      features: '{}',
      output: '{}',
      predicted: String(i % 2),
      latency_ms: 1,
      error: null,
      ts: new Date(Date.UTC(2026, 0, 1, 0, p, i % 60)),
    }));
    await writer.append('predictions', rows, { model, part: `replica-a-${String(p).padStart(4, '0')}` });
  }
}

const count = async (m: Warehouse, model: string) =>
  (
    await m.query<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM predictions WHERE model = ?`, [model])
  )[0]!.n;
const partKeys = async (model: string) =>
  (await h.deps.store.list(`metrics/predictions/model=${model}/`)).map((o) => o.key);

/** The real store, except that `fail` decides which call throws (the process "dies" there). */
function failing(store: ObjectStore, fail: (op: 'put' | 'delete', key: string) => boolean): ObjectStore {
  return {
    ...store,
    async put(key, body, o) {
      if (fail('put', key)) throw new Error(`simulated crash before PUT ${key}`);
      return store.put(key, body, o);
    },
    async delete(key) {
      if (fail('delete', key)) throw new Error(`simulated crash before DELETE ${key}`);
      return store.delete(key);
    },
  };
}

test('twenty small parts are merged into one and every row is still counted exactly once', async () => {
  const model = `compact-${h.id}`;
  await writeParts(model, 20, 50);
  const r = reader();
  assert.equal(await count(r, model), 1000);
  const result = await compactPartition('predictions', model, { store: h.deps.store, scratchDir: scratch });
  assert.equal(result.inputs, 20);
  assert.deepEqual(await partKeys(model), [result.merged]);
  assert.equal(await count(r, model), 1000, 'a reader that had cached the small parts');
  assert.equal(await count(reader(), model), 1000, 'a fresh reader');
  const again = await compactPartition('predictions', model, { store: h.deps.store, scratchDir: scratch });
  assert.equal(again.merged, null, 'nothing left to compact');
});

test('a compaction stopped after its merged part and half its deletions double counts nothing, and its resumption finishes it', async () => {
  const model = `compact-crash-${h.id}`;
  await writeParts(model, 10, 30);
  const r = reader();
  assert.equal(await count(r, model), 300);
  let deletes = 0;
  const crashing = failing(h.deps.store, (op) => op === 'delete' && ++deletes > 5);
  await assert.rejects(
    compactPartition('predictions', model, { store: crashing, scratchDir: scratch }),
    /simulated crash before DELETE/,
  );
  assert.equal((await partKeys(model)).length, 6, 'the merged part and 5 of its 10 inputs');
  assert.equal(await count(r, model), 300, 'a reader that had cached every small part');
  assert.equal(await count(reader(), model), 300, 'a fresh reader');
  // The lock of the crashed compaction is taken over at once (TTL 0) and the job finished as it was.
  const resumed = await compactPartition('predictions', model, {
    store: h.deps.store,
    scratchDir: scratch,
    lockTtlMs: 0,
  });
  assert.equal(resumed.inputs, 10);
  assert.equal((await partKeys(model)).length, 1);
  assert.equal(await count(r, model), 300);
});

test('a compaction stopped before its merged part was written leaves the small parts counted once', async () => {
  const model = `compact-early-${h.id}`;
  await writeParts(model, 9, 20);
  const crashing = failing(h.deps.store, (op, key) => op === 'put' && key.includes('/compacted-'));
  await assert.rejects(
    compactPartition('predictions', model, { store: crashing, scratchDir: scratch }),
    /simulated crash before PUT/,
  );
  assert.equal((await partKeys(model)).length, 9);
  assert.equal(await count(reader(), model), 180);
  const resumed = await compactPartition('predictions', model, {
    store: h.deps.store,
    scratchDir: scratch,
    lockTtlMs: 0,
  });
  assert.equal(resumed.inputs, 9);
  assert.equal(await count(reader(), model), 180);
});
