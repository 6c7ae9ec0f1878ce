// The web console's static serving at /ui, over a small built folder made here: index.html never
// cached, hashed assets cached for good, deep links answered with the page, security headers on /ui
// only, nothing outside the folder reachable, and a clear 503 when the console is not built.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertProblem, auth, createApiHarness, type ApiHarness } from '../helpers/api.js';
import { rawRequest } from '../helpers/path-spellings.js';
import { createHarness, type Harness } from '../helpers/pipeline.js';

const index =
  '<!doctype html><html><head><script type="module" src="/ui/assets/app-3f2a1b9c.js"></script></head><body><div id="app"></div></body></html>';
const script = 'document.getElementById("app").textContent = "ferry";\n';
let h: Harness;
let api: ApiHarness;
let dist: string;

before(async () => {
  h = await createHarness({ worker: false });
  dist = await mkdtemp(join(tmpdir(), 'ferry-ui-dist-'));
  await mkdir(join(dist, 'assets'));
  await writeFile(join(dist, 'index.html'), index);
  await writeFile(join(dist, 'assets', 'app-3f2a1b9c.js'), script);
  await writeFile(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  await writeFile(join(dist, '.env'), 'SECRET=1');
  // A file beside the folder, which no path under /ui may reach.
  await writeFile(join(dist, '..', `${dist.split('/').at(-1)}-secret.txt`), 'outside');
  api = await createApiHarness(h, { uiDir: dist });
});
after(async () => {
  await api.close();
  await h.close();
  await rm(dist, { recursive: true, force: true });
  await rm(`${dist}-secret.txt`, { force: true });
});

test('/ui redirects to /ui/, which answers the page uncached with the console security headers', async () => {
  const bare = await api.app.inject({ url: '/ui' });
  assert.equal(bare.statusCode, 301);
  assert.equal(bare.headers.location, '/ui/');
  const page = await api.app.inject({ url: '/ui/' });
  assert.equal(page.statusCode, 200);
  assert.equal(page.body, index);
  assert.match(String(page.headers['content-type']), /^text\/html/);
  assert.equal(page.headers['cache-control'], 'no-cache');
  const csp = String(page.headers['content-security-policy']);
  for (const directive of [
    "default-src 'self'",
    "script-src 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ])
    assert.ok(csp.split(';').includes(directive), `${directive} in ${csp}`);
  assert.equal(page.headers['x-content-type-options'], 'nosniff');
  assert.equal(page.headers['x-frame-options'], 'DENY');
  assert.equal(page.headers['referrer-policy'], 'no-referrer');
  assert.equal(page.headers['strict-transport-security'], undefined, 'no HSTS over plain HTTP');
  // The API's own answers are untouched by the console's headers.
  const api2 = await api.app.inject({ url: '/v1/whoami', headers: auth('viewer') });
  assert.equal(api2.headers['content-security-policy'], undefined);
});

test('deep links get the page; hashed assets are immutable; a missing asset is 404, not the page', async () => {
  for (const url of [
    '/ui/runs/train-churn-20261204T000000Z-1',
    '/ui/approvals?pipeline=churn',
    '/ui/models/churn/versions/3',
  ]) {
    const res = await api.app.inject({ url });
    assert.equal(res.statusCode, 200, url);
    assert.equal(res.body, index, url);
    assert.equal(res.headers['cache-control'], 'no-cache', url);
  }
  const asset = await api.app.inject({ url: '/ui/assets/app-3f2a1b9c.js' });
  assert.equal(asset.statusCode, 200);
  assert.equal(asset.body, script);
  assert.match(String(asset.headers['content-type']), /javascript/);
  assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
  const icon = await api.app.inject({ url: '/ui/favicon.svg' });
  assert.equal(icon.statusCode, 200);
  assert.equal(icon.headers['cache-control'], 'no-cache');
  assertProblem(await api.app.inject({ url: '/ui/assets/app-00000000.js' }), 404, 'not-found', /no asset/);
  // Not a page to change: other methods are refused as on any unknown route.
  const post = await api.app.inject({ method: 'POST', url: '/ui/', payload: {} });
  assert.ok([404, 405].includes(post.statusCode), String(post.statusCode));
});

test('no spelling of a path under /ui reaches a dot file or a file outside the folder', async () => {
  await api.app.listen({ host: '127.0.0.1', port: 0 });
  const port = (api.app.server.address() as { port: number }).port;
  const name = `${dist.split('/').at(-1)}-secret.txt`;
  for (const path of [
    '/ui/.env',
    '/ui/%2eenv',
    `/ui/../${name}`,
    `/ui/..%2f${name}`,
    `/ui/%2e%2e/${name}`,
    `/ui/%2e%2e%2f${name}`,
    `/ui/assets/..%2f..%2f${name}`,
    '/ui/..%2f..%2f..%2fetc%2fpasswd',
  ]) {
    const res = await rawRequest(port, 'GET', path, {});
    assert.ok(
      !res.body.includes('outside') && !res.body.includes('SECRET') && !res.body.includes('root:'),
      `${path} → ${res.status}: ${res.body.slice(0, 100)}`,
    );
    assert.ok([200, 400, 403, 404].includes(res.status), `${path} → ${res.status}`);
  }
});

test('without a built console, /ui answers 503 saying to run npm run build:ui', async () => {
  const bare = await createApiHarness(h, { uiDir: join(dist, 'not-built') });
  try {
    for (const url of ['/ui/', '/ui/runs/x'])
      assertProblem(await bare.app.inject({ url }), 503, 'ui-not-built', /npm run build:ui/);
    assert.equal((await bare.app.inject({ url: '/ui' })).statusCode, 301);
  } finally {
    await bare.close();
  }
});
