// The API's pipelines and runs routes with app.inject() against the real Temporal and MinIO:
// auth and roles, spec registration, idempotent triggers, approvals with four-eyes, listing, cancel.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSpec, specHash } from '../../core/pipeline-spec/load.js';
import type { PipelineSpec } from '../../core/pipeline-spec/schema.js';
import { assertProblem, json, auth, createApiHarness, type ApiHarness } from '../helpers/api.js';
import { createHarness, eventually, type Harness } from '../helpers/pipeline.js';

let h: Harness;
let api: ApiHarness;
let spec: PipelineSpec;

before(async () => {
  h = await createHarness();
  api = await createApiHarness(h);
  spec = h.spec((s) => ({ ...s, training: { ...s.training, epochs: 2, earlyStopping: undefined } }));
  await h.ingestChurn({ rows: 3000, seed: 51 });
});
after(async () => {
  await api.close();
  await h.close();
});

test('health and readiness need no token, Prometheus metrics need one by default and the OpenAPI document does not', async () => {
  assert.deepEqual(json(await api.app.inject({ url: '/healthz' })), { status: 'ok' });
  assert.deepEqual(json(await api.app.inject({ url: '/readyz' })), {
    status: 'ready',
    scope: 'all',
    checks: { temporal: 'ok', objectStore: 'ok' },
  });
  assertProblem(await api.app.inject({ url: '/metrics' }), 401, 'unauthenticated', /missing bearer token/);
  const metrics = await api.app.inject({ url: '/metrics', headers: auth('viewer') });
  assert.equal(metrics.statusCode, 200);
  assert.match(metrics.body, /ferry_http_requests_total\{method="GET",route="\/readyz",status="200"\} 1/);
  const doc = json(await api.app.inject({ url: '/docs/json' })) as {
    openapi: string;
    paths: Record<string, unknown>;
  };
  assert.equal(doc.openapi, '3.1.0');
  for (const path of ['/v1/pipelines/{pipeline}/runs', '/v1/runs/{runId}/approve', '/v1/runs'])
    assert.ok(doc.paths[path], `${path} documented`);
});

test('the switches open /metrics without a token and close /docs to callers without one', async () => {
  const other = await createApiHarness(h, { requireToken: { metrics: false, docs: true } });
  try {
    assert.equal((await other.app.inject({ url: '/metrics' })).statusCode, 200);
    for (const url of ['/docs', '/docs/json', '/docs/yaml', '/docs/static/index.html'])
      assertProblem(await other.app.inject({ url }), 401, 'unauthenticated');
    assertProblem(
      await other.app.inject({ url: '/docs/json', headers: { authorization: 'Bearer bogus' } }),
      401,
      'unauthenticated',
      /not valid/,
    );
    const doc = await other.app.inject({ url: '/docs/json', headers: auth('viewer') });
    assert.equal(doc.statusCode, 200);
    assert.equal(json(doc).openapi, '3.1.0');
    // Health stays open whatever the switches say.
    assert.equal((await other.app.inject({ url: '/healthz' })).statusCode, 200);
  } finally {
    await other.close();
  }
});

test('readiness says which check failed to anyone, but why only to a caller with a valid token', async () => {
  const down = await createApiHarness(h, {
    store: {
      ...api.deps.store,
      ping: () => Promise.reject(new Error('connect ECONNREFUSED 10.1.2.3:9000')),
    },
  });
  try {
    for (const headers of [{}, { authorization: 'Bearer bogus' }]) {
      const res = await down.app.inject({ url: '/readyz', headers });
      assert.equal(res.statusCode, 503);
      assert.deepEqual(json(res), {
        status: 'not-ready',
        scope: 'all',
        checks: { temporal: 'ok', objectStore: 'failed' },
      });
    }
    const res = await down.app.inject({ url: '/readyz', headers: auth('viewer') });
    assert.equal(res.statusCode, 503);
    assert.deepEqual(json(res), {
      status: 'not-ready',
      scope: 'all',
      checks: { temporal: 'ok', objectStore: 'connect ECONNREFUSED 10.1.2.3:9000' },
    });
  } finally {
    await down.close();
  }
});

