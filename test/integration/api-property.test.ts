// Property-based: generated params, query strings, headers and bodies thrown at every route of the
// OpenAPI document never produce a 5xx, and every answer conforms to the documented schema
// (problem+json for errors); and no spelling of any route's path gets past authentication.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Ajv } from 'ajv';
import { auth, createApiHarness, tokens, type ApiHarness, type TokenName } from '../helpers/api.js';
import { createHarness, type Harness } from '../helpers/pipeline.js';
import { pathSpellingArb, rawRequest } from '../helpers/path-spellings.js';

interface Operation {
  method: string;
  path: string;
  parameters?: { in: string; name: string; schema?: Record<string, unknown> }[];
  responses: Record<string, { content?: Record<string, { schema?: Record<string, unknown> }> }>;
  security?: Record<string, string[]>[];
}

let h: Harness;
let api: ApiHarness;
let port: number;
let operations: Operation[];
let globalSecurity: Record<string, string[]>[] | undefined;
let ajv: Ajv;

before(async () => {
  h = await createHarness({ worker: false });
  api = await createApiHarness(h, {
    limits: { rateLimitPerMinute: 1_000_000, maxUploadBytes: 64 * 1024, bodyLimitBytes: 64 * 1024 },
    // Both switches on, so the spelling property covers /metrics and /docs as well.
    requireToken: { metrics: true, docs: true },
  });
  const doc = (await api.app.inject({ url: '/docs/json', headers: auth('viewer') })).json() as {
    paths: Record<string, Record<string, Omit<Operation, 'method' | 'path'>>>;
    components?: { schemas?: Record<string, unknown> };
    security?: Record<string, string[]>[];
  };
  globalSecurity = doc.security;
  operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ ...op, method: method.toUpperCase(), path })),
  );
  await api.app.listen({ host: '127.0.0.1', port: 0 });
  port = (api.app.server.address() as { port: number }).port;
  ajv = new Ajv({ strict: false, allErrors: true });
  // fastify-swagger names shared schemas def-N; responses point at them with #/components/schemas/…
  ajv.addSchema({ $id: 'doc', components: doc.components ?? {} });
});
after(async () => {
  await api.close();
  await h.close();
});

const nasty = [
  '',
  ' ',
  '..',
  '../../etc/passwd',
  '%2e%2e%2f',
  'a'.repeat(300),
  '💥',
  "x'; DROP TABLE runs; --",
  '${jndi:x}',
  '\u0000',
  'churn',
  'train-churn-x',
  '1',
  '-1',
  '1e309',
  'null',
  'true',
  '[]',
  '{}',
];
const segment = fc.oneof(
  fc.constantFrom(...nasty),
  fc.string({ maxLength: 40 }),
  fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,20}$/),
);
const bodyArb = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue({ maxDepth: 3 }),
  fc.dictionary(
    fc.constantFrom(
      'comment',
      'reason',
      'approval',
      'dataset',
      'toVersion',
      'sql',
      'cron',
      'name',
      'task',
      'overrides',
      'paused',
      'extra',
    ),
    fc.jsonValue({ maxDepth: 2 }),
  ),
  fc.string({ maxLength: 200 }),
);
const tokenArb = fc.constantFrom<TokenName | 'none' | 'bogus'>(
  'viewer',
  'operator',
  'approver',
  'admin',
  'none',
  'bogus',
);

/** Whether the operation answers a server-sent event stream. */
const isEventStream = (op: Operation) => op.responses['200']?.content?.['text/event-stream'] !== undefined;

function validatorFor(op: Operation, status: number, contentType: string) {
  const entry = op.responses[String(status)] ?? op.responses.default;
  const schema =
    entry?.content?.[contentType.split(';')[0]!]?.schema ?? entry?.content?.['application/json']?.schema;
  if (!schema) return undefined;
  const rewritten = JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"doc#/components/'));
  return ajv.compile(rewritten);
}

