// The serving state's swap discipline, with a scripted deployment source and model cache: lazy first
// load shared by concurrent requests, new versions loaded before the switch, old tables intact for
// requests that hold them, disposal only after the grace period, and failures that keep serving.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Deployment, DeploymentRead } from '../../core/serving/deployment.js';
import { ModelUnavailableError, NotDeployedError } from '../../core/serving/errors.js';
import type { ServingLogger } from '../../core/serving/logger.js';
import type { LoadedVersion } from '../../core/serving/model-cache.js';
import { createServingState } from '../../core/serving/server-state.js';

interface Deferred<T> {
  promise: Promise<T>;
  resolve(v: T): void;
  reject(e: unknown): void;
}
function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function deployment(revision: number, routes: [number, number][], shadow: number[] = []): Deployment {
  return {
    model: 'm',
    revision,
    routes: routes.map(([version, weight]) => ({ version, weight })),
    shadow,
    updatedAt: '',
    updatedBy: 't',
    reason: 'r',
  };
}

/** A deployment source and a cache whose loads the test resolves by hand. */
function fixture(options: { graceMs?: number } = {}) {
  let current: DeploymentRead | undefined = { deployment: deployment(1, [[1, 100]]), token: 't1' };
  const calls = { token: 0, read: 0 };
  const loads = new Map<number, Deferred<LoadedVersion>>();
  const loadCount = new Map<number, number>();
  const evicted: number[] = [];
  const errors: string[] = [];
  const log: ServingLogger = { debug() {}, info() {}, warn() {}, error: (_o, msg) => errors.push(msg) };
  const state = createServingState({
    deployments: {
      async token() {
        calls.token++;
        return current?.token ?? 'none';
      },
      async read(model) {
        calls.read++;
        if (!current) throw new NotDeployedError(model);
        return current;
      },
    },
    cache: {
      get(_model, version) {
        loadCount.set(version, (loadCount.get(version) ?? 0) + 1);
        let d = loads.get(version);
        if (!d) loads.set(version, (d = deferred()));
        return d.promise;
      },
      evict(_model, version) {
        evicted.push(version);
        loads.delete(version);
      },
    },
    pollMs: 60_000,
    graceMs: options.graceMs ?? 30,
    log,
  });
  const loaded = (version: number) => ({ model: 'm', version }) as LoadedVersion;
  const finish = (version: number) => {
    let d = loads.get(version);
    if (!d) loads.set(version, (d = deferred()));
    d.resolve(loaded(version));
  };
  const fail = (version: number, message: string) => {
    const d = loads.get(version);
    assert.ok(d, `version ${version} is loading`);
    loads.delete(version);
    d.reject(new Error(message));
  };
  return {
    state,
    calls,
    evicted,
    errors,
    loadCount,
    finish,
    fail,
    set(read: DeploymentRead | undefined) {
      current = read;
    },
  };
}

test('the first requests for a model share one read and one load, then the table is served without awaiting', async () => {
  const f = fixture();
  assert.equal(f.state.current('m'), undefined);
  const waiting = Array.from({ length: 5 }, () => f.state.table('m'));
  await sleep(5);
  assert.equal(f.calls.read, 1);
  assert.equal(f.loadCount.get(1), 1);
  f.finish(1);
  const tables = await Promise.all(waiting);
  assert.ok(tables.every((t) => t === tables[0]));
  assert.equal(tables[0]!.revision, 1);
  assert.deepEqual([...tables[0]!.versions.keys()], [1]);
  assert.equal(f.state.current('m'), tables[0]);
  f.state.close();
});

test('a change is served only once every new version has loaded; until then the old table answers', async () => {
  const f = fixture();
  f.finish(1);
  const old = await f.state.table('m');
  f.set({
    deployment: deployment(
      2,
      [
        [1, 50],
        [2, 50],
      ],
      [3],
    ),
    token: 't2',
  });
  const polling = f.state.poll();
  await sleep(5);
  assert.equal(f.state.current('m'), old, 'still the old table while version 2 and shadow 3 load');
  f.finish(2);
  await sleep(5);
  assert.equal(f.state.current('m'), old, 'still the old table while shadow 3 loads');
  f.finish(3);
  await polling;
  const next = f.state.current('m')!;
  assert.equal(next.revision, 2);
  assert.deepEqual(next.routes, [
    { version: 1, weight: 50 },
    { version: 2, weight: 50 },
  ]);
  assert.deepEqual(
    next.shadow.map((s) => s.version),
    [3],
  );
  // A request that took the old table still sees it whole.
  assert.equal(old.revision, 1);
  assert.deepEqual([...old.versions.keys()], [1]);
  assert.equal(next.versions.get(1), old.versions.get(1), 'version 1 carries over as the same loaded object');
  f.state.close();
});

