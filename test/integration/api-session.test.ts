// Web console sessions against the real stack: a token exchanged for a sealed HttpOnly cookie, CSRF on
// every change made with it, roles as the token's, sign-out, expiry, failed sign-ins limited and
// audited, and no spelling of a path that gets a cookie past authentication.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import type { PipelineSpec } from '../../core/pipeline-spec/schema.js';
import { assertProblem, auth, createApiHarness, json, tokens, type ApiHarness } from '../helpers/api.js';
import { pathSpellingArb, rawRequest } from '../helpers/path-spellings.js';
import { createHarness, eventually, type Harness } from '../helpers/pipeline.js';

const secret = 'session-test-secret-0123456789abcdef';
let h: Harness;
let api: ApiHarness;
let spec: PipelineSpec;

before(async () => {
  h = await createHarness({ worker: false });
  api = await createApiHarness(h, {
    session: { secret, ttlMs: 8 * 3_600_000, signInFailuresPerMinute: 5 },
  });
  spec = h.spec();
});
after(async () => {
  await api.close();
  await h.close();
});

interface SignedIn {
  cookie: string;
  csrfToken: string;
  body: Record<string, unknown>;
  res: LightMyRequestResponse;
}

async function signIn(app = api.app, token: string, remoteAddress?: string): Promise<SignedIn> {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/session',
    payload: { token },
    ...(remoteAddress ? { remoteAddress } : {}),
  });
  assert.equal(res.statusCode, 200, res.body);
  const cookie = res.cookies.find((c) => c.name === 'ferry_session');
  assert.ok(cookie, 'the session cookie is set');
  return { cookie: cookie.value, csrfToken: String(json(res).csrfToken), body: json(res), res };
}

const withCookie = (s: { cookie: string }, csrf?: string) => ({
  cookie: `ferry_session=${s.cookie}`,
  ...(csrf !== undefined ? { 'x-ferry-csrf': csrf } : {}),
});

async function auditEvent(requestId: string): Promise<Record<string, unknown>> {
  return eventually(`the audit event of request ${requestId}`, async () => {
    const res = await api.app.inject({ url: '/v1/audit?limit=1000', headers: auth('admin') });
    const events = (json(res) as { events: Record<string, unknown>[] }).events;
    return events.find((e) => e.requestId === requestId);
  });
}

test('a token is exchanged for an HttpOnly, SameSite=Strict cookie that authenticates reads as the token', async () => {
  const s = await signIn(api.app, tokens.operator.secret);
  assert.deepEqual(Object.keys(s.body).sort(), ['csrfToken', 'expiresAt', 'identity', 'role']);
  assert.equal(s.body.identity, tokens.operator.name);
  assert.equal(s.body.role, 'operator');
  assert.match(s.csrfToken, /^[A-Za-z0-9_-]{32}$/);
  const ttl = Date.parse(String(s.body.expiresAt)) - Date.now();
  assert.ok(ttl > 8 * 3_600_000 - 60_000 && ttl <= 8 * 3_600_000, `expires in ${ttl} ms`);
  const cookie = s.res.cookies.find((c) => c.name === 'ferry_session')!;
  assert.deepEqual(
    { httpOnly: cookie.httpOnly, sameSite: cookie.sameSite, path: cookie.path, secure: cookie.secure },
    { httpOnly: true, sameSite: 'Strict', path: '/', secure: undefined },
  );
  assert.equal(cookie.maxAge, 8 * 3600);
  // The cookie is sealed: neither the token, nor the name, nor the CSRF token can be read from it.
  const parts = cookie.value.split('.');
  assert.equal(parts.length, 5, 'a compact JWE');
  assert.deepEqual(JSON.parse(Buffer.from(parts[0]!, 'base64url').toString()), {
    alg: 'dir',
    enc: 'A256GCM',
  });
  for (const hidden of [tokens.operator.secret, tokens.operator.name, s.csrfToken, 'operator'])
    for (const part of parts) assert.ok(!Buffer.from(part, 'base64url').toString('latin1').includes(hidden));

  const whoami = await api.app.inject({ url: '/v1/whoami', headers: withCookie(s) });
  assert.deepEqual(json(whoami), { name: tokens.operator.name, role: 'operator' });
  const current = await api.app.inject({ url: '/v1/session', headers: withCookie(s) });
  assert.equal(current.statusCode, 200);
  assert.deepEqual(json(current), s.body);
  // A bearer call has no session to describe.
  assertProblem(
    await api.app.inject({ url: '/v1/session', headers: auth('operator') }),
    401,
    'unauthenticated',
    /no session/,
  );
  // An Authorization header wins over the cookie, even a bad one.
  assertProblem(
    await api.app.inject({
      url: '/v1/whoami',
      headers: { ...withCookie(s), authorization: 'Bearer not-a-valid-token' },
    }),
    401,
    'unauthenticated',
    /bearer token is not valid/,
  );
});