test('a /v1 route is refused without a token however its path is spelled (GET /%761/audit)', async () => {
  for (const url of [
    '/%761/audit',
    '/%76%31/audit',
    '/v%31/audit',
    '/v1/%61udit',
    '/v1/./audit',
    '/v1/x/../audit',
  ])
    assertProblem(await api.app.inject({ url }), 401, 'unauthenticated', /missing bearer token/);
  assertProblem(
    await api.app.inject({ method: 'POST', url: '/%76%31/metrics/query', payload: { sql: 'select 1' } }),
    401,
    'unauthenticated',
  );
  assertProblem(
    await api.app.inject({
      method: 'POST',
      url: '/%761/runs/x/cancel',
      headers: auth('viewer'),
      payload: {},
    }),
    403,
    'forbidden',
    /needs "operator"/,
  );
  // Spellings the router does not match stay 404, token or not.
  for (const url of ['/V1/audit', '/v1//audit', '/v1/audit/', '/v1/audit;x=1'])
    for (const headers of [{}, auth('admin')])
      assertProblem(await api.app.inject({ url, headers }), 404, 'route-not-found');
});

test('a /v1 call without a valid token is 401 and a role without the right is 403, never 500', async () => {
  assertProblem(
    await api.app.inject({ url: '/v1/pipelines' }),
    401,
    'unauthenticated',
    /missing bearer token/,
  );
  assertProblem(
    await api.app.inject({ url: '/v1/pipelines', headers: { authorization: 'Bearer not-a-token' } }),
    401,
    'unauthenticated',
    /not valid/,
  );
  assertProblem(
    await api.app.inject({ url: '/v1/pipelines', headers: { authorization: 'Basic abc' } }),
    401,
    'unauthenticated',
  );
  assertProblem(
    await api.app.inject({
      method: 'PUT',
      url: `/v1/pipelines/${spec.name}`,
      headers: auth('viewer'),
      payload: spec,
    }),
    403,
    'forbidden',
    /role "viewer" may not do this; it needs "operator" or higher/,
  );
  // The role is checked before the body is validated: a caller without the right learns nothing of the schema.
  assertProblem(
    await api.app.inject({
      method: 'PUT',
      url: `/v1/pipelines/${spec.name}`,
      headers: auth('viewer'),
      payload: { not: 'a spec' },
    }),
    403,
    'forbidden',
  );
});

test('an admin registers a spec (201), re-registering it is a no-op (200), and a bad spec names every path', async () => {
  // The spec sets evaluation thresholds, which only an approver or admin may (see api-governance).
  const created = await api.app.inject({
    method: 'PUT',
    url: `/v1/pipelines/${spec.name}`,
    headers: auth('admin'),
    payload: spec,
  });
  assert.equal(created.statusCode, 201, created.body);
  const record = json(created);
  assert.match(String(record.specHash), /^[a-f0-9]{64}$/);
  assert.equal(record.updatedBy, 'ann-admin');
  const again = await api.app.inject({
    method: 'PUT',
    url: `/v1/pipelines/${spec.name}`,
    headers: auth('operator'),
    payload: spec,
  });
  assert.equal(again.statusCode, 200);
  assert.equal(json(again).specHash, record.specHash);

  const listed = json(await api.app.inject({ url: '/v1/pipelines', headers: auth('viewer') })) as {
    pipelines: { name: string }[];
  };
  assert.ok(listed.pipelines.some((p) => p.name === spec.name));
  assert.equal(
    json(await api.app.inject({ url: `/v1/pipelines/${spec.name}`, headers: auth('viewer') })).specHash,
    record.specHash,
  );

  const bad = assertProblem(
    await api.app.inject({
      method: 'PUT',
      url: `/v1/pipelines/${spec.name}`,
      headers: auth('operator'),
      payload: { ...spec, task: 'ranking', training: { epochs: 0 }, extra: 1 },
    }),
    400,
    'invalid-spec',
  );
  const fields = (bad.errors as { field: string }[]).map((e) => e.field).sort();
  assert.deepEqual(fields, ['body.(root)', 'body.task', 'body.training.epochs']);
  assertProblem(
    await api.app.inject({
      method: 'PUT',
      url: `/v1/pipelines/other-name`,
      headers: auth('operator'),
      payload: spec,
    }),
    400,
    'invalid-spec',
    /must equal the path's pipeline "other-name"/,
  );
  assertProblem(
    await api.app.inject({ url: '/v1/pipelines/no-such-pipeline', headers: auth('viewer') }),
    404,
    'pipeline-not-found',
  );
  assertProblem(
    await api.app.inject({ url: '/v1/pipelines/..%2Fetc', headers: auth('viewer') }),
    400,
    'invalid-request',
    /params.pipeline/,
  );
});