test('an unchanged token costs one cheap check and no read', async () => {
  const f = fixture();
  f.finish(1);
  await f.state.table('m');
  const reads = f.calls.read;
  await f.state.poll();
  await f.state.poll();
  assert.equal(f.calls.token, 2);
  assert.equal(f.calls.read, reads);
  f.state.close();
});

test('versions that left the table are disposed after the grace period, and versions still serving never are', async () => {
  const f = fixture({ graceMs: 40 });
  f.finish(1);
  f.finish(2);
  f.set({
    deployment: deployment(1, [
      [1, 50],
      [2, 50],
    ]),
    token: 't1',
  });
  await f.state.table('m');
  f.set({ deployment: deployment(2, [[2, 100]]), token: 't2' });
  await f.state.poll();
  assert.deepEqual(f.evicted, [], 'nothing is disposed at the switch');
  await sleep(80);
  assert.deepEqual(f.evicted, [1]);
  f.state.close();
});

test('a version that comes back within the grace period is kept', async () => {
  const f = fixture({ graceMs: 50 });
  f.finish(1);
  f.finish(2);
  await f.state.table('m');
  f.set({ deployment: deployment(2, [[2, 100]]), token: 't2' });
  await f.state.poll();
  f.set({ deployment: deployment(3, [[1, 100]]), token: 't3' });
  await f.state.poll();
  await sleep(100);
  assert.deepEqual(f.evicted, [2]);
  assert.deepEqual([...f.state.current('m')!.versions.keys()], [1]);
  f.state.close();
});

test('a version that fails to load keeps the old table serving, is reported once, and is retried on the next poll', async () => {
  const f = fixture();
  f.finish(1);
  const old = await f.state.table('m');
  f.set({ deployment: deployment(2, [[2, 100]]), token: 't2' });
  const first = f.state.poll();
  await sleep(5);
  f.fail(2, 'weights.bin: object not found');
  await first;
  assert.equal(f.state.current('m'), old);
  const second = f.state.poll();
  await sleep(5);
  f.fail(2, 'weights.bin: object not found');
  await second;
  assert.deepEqual(f.errors, ['deployment change not applied: weights.bin: object not found']);
  assert.equal(f.state.status()[0]!.lastError, 'weights.bin: object not found');
  const third = f.state.poll();
  await sleep(5);
  f.finish(2);
  await third;
  assert.equal(f.state.current('m')!.revision, 2);
  assert.equal(f.state.status()[0]!.lastError, null);
  f.state.close();
});

test('a shadow that cannot load does not hold back the served versions', async () => {
  const f = fixture();
  f.set({ deployment: deployment(1, [[1, 100]], [4]), token: 't1' });
  const table = f.state.table('m');
  await sleep(5);
  f.finish(1);
  f.fail(4, 'corrupt model.json');
  const t = await table;
  assert.deepEqual([...t.versions.keys()], [1]);
  assert.deepEqual(t.shadow, []);
  assert.deepEqual(f.errors, ['shadow version could not be loaded; serving without it']);
  f.state.close();
});

test('a model that is not deployed is refused, and asking again right away does not read storage again', async () => {
  const f = fixture();
  f.set(undefined);
  await assert.rejects(f.state.table('m'), NotDeployedError);
  await assert.rejects(f.state.table('m'), NotDeployedError);
  assert.equal(f.calls.read, 1);
  assert.deepEqual(f.state.status(), []);
  f.state.close();
});

test('a deployed model whose version cannot load is unavailable (not "not deployed"), and the failure is remembered for one poll interval', async () => {
  const f = fixture();
  const first = f.state.table('m');
  await sleep(5);
  f.fail(1, 'model.json: object not found');
  await assert.rejects(
    first,
    (err: unknown) =>
      err instanceof ModelUnavailableError && (err.cause as Error).message === 'model.json: object not found',
  );
  await assert.rejects(f.state.table('m'), ModelUnavailableError);
  assert.equal(f.calls.read, 1, 'the failure is remembered for one poll interval');
  assert.deepEqual(f.errors, ['deployed model could not be loaded']);
  f.state.close();
});

test('a deployment that disappears keeps the last table serving', async () => {
  const f = fixture();
  f.finish(1);
  const t = await f.state.table('m');
  f.set(undefined);
  await f.state.poll();
  assert.equal(f.state.current('m'), t);
  assert.match(f.errors[0] ?? '', /is not deployed.*still serving revision 1/);
  f.state.close();
});
