// The OpenAPI document is honest: it validates against the version it declares (openapi-spec-validator,
// installed with Schemathesis by .ci/schemathesis-venv), documents errors as problem+json, and the API
// answers what it documents. Schemathesis itself runs in test/schemathesis (`npm run test:schemathesis`).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { tokens } from '../helpers/api.js';
import { startOpenApiFixture, type OpenApiFixture } from '../helpers/openapi-fixture.js';

const run = promisify(execFile);

let fx: OpenApiFixture;
before(async () => {
  fx = await startOpenApiFixture();
});
after(async () => {
  await fx?.close();
});

test('the OpenAPI document validates against the OpenAPI version it declares', async () => {
  const { stdout } = await run(join(fx.bin, 'openapi-spec-validator'), [
    '--validation-errors',
    'all',
    fx.docPath,
  ]);
  assert.match(stdout, /: OK$/m);
});

test('the validator refuses a document that breaks the OpenAPI specification', async () => {
  const broken = join(fx.docPath, '..', 'broken.json');
  const doc = JSON.parse((await fx.api.app.inject({ url: '/docs/json' })).body) as Record<string, unknown>;
  await writeFile(broken, JSON.stringify({ ...doc, info: { title: 'no version' } }));
  await assert.rejects(run(join(fx.bin, 'openapi-spec-validator'), [broken]), (err: { stdout: string }) =>
    /Validation Error/.test(err.stdout),
  );
});

test('every error answer in the document is application/problem+json, as the error handler sends it', async () => {
  const doc = (await fx.api.app.inject({ url: '/docs/json' })).json() as {
    paths: Record<
      string,
      Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>
    >;
  };
  const wrong = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).flatMap(([method, op]) =>
      Object.entries(op.responses)
        .filter(
          ([status, r]) =>
            Number(status) >= 400 && Object.keys(r.content ?? {}).join() !== 'application/problem+json',
        )
        .map(([status]) => `${method} ${path} ${status}`),
    ),
  );
  // /readyz's 503 is the readiness report itself (application/json, read by probes), not an error answer.
  assert.deepEqual(wrong, ['get /readyz 503']);
});

test('a parameter with a default may be left out, and the document does not call it required', async () => {
  const doc = (await fx.api.app.inject({ url: '/docs/json' })).json() as {
    paths: Record<string, Record<string, { parameters?: { name: string; required?: boolean }[] }>>;
  };
  assert.equal(doc.paths['/v1/audit']!.get!.parameters!.find((p) => p.name === 'limit')!.required, false);
  assert.equal(doc.paths['/v1/runs']!.get!.parameters!.find((p) => p.name === 'pageSize')!.required, false);
  const res = await fx.api.app.inject({
    url: '/v1/audit',
    headers: { authorization: `Bearer ${tokens.admin.secret}` },
  });
  assert.equal(res.statusCode, 200, res.body);
});

test('a method that a known path does not have answers 405 with the Allow header', async () => {
  const res = await fx.api.app.inject({
    method: 'DELETE',
    url: '/v1/models',
    headers: { authorization: `Bearer ${tokens.admin.secret}` },
  });
  assert.equal(res.statusCode, 405, res.body);
  assert.equal(res.headers.allow, 'GET, HEAD');
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  assert.equal((res.json() as { code: string }).code, 'method-not-allowed');
  assert.equal(
    (
      await fx.api.app.inject({
        url: '/v1/nothing-here',
        headers: { authorization: `Bearer ${tokens.admin.secret}` },
      })
    ).statusCode,
    404,
  );
});
