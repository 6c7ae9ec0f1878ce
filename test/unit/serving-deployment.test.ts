// Deployment state: its shape rules, the champion fallback, compare-and-swap changes with history,
// and refusals naming the field, over an in-memory object store with S3's conditional-write semantics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRegistry, type NewVersion } from '../../core/registry/registry.js';
import { checkDeploymentTarget, createDeploymentStore } from '../../core/serving/deployment.js';
import {
  DeploymentConflictError,
  InvalidDeploymentError,
  NotDeployedError,
} from '../../core/serving/errors.js';
import { keys } from '../../core/storage/keys.js';
import { createMemoryObjectStore } from '../helpers/memory-object-store.js';

const model = 'churn';

function version(runId: string, status: 'candidate' | 'rejected' = 'candidate'): NewVersion {
  return {
    model,
    status,
    artifacts: {
      modelPrefix: `runs/${runId}/model/`,
      preprocessingKey: '',
      evaluationKey: '',
      cardKey: '',
      validationKey: '',
    },
    metrics: {},
    lineage: {
      datasetName: 'churn',
      datasetSha: 'sha',
      specHash: 'spec',
      codeRevision: 'dev',
      runId,
      backend: 'cpu',
      seeds: { split: 1, training: 1 },
    },
    inputSchema: { numeric: ['age'], categorical: ['plan'], label: 'churned', classes: ['0', '1'] },
  };
}

/** A registry with versions 1 and 2 (candidates), 3 (rejected at registration) and 1 as champion. */
async function setup() {
  const store = createMemoryObjectStore();
  let clock = Date.parse('2025-03-01T10:00:00Z');
  const now = () => new Date((clock += 1000));
  const registry = createRegistry({ store, now });
  for (const [run, status] of [
    ['r1', 'candidate'],
    ['r2', 'candidate'],
    ['r3', 'rejected'],
  ] as const)
    await registry.registerVersion(version(run, status));
  await registry.setAlias({ model, alias: 'champion', version: 1, actor: 'test', reason: 'first' });
  return { store, registry, deployments: createDeploymentStore({ store, registry, now }) };
}

const by = { actor: 'rollout:canary', reason: 'canary 10 %' };

test('the shape rules name each broken field', () => {
  assert.deepEqual(checkDeploymentTarget({ routes: [{ version: 1, weight: 100 }] }), []);
  assert.deepEqual(
    checkDeploymentTarget({
      routes: [
        { version: 1, weight: 90 },
        { version: 2, weight: 10 },
      ],
      shadow: [3],
    }),
    [],
  );
  assert.deepEqual(checkDeploymentTarget({ routes: [] }), [
    { field: 'routes', rule: 'must list at least one version' },
  ]);
  assert.deepEqual(
    checkDeploymentTarget({
      routes: [
        { version: 1, weight: 60 },
        { version: 2, weight: 30 },
      ],
    }),
    [{ field: 'routes', rule: 'weights must sum to 100, got 90' }],
  );
  assert.deepEqual(
    checkDeploymentTarget({
      routes: [
        { version: 1, weight: 50.5 },
        { version: 2, weight: 49.5 },
      ],
    }),
    [
      { field: 'routes[0].weight', rule: 'must be an integer percent 0…100, got 50.5' },
      { field: 'routes[1].weight', rule: 'must be an integer percent 0…100, got 49.5' },
    ],
  );
  assert.deepEqual(
    checkDeploymentTarget({
      routes: [
        { version: 1, weight: 120 },
        { version: 2, weight: -20 },
      ],
    }),
    [
      { field: 'routes[0].weight', rule: 'must be an integer percent 0…100, got 120' },
      { field: 'routes[1].weight', rule: 'must be an integer percent 0…100, got -20' },
    ],
  );
  assert.deepEqual(
    checkDeploymentTarget({
      routes: [
        { version: 1, weight: 50 },
        { version: 1, weight: 50 },
      ],
    }),
    [{ field: 'routes[1].version', rule: 'version 1 is listed twice' }],
  );
  assert.deepEqual(checkDeploymentTarget({ routes: [{ version: 0, weight: 100 }] }), [
    { field: 'routes[0].version', rule: 'must be a version number (an integer ≥ 1), got 0' },
  ]);
  assert.deepEqual(checkDeploymentTarget({ routes: [{ version: 1, weight: 100 }], shadow: [1, 2, 2] }), [
    {
      field: 'shadow[0]',
      rule: 'version 1 already takes traffic; a shadow scores alongside the served versions',
    },
    { field: 'shadow[2]', rule: 'version 2 is listed twice' },
  ]);
  const eleven = Array.from({ length: 11 }, (_, i) => ({ version: i + 1, weight: i === 0 ? 100 : 0 }));
  assert.deepEqual(checkDeploymentTarget({ routes: eleven }), [
    { field: 'routes', rule: 'must list at most 10 versions, got 11' },
  ]);
});