test('a change made with the cookie needs the CSRF header: missing or wrong is 403 csrf, right is accepted', async () => {
  const s = await signIn(api.app, tokens.approver.secret);
  const put = (headers: Record<string, string>) =>
    api.app.inject({ method: 'PUT', url: `/v1/pipelines/${spec.name}`, headers, payload: spec });
  assertProblem(await put(withCookie(s)), 403, 'csrf', /x-ferry-csrf/);
  assertProblem(await put(withCookie(s, `${s.csrfToken.slice(0, -1)}x`)), 403, 'csrf');
  assertProblem(await put(withCookie(s, '')), 403, 'csrf');
  // Another session's CSRF token is not this one's.
  const other = await signIn(api.app, tokens.approver.secret);
  assertProblem(await put(withCookie(s, other.csrfToken)), 403, 'csrf');
  assert.equal(
    (await api.app.inject({ url: `/v1/pipelines/${spec.name}`, headers: auth('viewer') })).statusCode,
    404,
    'nothing was registered by the refused calls',
  );
  const ok = await put(withCookie(s, s.csrfToken));
  assert.equal(ok.statusCode, 201, ok.body);
  assert.equal(json(ok).updatedBy, tokens.approver.name);
  // Bearer calls need no CSRF header.
  const again = await api.app.inject({
    method: 'PUT',
    url: `/v1/pipelines/${spec.name}`,
    headers: auth('approver'),
    payload: spec,
  });
  assert.equal(again.statusCode, 200, again.body);
});

test("a viewer's cookie cannot approve, even with the CSRF token", async () => {
  const s = await signIn(api.app, tokens.viewer.secret);
  assertProblem(
    await api.app.inject({
      method: 'POST',
      url: '/v1/runs/train-x-20261204T000000Z-00000000/approve',
      headers: withCookie(s, s.csrfToken),
      payload: { comment: 'looks fine' },
    }),
    403,
    'forbidden',
    /role "viewer" may not do this; it needs "approver"/,
  );
});

test('sign-out needs the CSRF token, clears the cookie and invalidates the session; both are audited', async () => {
  const s = await signIn(api.app, tokens.admin.secret);
  const signInEvent = await auditEvent(String(s.res.headers['x-request-id']));
  assert.equal(signInEvent.who, tokens.admin.name);
  assert.equal(signInEvent.action, 'POST /v1/session');
  assert.equal(signInEvent.result, 'ok');
  assert.match(String(signInEvent.detail), /^signed in; session [0-9a-f-]{36} until /);

  assertProblem(
    await api.app.inject({ method: 'DELETE', url: '/v1/session', headers: withCookie(s) }),
    403,
    'csrf',
  );
  const out = await api.app.inject({
    method: 'DELETE',
    url: '/v1/session',
    headers: withCookie(s, s.csrfToken),
  });
  assert.equal(out.statusCode, 204, out.body);
  const cleared = out.cookies.find((c) => c.name === 'ferry_session');
  assert.ok(cleared && cleared.value === '' && cleared.expires! <= new Date(), 'the cookie is cleared');
  const signOutEvent = await auditEvent(String(out.headers['x-request-id']));
  assert.deepEqual(
    [signOutEvent.who, signOutEvent.action, signOutEvent.status],
    [tokens.admin.name, 'DELETE /v1/session', 204],
  );
  // The old cookie no longer works, for reads or anything else, even presented again as it was.
  for (const req of [
    { url: '/v1/whoami' },
    { url: '/v1/session' },
    { method: 'DELETE' as const, url: '/v1/session' },
  ])
    assertProblem(
      await api.app.inject({ ...req, headers: withCookie(s, s.csrfToken) }),
      401,
      'unauthenticated',
      /session is not valid or has expired/,
    );
});

