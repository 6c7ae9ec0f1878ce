// The auth plugin on a bare Fastify app: routes fail closed, and a route cannot opt out where it must not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify, { type FastifyInstance } from 'fastify';
import { authPlugin, RouteAuthConfigError } from '../../api/plugins/auth.js';
import { registerProblemHandlers } from '../../api/problem.js';
import { auth, storedTokens } from '../helpers/api.js';

async function appWith(register: (app: FastifyInstance) => void): Promise<FastifyInstance> {
  const app = Fastify();
  registerProblemHandlers(app);
  await app.register(authPlugin, { tokens: storedTokens });
  register(app);
  await app.ready();
  return app;
}

test('a route that declares neither minRole nor public needs a valid token of any role', async () => {
  const app = await appWith((a) => a.get('/anything', async (req) => ({ who: req.identity?.name })));
  assert.equal((await app.inject({ url: '/anything' })).statusCode, 401);
  assert.equal(
    (await app.inject({ url: '/anything', headers: { authorization: 'Bearer bogus' } })).statusCode,
    401,
  );
  const ok = await app.inject({ url: '/anything', headers: auth('viewer') });
  assert.equal(ok.statusCode, 200);
  assert.deepEqual(ok.json(), { who: 'vera-viewer' });
  await app.close();
});

test('a public route answers without a token, ignores a bogus one and still recognises a valid one', async () => {
  const app = await appWith((a) =>
    a.get('/probe', { config: { public: true } }, async (req) => ({ who: req.identity?.name ?? null })),
  );
  assert.deepEqual((await app.inject({ url: '/probe' })).json(), { who: null });
  assert.deepEqual((await app.inject({ url: '/probe', headers: { authorization: 'Bearer bogus' } })).json(), {
    who: null,
  });
  assert.deepEqual((await app.inject({ url: '/probe', headers: auth('admin') })).json(), {
    who: 'ann-admin',
  });
  await app.close();
});

test('a route with a minRole is 401 without a token and 403 below the role, before its body is read', async () => {
  let bodies = 0;
  const app = await appWith((a) =>
    a.post(
      '/v1/things',
      {
        config: { minRole: 'approver' },
        preValidation: async () => {
          bodies++;
        },
      },
      async () => ({ ok: true }),
    ),
  );
  assert.equal((await app.inject({ method: 'POST', url: '/%761/things', payload: {} })).statusCode, 401);
  const refused = await app.inject({
    method: 'POST',
    url: '/v1/things',
    headers: auth('operator'),
    payload: {},
  });
  assert.equal(refused.statusCode, 403);
  assert.equal(bodies, 0);
  assert.equal(
    (await app.inject({ method: 'POST', url: '/v1/things', headers: auth('approver'), payload: {} }))
      .statusCode,
    200,
  );
  await app.close();
});

test('an app refuses to start with a public route under /v1 or a public route that declares a role', async () => {
  await assert.rejects(
    appWith((a) => a.get('/v1/open', { config: { public: true } }, async () => ({}))),
    (err: unknown) =>
      err instanceof RouteAuthConfigError &&
      err.route === 'GET /v1/open' &&
      err.rule === 'routes under /v1 always need a token; remove `public`',
  );
  await assert.rejects(
    appWith((a) => a.get('/status', { config: { public: true, minRole: 'viewer' } }, async () => ({}))),
    (err: unknown) =>
      err instanceof RouteAuthConfigError && err.rule === 'a public route cannot also declare a `minRole`',
  );
});

test('only POST /v1/session may take its credential in the body (`signIn`), and never with a role', async () => {
  for (const [path, config] of [
    ['/v1/login', { signIn: true }],
    ['/v1/session', { signIn: true, minRole: 'viewer' as const }],
  ] as const)
    await assert.rejects(
      appWith((a) => a.post(path, { config }, async () => ({}))),
      (err: unknown) =>
        err instanceof RouteAuthConfigError &&
        err.route === `POST ${path}` &&
        err.rule === '`signIn` is for POST /v1/session alone, without a `minRole`',
    );
});