test('without stored state the champion serves at 100 % as revision 0; without a champion the model is not deployed', async () => {
  const { deployments, registry } = await setup();
  const d = await deployments.get(model);
  assert.equal(d.revision, 0);
  assert.deepEqual(d.routes, [{ version: 1, weight: 100 }]);
  assert.deepEqual(d.shadow, []);
  assert.equal(await deployments.token(model), 'champion:1');
  await registry.setAlias({ model, alias: 'champion', version: 2, actor: 'test', reason: 'better' });
  assert.equal(await deployments.token(model), 'champion:2');
  assert.deepEqual((await deployments.get(model)).routes, [{ version: 2, weight: 100 }]);
  await assert.rejects(
    deployments.get('nobody'),
    (err: unknown) =>
      err instanceof NotDeployedError &&
      err.message === 'model "nobody" is not deployed: it has no deployment state and no champion version',
  );
  assert.equal(await deployments.token('nobody'), 'none');
});

test('a change is stored with the next revision and who made it, and appended to the history', async () => {
  const { deployments, store } = await setup();
  const first = await deployments.set(
    model,
    {
      routes: [
        { version: 1, weight: 90 },
        { version: 2, weight: 10 },
      ],
    },
    by,
  );
  assert.deepEqual(
    { ...first, updatedAt: 'x' },
    {
      model,
      revision: 1,
      routes: [
        { version: 1, weight: 90 },
        { version: 2, weight: 10 },
      ],
      shadow: [],
      updatedAt: 'x',
      updatedBy: 'rollout:canary',
      reason: 'canary 10 %',
      previous: { routes: [{ version: 1, weight: 100 }], shadow: [] },
    },
  );
  assert.deepEqual(await deployments.get(model), first);
  assert.match(await deployments.token(model), /^deployment:"\d+"$/);
  const second = await deployments.set(
    model,
    { routes: [{ version: 2, weight: 100 }], shadow: [1] },
    { actor: 'ann-admin', reason: 'promote', expectRevision: 1 },
  );
  assert.equal(second.revision, 2);
  const history = await deployments.history(model);
  assert.deepEqual(
    history.map((h) => ({ revision: h.revision, from: h.from, to: h.to, actor: h.actor })),
    [
      {
        revision: 1,
        from: { routes: [{ version: 1, weight: 100 }], shadow: [] },
        to: {
          routes: [
            { version: 1, weight: 90 },
            { version: 2, weight: 10 },
          ],
          shadow: [],
        },
        actor: 'rollout:canary',
      },
      {
        revision: 2,
        from: {
          routes: [
            { version: 1, weight: 90 },
            { version: 2, weight: 10 },
          ],
          shadow: [],
        },
        to: { routes: [{ version: 2, weight: 100 }], shadow: [1] },
        actor: 'ann-admin',
      },
    ],
  );
  assert.ok(store.writes.includes(keys.deployment(model).state));
});