test(
  'generated requests to every documented route never get a 5xx and always get a documented shape',
  { timeout: 600_000 },
  async () => {
    assert.ok(operations.length >= 8, `expected the documented routes, found ${operations.length}`);
    // Event streams stay open while their run or list lives, which inject() would wait for: their
    // refusals and events are covered by test/integration/api-streams.test.ts.
    const v1 = operations.filter((o) => o.path.startsWith('/v1/') && !isEventStream(o));
    assert.deepEqual(
      operations
        .filter(isEventStream)
        .map((o) => `${o.method} ${o.path}`)
        .sort(),
      ['GET /v1/runs/stream', 'GET /v1/runs/{runId}/stream'].sort(),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...v1.map((o) => `${o.method} ${o.path}`)),
        fc.array(segment, { minLength: 4, maxLength: 4 }),
        fc.dictionary(
          fc.constantFrom(
            'pipeline',
            'model',
            'status',
            'stage',
            'pageSize',
            'cursor',
            'metric',
            'limit',
            'zzz',
          ),
          fc.oneof(segment, fc.integer().map(String)),
        ),
        bodyArb,
        tokenArb,
        fc.constantFrom('application/json', 'text/csv', 'text/plain', 'application/octet-stream'),
        async (opName, segments, query, body, token, contentType) => {
          const op = v1.find((o) => `${o.method} ${o.path}` === opName)!;
          let i = 0;
          const url = op.path.replace(/\{[^}]+\}/g, () =>
            encodeURIComponent(segments[i++ % segments.length]!),
          );
          const qs = new URLSearchParams(query).toString();
          const headers: Record<string, string> = {
            ...(token === 'none' ? {} : token === 'bogus' ? { authorization: 'Bearer bogus' } : auth(token)),
            ...(body !== undefined ? { 'content-type': contentType } : {}),
          };
          const payload =
            body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
          const res = await api.app.inject({
            method: op.method as 'GET',
            url: qs ? `${url}?${qs}` : url,
            headers,
            ...(payload !== undefined ? { payload } : {}),
          });
          assert.ok(
            res.statusCode < 500,
            `${op.method} ${url}?${qs} (${token}, ${contentType}) → ${res.statusCode}: ${res.body.slice(0, 500)}`,
          );
          const type = String(res.headers['content-type'] ?? '');
          if (res.statusCode >= 400) {
            assert.match(
              type,
              /^application\/problem\+json/,
              `${op.method} ${url} → ${res.statusCode} with ${type}`,
            );
            const problem = res.json() as { status: number; code: string; title: string };
            assert.equal(problem.status, res.statusCode);
            assert.equal(typeof problem.code, 'string');
          }
          if (type.includes('json') && res.body.length > 0) {
            const validate = validatorFor(op, res.statusCode, type);
            if (validate)
              assert.ok(
                validate(res.json()),
                `${op.method} ${url} → ${res.statusCode} does not match its schema: ${ajv.errorsText(validate.errors)}; body ${res.body.slice(0, 300)}`,
              );
          }
        },
      ),
      { numRuns: 1000, seed: 20261127, endOnFailure: true },
    );
  },
);

/** Whether the document says the operation needs no token (an empty `security` overrides the global one). */
const isPublic = (op: Operation) => (op.security ?? globalSecurity ?? []).length === 0;

test('only the health routes and sign-in are documented as needing no token; every other operation declares bearer auth', () => {
  // Sign-in takes its token in the body (test/integration/api-session.test.ts covers it).
  assert.deepEqual(
    operations.filter(isPublic).map((o) => `${o.method} ${o.path}`),
    ['GET /healthz', 'GET /readyz', 'POST /v1/session'],
  );
  for (const op of operations.filter((o) => !isPublic(o))) {
    assert.deepEqual(op.security ?? globalSecurity, [{ bearerAuth: [] }], `${op.method} ${op.path}`);
    assert.ok(op.responses['401'], `${op.method} ${op.path} documents its 401`);
  }
});

/** Authorization headers that do not carry a valid token. */
const noValidToken = fc.constantFrom<Record<string, string>>(
  {},
  { authorization: 'Bearer bogus' },
  { authorization: `Bearer ${tokens.admin.secret}x` },
  { authorization: `Bearer ${tokens.admin.secret.slice(0, -1)}` },
  { authorization: `Bearer ${tokens.admin.secret.toUpperCase()}` },
  { authorization: `Basic ${Buffer.from(`${tokens.admin.name}:${tokens.admin.secret}`).toString('base64')}` },
  { authorization: 'Bearer' },
  { authorization: '' },
);

test(
  "without a valid token, every spelling of every protected route's path is 401 or 404, never 2xx, 3xx or 5xx",
  { timeout: 600_000 },
  async () => {
    // Every documented operation that is not public, plus the undocumented routes the switches protect.
    const targets = [
      ...operations.filter((o) => !isPublic(o)),
      ...['/metrics', '/docs', '/docs/json', '/docs/yaml', '/docs/static/index.html'].map((path) => ({
        method: 'GET',
        path,
        parameters: [],
      })),
    ];
    assert.ok(targets.filter((t) => t.path.startsWith('/v1/')).length >= 20, `${targets.length} targets`);
    // A concrete path per operation: each {param} gets a value its schema accepts (an enum's first value).
    const concrete = (op: Pick<Operation, 'path' | 'parameters'>) =>
      op.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
        const schema = op.parameters?.find((p) => p.in === 'path' && p.name === name)?.schema ?? {};
        if (Array.isArray(schema.enum)) return String(schema.enum[0]);
        return schema.type === 'integer' || schema.type === 'number' ? '1' : 'churn';
      });
    const target = fc.constantFrom(...targets).chain((op) =>
      fc.record({
        method: fc.constantFrom(...(op.method === 'GET' ? ['GET', 'HEAD'] : [op.method])),
        path: pathSpellingArb(concrete(op)),
        route: fc.constant(`${op.method} ${op.path}`),
      }),
    );
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(target, noValidToken, async ({ method, path, route }, headers) => {
        const res = await rawRequest(port, method, path, headers);
        seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
        const what = `${method} ${path} (${route}, ${JSON.stringify(headers)}) → ${res.status}: ${res.body.slice(0, 300)}`;
        assert.ok(res.status === 401 || res.status === 404, what);
        if (method === 'HEAD') return;
        assert.match(res.contentType, /^application\/problem\+json/, what);
        const problem = JSON.parse(res.body) as { code: string };
        assert.equal(problem.code, res.status === 401 ? 'unauthenticated' : 'route-not-found', what);
      }),
      { numRuns: 2000, seed: 20261202, endOnFailure: true },
    );
    // The property is only worth something if many spellings reached a route and were refused there.
    assert.ok((seen.get(401) ?? 0) > 300, `answers by status: ${JSON.stringify([...seen])}`);
  },
);
