// Exactly-once version numbers: concurrent pipelines of one model get distinct, gapless versions,
// and a retried registration finds the version it already claimed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRegistry } from '../../core/registry/registry.js';
import { createHarness, type Harness } from '../helpers/pipeline.js';
import { candidateEntry } from '../helpers/registry-entry.js';

let h: Harness;
before(async () => {
  h = await createHarness();
});
after(async () => h.close());

test('twenty concurrent registrations through separate registry clients get versions 1 to 20, once each', async () => {
  const model = `reg-${h.id}`;
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      createRegistry({ store: h.deps.store }).registerVersion(candidateEntry(model, `run-${i}`)),
    ),
  );
  assert.deepEqual(
    results.map((r) => r.version.version).sort((a, b) => a - b),
    Array.from({ length: 20 }, (_, i) => i + 1),
  );
  const retried = await createRegistry({ store: h.deps.store }).registerVersion(
    candidateEntry(model, 'run-7'),
  );
  assert.equal(retried.created, false);
  assert.equal(retried.version.version, results[7]!.version.version);
  assert.equal((await h.deps.registry.listVersions(model)).length, 20);
});

test(
  'ten pipelines of the same model running at once register ten distinct, gapless versions',
  { timeout: 300_000 },
  async () => {
    const spec = h.spec((s) => ({ ...s, training: { ...s.training, epochs: 1, earlyStopping: undefined } }));
    const snapshot = await h.ingestChurn({ rows: 3000, seed: 31 });
    const handles = await Promise.all(
      Array.from({ length: 10 }, () => h.start(spec, { datasetSnapshot: snapshot, approvalPolicy: 'auto' })),
    );
    const results = await Promise.all(handles.map((x) => x.result()));
    assert.deepEqual(
      results.map((r) => r.version).sort((a, b) => a - b),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    );
    const versions = await h.deps.registry.listVersions(spec.model);
    assert.deepEqual(
      versions.map((v) => v.version),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    );
    assert.deepEqual(
      new Set(versions.map((v) => v.lineage.runId)),
      new Set(handles.map((x) => x.workflowId)),
    );
  },
);
