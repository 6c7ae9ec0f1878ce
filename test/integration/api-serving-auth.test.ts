// The serving-only process (`npm run serve`) fails closed like the API: no spelling of a serving route's
// path gets past authentication, /metrics needs a token by default, and readiness tells details only
// to a caller with a valid token. Against the real MinIO.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { buildServingApp } from '../../api/serve-main.js';
import { createServing } from '../../core/serving/service.js';
import { auth, storedTokens, tokens } from '../helpers/api.js';
import { pathSpellingArb, rawRequest } from '../helpers/path-spellings.js';
import { createHarness, type Harness } from '../helpers/pipeline.js';

let h: Harness;
let replica: FastifyInstance;
let port: number;

before(async () => {
  h = await createHarness({ worker: false });
  const serving = createServing({ store: h.deps.store, metrics: h.deps.metrics, replicaId: `auth-${h.id}` });
  replica = await buildServingApp({ serving, store: h.deps.store, tokens: storedTokens });
  await replica.listen({ host: '127.0.0.1', port: 0 });
  port = (replica.server.address() as { port: number }).port;
});
after(async () => {
  await replica?.close();
  await h?.close();
});

test("without a valid token, every spelling of the replica's predict, feedback and metrics paths is 401 or 404", async () => {
  const targets = [
    { method: 'POST', path: '/v1/models/churn/predict' },
    { method: 'POST', path: '/v1/models/churn/feedback' },
    { method: 'GET', path: '/metrics' },
  ];
  const headers = fc.constantFrom<Record<string, string>>(
    {},
    { authorization: 'Bearer bogus' },
    { authorization: `Bearer ${tokens.viewer.secret}x` },
    { authorization: 'Basic abc' },
  );
  const seen = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(
      fc
        .constantFrom(...targets)
        .chain((t) => pathSpellingArb(t.path).map((path) => ({ method: t.method, path }))),
      headers,
      async ({ method, path }, sent) => {
        const res = await rawRequest(port, method, path, sent);
        seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
        assert.ok(
          res.status === 401 || res.status === 404,
          `${method} ${path} ${JSON.stringify(sent)} → ${res.status}: ${res.body.slice(0, 200)}`,
        );
      },
    ),
    { numRuns: 600, seed: 20261202, endOnFailure: true },
  );
  assert.ok((seen.get(401) ?? 0) > 100, `answers by status: ${JSON.stringify([...seen])}`);
  // The canonical spellings with a valid token do reach the routes.
  const metrics = await rawRequest(port, 'GET', '/metrics', auth('viewer'));
  assert.equal(metrics.status, 200);
  assert.equal((await rawRequest(port, 'GET', '/%6detrics', {})).status, 401);
});

test("the replica's readiness lists its loaded models only to a caller with a valid token", async () => {
  const anonymous = await replica.inject({ url: '/readyz' });
  assert.equal(anonymous.statusCode, 200);
  assert.deepEqual(anonymous.json(), { status: 'ready' });
  assert.deepEqual(
    (await replica.inject({ url: '/readyz', headers: { authorization: 'Bearer bogus' } })).json(),
    {
      status: 'ready',
    },
  );
  assert.deepEqual((await replica.inject({ url: '/readyz', headers: auth('viewer') })).json(), {
    status: 'ready',
    models: [],
  });
  assert.deepEqual((await replica.inject({ url: '/healthz' })).json(), { status: 'ok' });
});

test("the replica's readiness hides why storage failed from a caller without a valid token", async () => {
  const serving = createServing({ store: h.deps.store, metrics: h.deps.metrics, replicaId: `down-${h.id}` });
  const down = await buildServingApp({
    serving,
    store: { ...h.deps.store, ping: () => Promise.reject(new Error('connect ECONNREFUSED 10.1.2.3:9000')) },
    tokens: storedTokens,
    requireToken: { metrics: false },
  });
  try {
    const anonymous = await down.inject({ url: '/readyz' });
    assert.equal(anonymous.statusCode, 503);
    assert.deepEqual(anonymous.json(), { status: 'not-ready' });
    assert.deepEqual((await down.inject({ url: '/readyz', headers: auth('viewer') })).json(), {
      status: 'not-ready',
      error: 'connect ECONNREFUSED 10.1.2.3:9000',
    });
    // With the switch off, Prometheus scrapes without a token.
    assert.equal((await down.inject({ url: '/metrics' })).statusCode, 200);
  } finally {
    await down.close();
  }
});

test('a badly encoded path on the replica is a problem+json 400, as on the API', async () => {
  const res = await rawRequest(port, 'POST', '/v1/models/%zz/predict', {});
  assert.equal(res.status, 400);
  assert.match(res.contentType, /^application\/problem\+json/);
  assert.equal((JSON.parse(res.body) as { code: string }).code, 'bad-url');
});
