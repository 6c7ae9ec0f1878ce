// A client nobody here wrote: the OpenAPI document validated against the version it declares
// (openapi-spec-validator), then Schemathesis run against a real listening API with a token of each role,
// every phase and every check, over a dataset, a pipeline and a model with two versions.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../../infra/local/stack.js';
import { createApiHarness, tokens, type ApiHarness, type TokenName } from '../helpers/api.js';
import { createHarness, type Harness } from '../helpers/pipeline.js';

const run = promisify(execFile);

let h: Harness;
let api: ApiHarness;
let dir: string;
let bin: string;
let baseUrl: string;
let docPath: string;

before(async () => {
  bin = execFileSync(join(repoRoot, '.ci', 'schemathesis-venv'), {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 900_000,
  }).trim();
  h = await createHarness();
  dir = await mkdtemp(join(tmpdir(), 'ferry-schemathesis-'));
  api = await createApiHarness(h, {
    scratchDir: join(dir, 'scratch'),
    limits: { rateLimitPerMinute: 1_000_000, maxUploadBytes: 1 << 20, bodyLimitBytes: 1 << 20 },
  });
  // Throwaway fixtures for the destructive operations to act on: a dataset, a registered pipeline and a
  // model with two versions (so rollback has somewhere to go).
  const snapshot = await h.ingestChurn({ rows: 2000, seed: 7 });
  const quick = h.spec((s) => ({
    ...s,
    training: { ...s.training, epochs: 1, earlyStopping: undefined },
    evaluation: { ...s.evaluation, thresholds: {}, maxRegression: 1 },
  }));
  await api.deps.pipelines.put(quick, 'fixture');
  for (let i = 0; i < 2; i++) {
    const handle = await h.start(quick, { datasetSnapshot: snapshot, approvalPolicy: 'auto' });
    assert.equal((await handle.result()).outcome, 'promoted');
  }
  baseUrl = await api.app.listen({ host: '127.0.0.1', port: 0 });
  docPath = join(dir, 'openapi.json');
  await writeFile(docPath, (await api.app.inject({ url: '/docs/json' })).body);
});
after(async () => {
  await api?.close();
  await h?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('the OpenAPI document validates against the OpenAPI version it declares', async () => {
  const { stdout } = await run(join(bin, 'openapi-spec-validator'), ['--validation-errors', 'all', docPath]);
  assert.match(stdout, /: OK$/m);
});

test('the validator refuses a document that breaks the OpenAPI specification', async () => {
  const broken = join(dir, 'broken.json');
  const doc = JSON.parse((await api.app.inject({ url: '/docs/json' })).body) as Record<string, unknown>;
  await writeFile(broken, JSON.stringify({ ...doc, info: { title: 'no version' } }));
  await assert.rejects(run(join(bin, 'openapi-spec-validator'), [broken]), (err: { stdout: string }) =>
    /Validation Error/.test(err.stdout),
  );
});

test('every error answer in the document is application/problem+json, as the error handler sends it', async () => {
  const doc = (await api.app.inject({ url: '/docs/json' })).json() as {
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
  const doc = (await api.app.inject({ url: '/docs/json' })).json() as {
    paths: Record<string, Record<string, { parameters?: { name: string; required?: boolean }[] }>>;
  };
  assert.equal(doc.paths['/v1/audit']!.get!.parameters!.find((p) => p.name === 'limit')!.required, false);
  assert.equal(doc.paths['/v1/runs']!.get!.parameters!.find((p) => p.name === 'pageSize')!.required, false);
  const res = await api.app.inject({
    url: '/v1/audit',
    headers: { authorization: `Bearer ${tokens.admin.secret}` },
  });
  assert.equal(res.statusCode, 200, res.body);
});

test('a method that a known path does not have answers 405 with the Allow header', async () => {
  const res = await api.app.inject({
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
      await api.app.inject({
        url: '/v1/nothing-here',
        headers: { authorization: `Bearer ${tokens.admin.secret}` },
      })
    ).statusCode,
    404,
  );
});

for (const role of ['viewer', 'operator', 'approver', 'admin'] as const satisfies readonly TokenName[]) {
  // todo until the findings listed in issue 8 §5 are fixed (no examples in the document, 400s for schema-valid
  // SQL, predict rows, feedback labels, uploads and cursors): it runs and prints its summary but does not fail
  // the suite yet. Drop `todo` once it passes.
  test(
    `Schemathesis finds no failure in any phase with the ${role} token`,
    { timeout: 300_000, todo: 'Schemathesis findings still open (issue 8 §5)' },
    async () => {
      const result = await run(
        join(bin, 'st'),
        [
          'run',
          `${baseUrl}/docs/json`,
          '--header',
          `Authorization: Bearer ${tokens[role].secret}`,
          '--max-examples',
          '5',
          '--workers',
          '2',
          '--seed',
          '20261202',
          '--generation-database',
          'none',
          '--request-timeout',
          '20',
          // Bounds the run on a loaded 2-core CI machine: four roles stay inside 8 minutes.
          '--max-time',
          '90',
          '--no-color',
        ],
        { timeout: 150_000, maxBuffer: 64 << 20 },
      ).catch((err: { stdout?: string; code?: number }) => ({ stdout: err.stdout ?? '', failed: err.code }));
      const summary = result.stdout.slice(result.stdout.lastIndexOf('SUMMARY'));
      console.log(`schemathesis (${role}):\n${summary}`);
      assert.ok(
        !('failed' in result),
        `schemathesis failed with the ${role} token:\n${result.stdout.slice(-20_000)}`,
      );
      for (const phase of ['Examples', 'Coverage', 'Fuzzing', 'Stateful'])
        assert.match(summary, new RegExp(`✅ ${phase}`), `${phase} did not pass for every operation`);
      const selected = /Selected: (\d+)\/(\d+)/.exec(summary);
      const tested = /Tested: (\d+)/.exec(summary);
      assert.ok(selected && tested && selected[1] === selected[2] && tested[1] === selected[2], summary);
    },
  );
}