test('triggering is idempotent per Idempotency-Key and malformed triggers get 400 naming the field', async () => {
  const url = `/v1/pipelines/${spec.name}/runs`;
  // Turning the spec's manual approval into auto for one run is an approver's call.
  const headers = { ...auth('approver'), 'idempotency-key': `key-${h.id}` };
  const first = await api.app.inject({
    method: 'POST',
    url,
    headers,
    payload: { approval: 'auto', reason: 'idempotency test' },
  });
  assert.equal(first.statusCode, 202, first.body);
  const run = json(first) as { runId: string; status: string; links: { self: string; temporalUi: string } };
  assert.match(run.runId, new RegExp(`^train-${spec.name}-req-[a-f0-9]{24}$`));
  assert.equal(run.links.self, `/v1/runs/${run.runId}`);
  assert.equal(run.links.temporalUi, `${h.config.temporal.uiUrl}/namespaces/default/workflows/${run.runId}`);
  const second = await api.app.inject({
    method: 'POST',
    url,
    headers,
    payload: { approval: 'auto', reason: 'idempotency test' },
  });
  assert.equal(second.statusCode, 202);
  assert.equal(json(second).runId, run.runId);
  await h.client.workflow.getHandle(run.runId).result();
  const afterCompletion = await api.app.inject({
    method: 'POST',
    url,
    headers,
    payload: { approval: 'auto' },
  });
  assert.equal(json(afterCompletion).runId, run.runId, 'a finished run still answers its key');

  assertProblem(
    await api.app.inject({
      method: 'POST',
      url,
      headers: auth('operator'),
      payload: { approval: 'sometimes' },
    }),
    400,
    'invalid-request',
    /body\.approval/,
  );
  assertProblem(
    await api.app.inject({ method: 'POST', url, headers: auth('operator'), payload: { surprise: true } }),
    400,
    'invalid-request',
    /must NOT have additional properties/,
  );
  assertProblem(
    await api.app.inject({
      method: 'POST',
      url,
      headers: auth('operator'),
      payload: { overrides: { training: { epochs: 0 } } },
    }),
    400,
    'invalid-request',
    /body\.overrides\.training\.epochs/,
  );
  assertProblem(
    await api.app.inject({
      method: 'POST',
      url,
      headers: auth('operator'),
      payload: { dataset: 'no-such-dataset' },
    }),
    404,
    'dataset-not-found',
  );
  assertProblem(
    await api.app.inject({
      method: 'POST',
      url: '/v1/pipelines/no-such-pipeline/runs',
      headers: auth('operator'),
      payload: {},
    }),
    404,
    'pipeline-not-found',
  );
  assertProblem(
    await api.app.inject({ method: 'POST', url, headers: auth('viewer'), payload: {} }),
    403,
    'forbidden',
  );
});

test('a manual run is approved over HTTP by a different identity, never by its trigger, and the champion changes', async () => {
  const started = await api.app.inject({
    method: 'POST',
    url: `/v1/pipelines/${spec.name}/runs`,
    headers: auth('admin'),
    payload: { approval: 'manual', reason: 'approval test' },
  });
  assert.equal(started.statusCode, 202, started.body);
  const { runId } = json(started) as { runId: string };
  const waiting = await eventually(
    'the run to wait for approval',
    async () => {
      const body = json(await api.app.inject({ url: `/v1/runs/${runId}`, headers: auth('viewer') }));
      return body.waitingFor ? body : undefined;
    },
    120_000,
  );
  assert.equal(waiting.status, 'RUNNING');
  assert.equal(waiting.stage, 'approval');
  assert.equal(waiting.triggeredBy, 'ann-admin');
  assert.equal(waiting.trigger, 'api');
  assert.equal(typeof waiting.candidateVersion, 'number');
  assert.ok((waiting.metrics as Record<string, number>).auc! > 0.6);

  assertProblem(
    await api.app.inject({
      method: 'POST',
      url: `/v1/runs/${runId}/approve`,
      headers: auth('operator'),
      payload: { comment: 'x' },
    }),
    403,
    'forbidden',
  );
  assertProblem(
    await api.app.inject({
      method: 'POST',
      url: `/v1/runs/${runId}/approve`,
      headers: auth('admin'),
      payload: { comment: 'mine' },
    }),
    403,
    'four-eyes',
    /ann-admin triggered this run/,
  );
  assertProblem(
    await api.app.inject({
      method: 'POST',
      url: `/v1/runs/${runId}/approve`,
      headers: auth('approver'),
      payload: { comment: 'x', by: 'someone-else' },
    }),
    400,
    'invalid-request',
  );
  const approved = await api.app.inject({
    method: 'POST',
    url: `/v1/runs/${runId}/approve`,
    headers: auth('approver'),
    payload: { comment: 'looks good' },
  });
  assert.equal(approved.statusCode, 200, approved.body);
  assert.deepEqual(
    { ...json(approved), at: undefined },
    { decision: 'approve', by: 'ada-approver', comment: 'looks good', via: 'update', at: undefined },
  );
  const second = await api.app.inject({
    method: 'POST',
    url: `/v1/runs/${runId}/reject`,
    headers: auth('approver2'),
    payload: { comment: 'late' },
  });
  assert.equal(second.statusCode, 409, second.body);

  await h.client.workflow.getHandle(runId).result();
  const done = json(await api.app.inject({ url: `/v1/runs/${runId}`, headers: auth('viewer') }));
  assert.equal(done.status, 'COMPLETED');
  assert.equal(done.outcome, 'promoted');
  assert.equal(done.stage, 'done');
  assert.equal((done.decision as { by: string }).by, 'ada-approver');
  assert.equal((await h.deps.registry.aliases(spec.model)).champion, done.candidateVersion);
  assertProblem(
    await api.app.inject({
      method: 'POST',
      url: `/v1/runs/${runId}/approve`,
      headers: auth('approver2'),
      payload: { comment: 'x' },
    }),
    409,
    'run-not-waiting',
    /COMPLETED/,
  );
});