test('an expired, tampered or foreign session cookie is 401, and so is a bad token at sign-in', async () => {
  const s = await signIn(api.app, tokens.operator.secret);
  // The same secret, nine hours later: the eight-hour session is over.
  const later = await createApiHarness(h, {
    session: { secret, ttlMs: 8 * 3_600_000, signInFailuresPerMinute: 5 },
    now: () => new Date(Date.now() + 9 * 3_600_000),
  });
  const elsewhere = await createApiHarness(h, {
    session: { secret: 'another-secret-0123456789abcdefghij', ttlMs: 3_600_000, signInFailuresPerMinute: 5 },
  });
  try {
    assertProblem(
      await later.app.inject({ url: '/v1/whoami', headers: withCookie(s) }),
      401,
      'unauthenticated',
      /expired/,
    );
    // One hour later it still works there: it is the clock that ended it, not the other process.
    const sameSecret = await createApiHarness(h, {
      session: { secret, ttlMs: 8 * 3_600_000, signInFailuresPerMinute: 5 },
      now: () => new Date(Date.now() + 3_600_000),
    });
    try {
      assert.equal(
        (await sameSecret.app.inject({ url: '/v1/whoami', headers: withCookie(s) })).statusCode,
        200,
      );
    } finally {
      await sameSecret.close();
    }
    assertProblem(
      await elsewhere.app.inject({ url: '/v1/whoami', headers: withCookie(s) }),
      401,
      'unauthenticated',
    );
  } finally {
    await later.close();
    await elsewhere.close();
  }
  const parts = s.cookie.split('.');
  const flipped = (i: number) =>
    parts.map((p, j) => (j === i ? (p[0] === 'A' ? `B${p.slice(1)}` : `A${p.slice(1)}`) : p)).join('.');
  for (const cookie of [flipped(0), flipped(2), flipped(3), flipped(4), 'garbage', ''])
    assertProblem(
      await api.app.inject({ url: '/v1/whoami', headers: { cookie: `ferry_session=${cookie}` } }),
      401,
      'unauthenticated',
    );
  assertProblem(
    await api.app.inject({ method: 'POST', url: '/v1/session', payload: { token: 'not-a-token' } }),
    401,
    'unauthenticated',
    /token is not valid/,
  );
  const refused = await api.app.inject({
    method: 'POST',
    url: '/v1/session',
    payload: { token: `${tokens.admin.secret}x` },
  });
  assertProblem(refused, 401, 'unauthenticated');
  assert.equal(refused.cookies.length, 0, 'no cookie for a bad token');
  const event = await auditEvent(String(refused.headers['x-request-id']));
  assert.deepEqual([event.who, event.status, event.result], ['anonymous', 401, 'refused']);
});

test('failed sign-ins are limited per address; successes are not counted and other addresses are unaffected', async () => {
  const address = '10.77.0.1';
  // Successes first: they cost nothing.
  for (let i = 0; i < 6; i++) await signIn(api.app, tokens.viewer.secret, address);
  for (let i = 0; i < 5; i++)
    assertProblem(
      await api.app.inject({
        method: 'POST',
        url: '/v1/session',
        payload: { token: `guess-${i}` },
        remoteAddress: address,
      }),
      401,
      'unauthenticated',
    );
  // The limit reached, even the right token waits.
  const limited = await api.app.inject({
    method: 'POST',
    url: '/v1/session',
    payload: { token: tokens.viewer.secret },
    remoteAddress: address,
  });
  assertProblem(limited, 429, 'rate-limited', /too many failed sign-ins/);
  assert.ok(Number(limited.headers['retry-after']) > 0 && Number(limited.headers['retry-after']) <= 60);
  await signIn(api.app, tokens.viewer.secret, '10.77.0.2');
});

test('no spelling of a path gets a bad cookie past authentication, a viewer cookie past its role, or a cookie change past CSRF', async () => {
  await api.app.listen({ host: '127.0.0.1', port: 0 });
  const port = (api.app.server.address() as { port: number }).port;
  const viewer = await signIn(api.app, tokens.viewer.secret);
  const operator = await signIn(api.app, tokens.operator.secret);
  const run = 'train-x-20261204T000000Z-00000000';
  const cases = fc.constantFrom(
    // A forged cookie, on a read and on a change.
    { method: 'GET', path: '/v1/runs', headers: { cookie: 'ferry_session=forged' }, refused: 401 },
    {
      method: 'POST',
      path: `/v1/runs/${run}/cancel`,
      headers: { cookie: 'ferry_session=a.b.c.d.e' },
      refused: 401,
    },
    // A valid viewer cookie with its CSRF token on an approver's route.
    {
      method: 'POST',
      path: `/v1/runs/${run}/approve`,
      headers: withCookie(viewer, viewer.csrfToken),
      refused: 403,
    },
    // A valid operator cookie with no CSRF token on an operator's change.
    { method: 'POST', path: `/v1/runs/${run}/cancel`, headers: withCookie(operator), refused: 403 },
    { method: 'DELETE', path: '/v1/session', headers: withCookie(operator), refused: 403 },
  );
  const seen = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(
      cases.chain((c) => fc.record({ c: fc.constant(c), path: pathSpellingArb(c.path) })),
      async ({ c, path }) => {
        const res = await rawRequest(port, c.method, path, c.headers);
        seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
        const what = `${c.method} ${path} → ${res.status}: ${res.body.slice(0, 200)}`;
        // A spelling no route matched is 404, or 405 to a caller with valid credentials (as with a bearer token).
        const unmatched = res.status === 404 || (res.status === 405 && c.refused === 403);
        assert.ok(res.status === c.refused || unmatched, what);
      },
    ),
    { numRuns: 400, seed: 20261204, endOnFailure: true },
  );
  assert.ok((seen.get(401) ?? 0) > 40 && (seen.get(403) ?? 0) > 60, JSON.stringify([...seen]));
  // And the operator's session still works after all that.
  assert.equal((await api.app.inject({ url: '/v1/whoami', headers: withCookie(operator) })).statusCode, 200);
});
