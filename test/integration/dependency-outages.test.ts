// Dependency outages answer fast and honestly: with object storage or Temporal refused or frozen,
// the API answers 503 problem+json with Retry-After within about a second (not a 500 after 20 s),
// and readiness tells "can serve predictions" apart from "can run pipelines".
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { fastTemporalOptions } from '../../core/dependencies.js';
import { createRegistry } from '../../core/registry/registry.js';
import { createObjectStore } from '../../core/storage/object-store.js';
import { assertProblem, auth, createApiHarness, type ApiHarness } from '../helpers/api.js';
import { createHarness, type Harness } from '../helpers/pipeline.js';

let h: Harness;
const opened: ApiHarness[] = [];
const servers: Server[] = [];
const sockets: Socket[] = [];

before(async () => {
  h = await createHarness({ worker: false });
});
after(async () => {
  for (const a of opened) await a.close();
  for (const s of sockets) s.destroy();
  for (const s of servers) await new Promise((r) => s.close(r));
  await h.close();
});

/** A port nothing listens on: connections are refused, as with a stopped server. */
async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

/** A port that accepts connections and never answers, as a frozen (SIGSTOPped) server does. */
async function frozenPort(): Promise<number> {
  const server = createServer((socket) => void sockets.push(socket));
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return (server.address() as { port: number }).port;
}

const timeoutMs = 1000;

/** The API with its storage (for the registry and readiness) at `port`. */
async function apiWithStorageAt(port: number): Promise<ApiHarness> {
  const store = createObjectStore({
    ...h.config.s3,
    endpoint: `http://127.0.0.1:${port}`,
    connectTimeoutMs: timeoutMs,
    callTimeoutMs: timeoutMs,
  });
  const api = await createApiHarness(h, {
    store,
    registry: createRegistry({ store }),
    dependencyTimeoutMs: timeoutMs,
  });
  opened.push(api);
  return api;
}

/** The API with its Temporal connection at `port` (connected lazily, as after an outage began). */
async function apiWithTemporalAt(port: number): Promise<ApiHarness> {
  const temporal = await Connection.lazy(fastTemporalOptions(`127.0.0.1:${port}`, timeoutMs));
  const api = await createApiHarness(h, {
    temporal,
    client: new Client({ connection: temporal, namespace: h.config.temporal.namespace }),
    dependencyTimeoutMs: timeoutMs,
  });
  opened.push(api);
  return api;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

for (const [state, port] of [
  ['refused', refusedPort],
  ['frozen', frozenPort],
] as const) {
  test(`with object storage ${state}, listing models answers 503 problem+json with Retry-After within 2 s`, async () => {
    const api = await apiWithStorageAt(await port());
    const { value: res, ms } = await timed(() =>
      api.app.inject({ url: '/v1/models', headers: auth('viewer') }),
    );
    assertProblem(res, 503, 'dependency-unavailable', /^object storage is unavailable; retry in 2 s$/);
    assert.equal(res.headers['retry-after'], '2');
    assert.ok(ms < 2000, `answered after ${Math.round(ms)} ms`);
  });

  test(`with Temporal ${state}, listing runs answers 503 problem+json with Retry-After within 2 s`, async () => {
    const api = await apiWithTemporalAt(await port());
    const { value: res, ms } = await timed(() =>
      api.app.inject({ url: '/v1/runs', headers: auth('viewer') }),
    );
    assertProblem(res, 503, 'dependency-unavailable', /^Temporal is unavailable; retry in 2 s$/);
    assert.equal(res.headers['retry-after'], '2');
    assert.ok(ms < 2000, `answered after ${Math.round(ms)} ms`);
  });
}

test('with Temporal frozen, readiness for serving stays 200 while readiness for pipelines answers 503 within 2 s', async () => {
  const api = await apiWithTemporalAt(await frozenPort());
  const serving = await api.app.inject({ url: '/readyz?scope=serving' });
  assert.equal(serving.statusCode, 200, serving.body);
  assert.deepEqual(serving.json().checks, { objectStore: 'ok' });
  const { value: pipelines, ms } = await timed(() => api.app.inject({ url: '/readyz?scope=pipelines' }));
  assert.equal(pipelines.statusCode, 503, pipelines.body);
  assert.equal(pipelines.json().checks.objectStore, 'ok');
  assert.notEqual(pipelines.json().checks.temporal, 'ok');
  assert.ok(ms < 2000, `answered after ${Math.round(ms)} ms`);
});

test('with object storage frozen and no model loaded, readiness for serving answers 503 within 2 s', async () => {
  const api = await apiWithStorageAt(await frozenPort());
  const { value: res, ms } = await timed(() => api.app.inject({ url: '/readyz?scope=serving' }));
  assert.equal(res.statusCode, 503, res.body);
  assert.equal(res.json().loadedModels, 0);
  assert.ok(ms < 2000, `answered after ${Math.round(ms)} ms`);
});