test('runs are listed with filters and cursors, unknown runs are 404, and a running run can be cancelled once', async () => {
  const started = json(
    await api.app.inject({
      method: 'POST',
      url: `/v1/pipelines/${spec.name}/runs`,
      headers: auth('operator'),
      payload: { approval: 'manual' },
    }),
  ) as { runId: string };
  const cancelled = await api.app.inject({
    method: 'POST',
    url: `/v1/runs/${started.runId}/cancel`,
    headers: auth('operator'),
  });
  assert.equal(cancelled.statusCode, 202, cancelled.body);
  assert.deepEqual(json(cancelled), { runId: started.runId, status: 'CANCEL_REQUESTED' });
  await eventually('the run to be cancelled', async () =>
    json(await api.app.inject({ url: `/v1/runs/${started.runId}`, headers: auth('viewer') })).status ===
    'CANCELED'
      ? true
      : undefined,
  );
  assertProblem(
    await api.app.inject({
      method: 'POST',
      url: `/v1/runs/${started.runId}/cancel`,
      headers: auth('operator'),
    }),
    409,
    'run-not-running',
  );

  const all = await eventually('three runs of the pipeline to be visible', async () => {
    const body = json(
      await api.app.inject({ url: `/v1/runs?pipeline=${spec.name}`, headers: auth('viewer') }),
    ) as { runs: { runId: string; status: string; model: string }[] };
    return body.runs.length >= 3 ? body : undefined;
  });
  assert.ok(all.runs.every((r) => r.model === spec.model));
  const completed = json(
    await api.app.inject({ url: `/v1/runs?model=${spec.model}&status=COMPLETED`, headers: auth('viewer') }),
  ) as { runs: { status: string }[] };
  assert.ok(
    completed.runs.length >= 2 && completed.runs.every((r) => r.status === 'COMPLETED'),
    JSON.stringify(completed),
  );
  const page1 = json(
    await api.app.inject({ url: `/v1/runs?pipeline=${spec.name}&pageSize=1`, headers: auth('viewer') }),
  ) as { runs: unknown[]; nextCursor: string };
  assert.equal(page1.runs.length, 1);
  assert.ok(page1.nextCursor);
  const page2 = json(
    await api.app.inject({
      url: `/v1/runs?pipeline=${spec.name}&pageSize=1&cursor=${page1.nextCursor}`,
      headers: auth('viewer'),
    }),
  ) as { runs: unknown[] };
  assert.equal(page2.runs.length, 1);
  assert.notDeepEqual(page2.runs[0], page1.runs[0]);

  assertProblem(
    await api.app.inject({ url: '/v1/runs?status=SLEEPING', headers: auth('viewer') }),
    400,
    'invalid-request',
    /querystring\.status/,
  );
  assertProblem(
    await api.app.inject({ url: '/v1/runs?pageSize=0', headers: auth('viewer') }),
    400,
    'invalid-request',
    /querystring\.pageSize/,
  );
  assertProblem(
    await api.app.inject({ url: '/v1/runs/train-nothing-here', headers: auth('viewer') }),
    404,
    'run-not-found',
  );
});

