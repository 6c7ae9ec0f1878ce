// Exactly-once registry changes when a write's answer is lost, against real MinIO: the PUT lands,
// the caller never hears it (an SDK retry then gets 412, or the process dies before the next write),
// and the retry must neither claim a second version nor leave a hole in the alias or deployment history.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRegistry } from '../../core/registry/registry.js';
import { createDeploymentStore } from '../../core/serving/deployment.js';
import type { ObjectStore } from '../../core/storage/object-store.js';
import { createHarness, type Harness } from '../helpers/pipeline.js';
import { candidateEntry } from '../helpers/registry-entry.js';

let h: Harness;
before(async () => {
  h = await createHarness({ worker: false });
});
after(async () => h.close());

/**
 * The real store, except that the first PUT whose key matches loses its answer: the PUT is sent to
 * MinIO, then sent again (what the SDK's retry does), and the caller gets that second answer.
 */
function losingFirstAnswer(store: ObjectStore, matches: (key: string) => boolean): ObjectStore {
  let lost = false;
  return {
    ...store,
    put: store.put,
    async putJson(key, value, options) {
      if (!lost && matches(key)) {
        lost = true;
        await store.putJson(key, value, options);
        return store.putJson(key, value, options);
      }
      return store.putJson(key, value, options);
    },
  };
}

/** The real store, except that the first PUT whose key matches is never sent: the process "died" just before it. */
function crashingBefore(store: ObjectStore, matches: (key: string, value: unknown) => boolean): ObjectStore {
  let crashed = false;
  return {
    ...store,
    async putJson(key, value, options) {
      if (!crashed && matches(key, value)) {
        crashed = true;
        throw new Error('simulated crash before this write');
      }
      return store.putJson(key, value, options);
    },
  };
}

test('a registration whose manifest PUT answer was lost and retried (412) returns its own version and claims no second one', async () => {
  const model = `lost-${h.id}`;
  await createRegistry({ store: h.deps.store }).registerVersion(candidateEntry(model, 'run-a'));
  const store = losingFirstAnswer(h.deps.store, (k) => k.endsWith('/manifest.json'));
  const result = await createRegistry({ store }).registerVersion(candidateEntry(model, 'run-b'));
  assert.equal(result.version.version, 2);
  assert.equal(result.version.lineage.runId, 'run-b');
  const versions = await h.deps.registry.listVersions(model);
  assert.deepEqual(
    versions.map((v) => [v.version, v.lineage.runId]),
    [
      [1, 'run-a'],
      [2, 'run-b'],
    ],
  );
  const again = await createRegistry({ store: h.deps.store }).registerVersion(candidateEntry(model, 'run-b'));
  assert.deepEqual([again.version.version, again.created], [2, false]);
});

test('an alias change that crashed between its compare-and-swap and its history write has its history entry after the retry', async () => {
  const model = `alias-${h.id}`;
  const registry = createRegistry({ store: h.deps.store });
  await registry.registerVersion(candidateEntry(model, 'run-1'));
  await registry.registerVersion(candidateEntry(model, 'run-2'));
  await registry.setAlias({ model, alias: 'champion', version: 1, actor: 'pipeline', reason: 'first' });
  const crashing = createRegistry({
    store: crashingBefore(
      h.deps.store,
      (k, v) => k.includes('/history/') && (v as { reason?: string }).reason === 'better',
    ),
  });
  const change = {
    model,
    alias: 'champion',
    version: 2,
    actor: 'pipeline',
    reason: 'better',
    runId: 'run-2',
  };
  await assert.rejects(crashing.setAlias(change), /simulated crash before this write/);
  assert.equal((await registry.aliases(model)).champion, 2, 'the compare-and-swap landed');
  const retried = await createRegistry({ store: h.deps.store }).setAlias(change);
  assert.equal(retried.fromVersion, 1, 'the retry answers with the change that landed');
  const history = await registry.aliasHistory(model);
  assert.deepEqual(
    history.map((c) => [c.version, c.fromVersion, c.reason]),
    [
      [1, null, 'first'],
      [2, 1, 'better'],
    ],
  );
});

test('a deployment change that crashed between its compare-and-swap and its history write has its history entry after the retry', async () => {
  const model = `deploy-${h.id}`;
  const registry = createRegistry({ store: h.deps.store });
  await registry.registerVersion(candidateEntry(model, 'run-1'));
  await registry.registerVersion(candidateEntry(model, 'run-2'));
  await registry.setAlias({ model, alias: 'champion', version: 1, actor: 'pipeline', reason: 'first' });
  const target = {
    routes: [
      { version: 2, weight: 10 },
      { version: 1, weight: 90 },
    ],
  };
  const by = { actor: 'rollout', reason: 'canary step 1' };
  const crashing = createDeploymentStore({
    store: crashingBefore(h.deps.store, (k) => k.includes('/history/')),
    registry,
  });
  await assert.rejects(crashing.set(model, target, by), /simulated crash before this write/);
  const deployments = createDeploymentStore({ store: h.deps.store, registry });
  assert.equal((await deployments.get(model)).revision, 1, 'the compare-and-swap landed');
  assert.deepEqual(await deployments.history(model), [], 'the history entry is missing before the retry');
  const retried = await deployments.set(model, target, by);
  assert.equal(retried.revision, 1, 'the retry changes nothing more');
  const history = await deployments.history(model);
  assert.deepEqual(
    history.map((c) => ({ revision: c.revision, from: c.from, to: c.to, reason: c.reason })),
    [
      {
        revision: 1,
        from: { routes: [{ version: 1, weight: 100 }], shadow: [] },
        to: { routes: target.routes, shadow: [] },
        reason: 'canary step 1',
      },
    ],
  );
});