test('asking for the state that is already stored changes nothing, so a retried change is harmless', async () => {
  const { deployments, store } = await setup();
  const target = {
    routes: [
      { version: 1, weight: 50 },
      { version: 2, weight: 50 },
    ],
  };
  const first = await deployments.set(model, target, { ...by, expectRevision: 0 });
  const writes = store.writes.length;
  const again = await deployments.set(model, target, { ...by, expectRevision: 0 });
  assert.deepEqual(again, first);
  assert.equal(store.writes.length, writes);
  assert.equal((await deployments.history(model)).length, 1);
});

test('a change on top of a revision that is no longer current is refused with both revisions', async () => {
  const { deployments } = await setup();
  await deployments.set(model, { routes: [{ version: 2, weight: 100 }] }, by);
  await assert.rejects(
    deployments.set(model, { routes: [{ version: 1, weight: 100 }] }, { ...by, expectRevision: 0 }),
    (err: unknown) =>
      err instanceof DeploymentConflictError &&
      err.expectedRevision === 0 &&
      err.actualRevision === 1 &&
      /is at revision 1, not the expected 0/.test(err.message),
  );
  assert.equal((await deployments.get(model)).revision, 1);
});

test('unknown and rejected versions are refused, naming the field, and nothing is written', async () => {
  const { deployments, registry, store } = await setup();
  const writes = store.writes.length;
  await assert.rejects(
    deployments.set(
      model,
      {
        routes: [
          { version: 1, weight: 50 },
          { version: 9, weight: 50 },
        ],
        shadow: [3],
      },
      by,
    ),
    (err: unknown) =>
      err instanceof InvalidDeploymentError &&
      JSON.stringify(err.errors) ===
        JSON.stringify([
          { field: 'routes[1].version', rule: 'model "churn" has no version 9' },
          { field: 'shadow[0]', rule: 'version 3 of "churn" was rejected and cannot serve' },
        ]),
  );
  assert.equal(store.writes.length, writes);
  await registry.recordDecision(model, 2, {
    decision: 'reject',
    by: 'ada',
    comment: 'no',
    at: '2025-03-01T00:00:00Z',
    runId: 'r2',
  });
  const afterDecision = store.writes.length;
  await assert.rejects(
    deployments.set(model, { routes: [{ version: 2, weight: 100 }] }, by),
    /routes\[0\]\.version: version 2 of "churn" was rejected and cannot serve/,
  );
  await assert.rejects(
    deployments.set(model, { routes: [{ version: 1, weight: 70 }] }, by),
    /routes: weights must sum to 100, got 70/,
  );
  await assert.rejects(
    deployments.set('../etc', { routes: [{ version: 1, weight: 100 }] }, by),
    InvalidDeploymentError,
  );
  assert.equal(store.writes.length, afterDecision);
});

test('concurrent changes all land, each on its own revision, with no lost update', async () => {
  const { deployments } = await setup();
  const targets = Array.from({ length: 6 }, (_, i) => ({
    routes: [
      { version: 1, weight: 100 - (i + 1) * 10 },
      { version: 2, weight: (i + 1) * 10 },
    ],
  }));
  const results = await Promise.all(
    targets.map((t, i) => deployments.set(model, t, { actor: `writer-${i}`, reason: 'race' })),
  );
  assert.deepEqual(
    results.map((r) => r.revision).sort((a, b) => a - b),
    [1, 2, 3, 4, 5, 6],
  );
  const history = await deployments.history(model);
  assert.deepEqual(
    history.map((h) => h.revision),
    [1, 2, 3, 4, 5, 6],
  );
  // Each change's `from` is the previous revision's `to`: the chain has no gaps.
  for (let i = 1; i < history.length; i++) assert.deepEqual(history[i]!.from, history[i - 1]!.to);
  assert.deepEqual((await deployments.get(model)).routes, history.at(-1)!.to.routes);
});