test('each token is rate limited on its own with 429 and Retry-After', async () => {
  const limited = await createApiHarness(h, {
    limits: { rateLimitPerMinute: 3, maxUploadBytes: 1024, bodyLimitBytes: 1024 * 1024 },
  });
  try {
    for (let i = 0; i < 3; i++)
      assert.equal(
        (await limited.app.inject({ url: '/v1/pipelines', headers: auth('viewer') })).statusCode,
        200,
      );
    const refused = await limited.app.inject({ url: '/v1/pipelines', headers: auth('viewer') });
    assertProblem(refused, 429, 'rate-limited', /rate limit of 3 requests per minute/);
    assert.match(String(refused.headers['retry-after']), /^\d+$/);
    assert.equal(
      (await limited.app.inject({ url: '/v1/pipelines', headers: auth('operator') })).statusCode,
      200,
      'another token is unaffected',
    );
  } finally {
    await limited.close();
  }
});

test('every mutating call lands in the audit log with who, role, what, result and request id', async () => {
  const res = await api.app.inject({
    method: 'PUT',
    url: `/v1/pipelines/${spec.name}`,
    headers: auth('viewer'),
    payload: spec,
  });
  // The audit event is written after the reply (onResponse), so it may land a moment later.
  const event = await eventually('the audit event', async () =>
    (await api.deps.audit.recent(200)).find((e) => e.requestId === res.headers['x-request-id']),
  );
  assert.deepEqual(
    { who: event.who, role: event.role, action: event.action, status: event.status, result: event.result },
    {
      who: 'vera-viewer',
      role: 'viewer',
      action: 'PUT /v1/pipelines/:pipeline',
      status: 403,
      result: 'refused',
    },
  );
});

test("a run with overrides registers a version whose lineage names the effective spec's hash, with the base hash and the overrides beside it", async () => {
  const record = await api.deps.pipelines.get(spec.name);
  const overrides = { training: { epochs: 1, learningRate: 0.02 } };
  const started = await api.app.inject({
    method: 'POST',
    url: `/v1/pipelines/${spec.name}/runs`,
    headers: auth('admin'),
    payload: { approval: 'auto', reason: 'lineage test', overrides },
  });
  assert.equal(started.statusCode, 202, started.body);
  const { runId } = json(started) as { runId: string };
  const result = await h.client.workflow.getHandle(runId).result();
  const effective = specHash(
    parseSpec({ ...record.spec, training: { ...record.spec.training, ...overrides.training } }, 'expected'),
  );
  assert.notEqual(effective, record.specHash);
  const version = await h.deps.registry.getVersion(spec.model, result.version);
  assert.deepEqual(
    {
      specHash: version.lineage.specHash,
      baseSpecHash: version.lineage.baseSpecHash,
      overrides: version.lineage.overrides,
    },
    { specHash: effective, baseSpecHash: record.specHash, overrides },
  );
  const shown = json(
    await api.app.inject({
      url: `/v1/models/${spec.model}/versions/${result.version}`,
      headers: auth('viewer'),
    }),
  );
  const lineage = shown.lineage as Record<string, unknown>;
  assert.deepEqual(
    { specHash: lineage.specHash, baseSpecHash: lineage.baseSpecHash, overrides: lineage.overrides },
    { specHash: effective, baseSpecHash: record.specHash, overrides },
  );

  // Without overrides the lineage names the registered version, as it always did.
  const plain = await api.app.inject({
    method: 'POST',
    url: `/v1/pipelines/${spec.name}/runs`,
    headers: auth('admin'),
    payload: { approval: 'auto', reason: 'lineage test, no overrides' },
  });
  assert.equal(plain.statusCode, 202, plain.body);
  const plainResult = await h.client.workflow.getHandle((json(plain) as { runId: string }).runId).result();
  const plainLineage = (await h.deps.registry.getVersion(spec.model, plainResult.version)).lineage;
  assert.deepEqual(
    {
      specHash: plainLineage.specHash,
      baseSpecHash: plainLineage.baseSpecHash,
      overrides: plainLineage.overrides,
    },
    { specHash: record.specHash, baseSpecHash: undefined, overrides: undefined },
  );
});
