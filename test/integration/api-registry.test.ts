// The API's registry, dataset, metrics and audit routes with app.inject() against the real Temporal
// and MinIO: three real runs make versions 1 and 2 (champions in turn) and a rejected version 3.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { LightMyRequestResponse } from 'fastify';
import {
  assertProblem,
  json,
  auth,
  createApiHarness,
  postAs,
  type ApiHarness,
  type TokenName,
} from '../helpers/api.js';
import { createHarness, eventually, type Harness } from '../helpers/pipeline.js';
import { runEpochs } from '../../core/warehouse/queries.js';

let h: Harness;
let api: ApiHarness;
let scratchDir: string;
let model: string;
let snapshot: string;
const runIds: string[] = [];

before(async () => {
  h = await createHarness();
  scratchDir = await mkdtemp(join(tmpdir(), 'ferry-api-scratch-'));
  api = await createApiHarness(h, { scratchDir });
  snapshot = await h.ingestChurn({ rows: 3000, seed: 61 });
  const quick = h.spec((s) => ({
    ...s,
    training: { ...s.training, epochs: 1, earlyStopping: undefined },
    evaluation: { ...s.evaluation, thresholds: {}, maxRegression: 1 },
  }));
  const hopeless = h.spec((s) => ({
    ...s,
    training: { ...s.training, epochs: 1, earlyStopping: undefined },
    evaluation: { ...s.evaluation, thresholds: { auc: 0.9999 } },
  }));
  model = quick.model;
  // One after the other, so run i registers version i.
  for (const [spec, outcome] of [
    [quick, 'promoted'],
    [quick, 'promoted'],
    [hopeless, 'rejected-by-evaluation'],
  ] as const) {
    const handle = await h.start(spec, { datasetSnapshot: snapshot, approvalPolicy: 'auto' });
    const result = await handle.result();
    assert.equal(result.outcome, outcome);
    assert.equal(result.version, runIds.length + 1);
    runIds.push(handle.workflowId);
  }
});
after(async () => {
  await api.close();
  await h.close();
  await rm(scratchDir, { recursive: true, force: true });
});

function ok(res: LightMyRequestResponse, status = 200): Record<string, unknown> {
  assert.equal(res.statusCode, status, res.body);
  return json(res);
}

const sql = (query: string, maxRows?: number, who: 'admin' | 'operator' | 'viewer' = 'admin') =>
  api.app.inject({
    method: 'POST',
    url: '/v1/metrics/query',
    headers: auth(who),
    payload: { sql: query, ...(maxRows ? { maxRows } : {}) },
  });

test('models are listed with their champion, version count and latest version', async () => {
  const { models } = ok(await api.app.inject({ url: '/v1/models', headers: auth('viewer') })) as {
    models: unknown[];
  };
  assert.deepEqual(
    models.find((m) => (m as { model: string }).model === model),
    { model, champion: 2, versionCount: 3, latestVersion: 3 },
  );
});

test('a model shows every version with its lifecycle status (retired, champion, rejected), decision, dataset and run, its aliases and the alias history', async () => {
  const detail = ok(await api.app.inject({ url: `/v1/models/${model}`, headers: auth('viewer') })) as {
    model: string;
    versions: {
      version: number;
      status: string;
      metrics: Record<string, number>;
      createdAt: string;
      decision: { decision: string; by: string; runId: string } | null;
      datasetSha: string;
      runId: string;
    }[];
    aliases: Record<string, number>;
    history: Record<string, unknown>[];
  };
  assert.equal(detail.model, model);
  assert.deepEqual(detail.aliases, { champion: 2 });
  assert.deepEqual(
    detail.versions.map((v) => [v.version, v.status, v.runId, v.datasetSha]),
    [
      [1, 'retired', runIds[0], snapshot],
      [2, 'champion', runIds[1], snapshot],
      [3, 'rejected', runIds[2], snapshot],
    ],
  );
  assert.deepEqual(
    detail.versions.map((v) => v.decision && [v.decision.decision, v.decision.by, v.decision.runId]),
    [['approve', 'policy:auto', runIds[0]], ['approve', 'policy:auto', runIds[1]], null],
  );
  for (const v of detail.versions) {
    assert.ok(v.metrics.auc! > 0 && v.metrics.auc! <= 1, `auc of version ${v.version}`);
    assert.ok(!Number.isNaN(Date.parse(v.createdAt)));
  }
  assert.deepEqual(
    detail.history.map((c) => [c.alias, c.version, c.fromVersion, c.actor, c.runId]),
    [
      ['champion', 1, null, 'policy:auto', runIds[0]],
      ['champion', 2, 1, 'policy:auto', runIds[1]],
    ],
  );

  assertProblem(
    await api.app.inject({ url: '/v1/models/no-such-model', headers: auth('viewer') }),
    404,
    'model-not-found',
    /model "no-such-model" not found/,
  );
  assertProblem(
    await api.app.inject({ url: '/v1/models/Bad.Name', headers: auth('viewer') }),
    400,
    'invalid-request',
    /params\.model/,
  );
  assertProblem(await api.app.inject({ url: `/v1/models/${model}` }), 401, 'unauthenticated');
});

test('a version shows metrics, lineage, input schema, artifacts, decision, aliases and its model card', async () => {
  const v2 = ok(await api.app.inject({ url: `/v1/models/${model}/versions/2`, headers: auth('viewer') }));
  assert.equal(v2.version, 2);
  assert.equal(v2.status, 'champion');
  assert.deepEqual(v2.aliases, ['champion']);
  assert.deepEqual(v2.rejectionReasons, []);
  const lineage = v2.lineage as Record<string, unknown>;
  assert.equal(lineage.runId, runIds[1]);
  assert.equal(lineage.datasetSha, snapshot);
  assert.equal(lineage.datasetName, `churn-${h.id}`);
  assert.deepEqual((v2.inputSchema as { categorical: string[] }).categorical, [
    'plan',
    'region',
    'payment_method',
  ]);
  assert.equal((v2.artifacts as { cardKey: string }).cardKey, `runs/${runIds[1]}/model-card.md`);
  assert.equal((v2.decision as { by: string }).by, 'policy:auto');
  assert.equal(typeof (v2.metrics as Record<string, number>).auc, 'number');
  assert.match(String(v2.modelCard), /## Metrics \(held-out test split\)/);

  const v3 = ok(await api.app.inject({ url: `/v1/models/${model}/versions/3`, headers: auth('viewer') }));
  assert.equal(v3.status, 'rejected');
  assert.deepEqual(v3.aliases, []);
  assert.equal(v3.decision, null);
  assert.ok(
    (v3.rejectionReasons as string[]).some((r) => r.includes('auc')),
    JSON.stringify(v3.rejectionReasons),
  );

  assertProblem(
    await api.app.inject({ url: `/v1/models/${model}/versions/9`, headers: auth('viewer') }),
    404,
    'version-not-found',
    new RegExp(`model "${model}" has no version 9`),
  );
  assertProblem(
    await api.app.inject({ url: '/v1/models/no-such-model/versions/1', headers: auth('viewer') }),
    404,
    'model-not-found',
  );
  assertProblem(
    await api.app.inject({ url: `/v1/models/${model}/versions/two`, headers: auth('viewer') }),
    400,
    'invalid-request',
    /params\.version/,
  );
  assertProblem(
    await api.app.inject({ url: `/v1/models/${model}/versions/0`, headers: auth('viewer') }),
    400,
    'invalid-request',
    /params\.version/,
  );
});

test("the primary metric by version, a run's epochs and every validation check come from the metrics tables", async () => {
  const byVersion = ok(
    await api.app.inject({ url: `/v1/models/${model}/metrics?metric=auc`, headers: auth('viewer') }),
  ) as { model: string; metric: string; versions: { version: number; value: number; ts: string }[] };
  assert.equal(byVersion.metric, 'auc');
  // The rejected version 3 has no 'registered' event, so only the registered candidates appear.
  assert.deepEqual(
    byVersion.versions.map((v) => v.version),
    [1, 2],
  );
  for (const v of byVersion.versions) {
    const manifest = await h.deps.registry.getVersion(model, v.version);
    assert.ok(Math.abs(v.value - manifest.metrics.auc!) < 1e-9, `version ${v.version}`);
  }
  const byDefault = ok(await api.app.inject({ url: `/v1/models/${model}/metrics`, headers: auth('viewer') }));
  assert.deepEqual(byDefault, byVersion, 'the default metric is the pipeline primary metric, auc');
  assertProblem(
    await api.app.inject({ url: '/v1/models/no-such-model/metrics?metric=auc', headers: auth('viewer') }),
    404,
    'model-not-found',
  );
  assertProblem(
    await api.app.inject({ url: `/v1/models/${model}/metrics?metric=AUC;drop`, headers: auth('viewer') }),
    400,
    'invalid-request',
    /querystring\.metric/,
  );
  assertProblem(
    await api.app.inject({ url: `/v1/models/${model}/metrics?other=1`, headers: auth('viewer') }),
    400,
    'invalid-request',
    /must NOT have additional properties/,
  );

  const epochs = ok(
    await api.app.inject({ url: `/v1/runs/${runIds[0]}/epochs`, headers: auth('viewer') }),
  ) as { runId: string; epochs: Record<string, unknown>[] };
  assert.equal(epochs.runId, runIds[0]);
  assert.deepEqual(
    epochs.epochs.map((e) => [e.epoch, e.attempt]),
    [[1, 1]],
  );
  const [epoch] = epochs.epochs;
  assert.equal(typeof epoch!.loss, 'number');
  assert.equal(typeof epoch!.valMetric, 'number');
  assert.match(String(epoch!.ts), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.deepEqual(
    epochs.epochs.map((e) => e.loss),
    (await runEpochs(h.deps.metrics, runIds[0]!)).map((e) => e.loss),
  );

  const validation = ok(
    await api.app.inject({ url: `/v1/runs/${runIds[0]}/validation`, headers: auth('viewer') }),
  ) as {
    datasetSha: string;
    passed: boolean;
    checks: { check: string; column: string | null; severity: string; passed: boolean }[];
  };
  assert.equal(validation.datasetSha, snapshot);
  assert.equal(validation.passed, true);
  const [{ n }] = (await h.deps.metrics.query<{ n: number }>(
    'SELECT count(*)::INTEGER AS n FROM validation_checks WHERE run_id = ?',
    [runIds[0]!],
  )) as [{ n: number }];
  assert.ok(n > 5);
  assert.equal(validation.checks.length, n, 'every check, passed or not');
  assert.ok(
    validation.checks.some((c) => c.check === 'min-rows' && c.passed && c.severity === 'error'),
    JSON.stringify(validation.checks.map((c) => c.check)),
  );
  assert.ok(validation.checks.some((c) => c.column === 'plan'));

  for (const path of ['epochs', 'validation']) {
    assertProblem(
      await api.app.inject({ url: `/v1/runs/train-no-such-run/${path}`, headers: auth('viewer') }),
      404,
      'run-not-found',
      /run "train-no-such-run" not found/,
    );
  }
});

test('rollback: only an admin may roll back, to an existing, non-rejected version other than the champion', async () => {
  const url = `/v1/models/${model}/rollback`;
  const rollback = (who: TokenName, payload: Record<string, unknown>, target = url) =>
    postAs(api.app, who, target, payload);
  assertProblem(await rollback('operator', { toVersion: 1, reason: 'x' }), 403, 'forbidden', /needs "admin"/);
  assertProblem(await rollback('approver', { toVersion: 1, reason: 'x' }), 403, 'forbidden');
  assertProblem(
    await rollback('admin', { toVersion: 7, reason: 'x' }),
    404,
    'version-not-found',
    /has no version 7/,
  );
  assertProblem(
    await rollback('admin', { toVersion: 1, reason: 'x' }, '/v1/models/no-such-model/rollback'),
    404,
    'model-not-found',
  );
  assertProblem(
    await rollback('admin', { toVersion: 3, reason: 'x' }),
    409,
    'version-rejected',
    /was rejected and cannot become champion/,
  );
  assertProblem(
    await rollback('admin', { toVersion: 2, reason: 'x' }),
    409,
    'already-champion',
    /version 2 is already the champion/,
  );
  const missing = assertProblem(await rollback('admin', { toVersion: 1 }), 400, 'invalid-request');
  assert.deepEqual(missing.errors, [{ field: 'body.reason', rule: "must have required property 'reason'" }]);
  assertProblem(
    await rollback('admin', { toVersion: 1, reason: '   ' }),
    400,
    'invalid-request',
    /body\.reason/,
  );
  assertProblem(
    await rollback('admin', { toVersion: 'one', reason: 'x' }),
    400,
    'invalid-request',
    /body\.toVersion/,
  );
  assertProblem(
    await rollback('admin', { toVersion: 1, reason: 'x', force: true }),
    400,
    'invalid-request',
    /must NOT have additional properties/,
  );
  assert.deepEqual(
    await h.deps.registry.aliases(model),
    { champion: 2 },
    'nothing refused changed the champion',
  );
});

test('an admin rolls the champion back to version 1: the alias, the history, the statuses and the registry_events table all say so', async () => {
  const res = ok(
    await postAs(api.app, 'admin', `/v1/models/${model}/rollback`, {
      toVersion: 1,
      reason: 'v2 misbehaves in production',
    }),
  );
  assert.deepEqual({ ...res, at: undefined }, { model, champion: 1, fromVersion: 2, at: undefined });
  assert.ok(!Number.isNaN(Date.parse(String(res.at))));
  assert.deepEqual(await h.deps.registry.aliases(model), { champion: 1 });

  const detail = ok(await api.app.inject({ url: `/v1/models/${model}`, headers: auth('viewer') })) as {
    aliases: Record<string, number>;
    history: Record<string, unknown>[];
  };
  assert.deepEqual(detail.aliases, { champion: 1 });
  assert.deepEqual(detail.history.at(-1), {
    model,
    alias: 'champion',
    version: 1,
    fromVersion: 2,
    actor: 'ann-admin',
    reason: 'v2 misbehaves in production',
    runId: null,
    kind: 'rollback',
    at: res.at,
  });
  const statuses = ok(await api.app.inject({ url: `/v1/models/${model}`, headers: auth('viewer') })) as {
    versions: { version: number; status: string }[];
  };
  assert.deepEqual(
    statuses.versions.map((v) => [v.version, v.status]),
    [
      [1, 'champion'],
      [2, 'rolled-back'],
      [3, 'rejected'],
    ],
  );
  assert.equal(
    ok(await api.app.inject({ url: `/v1/models/${model}/versions/2`, headers: auth('viewer') })).status,
    'rolled-back',
  );
  assert.deepEqual(
    ok(await api.app.inject({ url: `/v1/models/${model}/versions/1`, headers: auth('viewer') })).aliases,
    ['champion'],
  );

  const events = ok(
    await sql(
      `SELECT event, version, alias, from_version, actor, reason, run_id, strftime(ts, '%Y-%m-%dT%H:%M:%S.%gZ') AS ts FROM registry_events WHERE model = '${model}' AND event = 'rolled-back'`,
    ),
  );
  assert.deepEqual(events.rows, [
    {
      event: 'rolled-back',
      version: 1,
      alias: 'champion',
      from_version: 2,
      actor: 'ann-admin',
      reason: 'v2 misbehaves in production',
      run_id: null,
      ts: res.at,
    },
  ]);
});

test('read-only SQL returns rows with their column types, and reports when the row cap cut them short', async () => {
  const all = ok(
    await sql(
      `SELECT run_id, status, candidate_version FROM runs WHERE model = '${model}' ORDER BY candidate_version`,
    ),
  );
  assert.deepEqual(all.columns, [
    { name: 'run_id', type: 'VARCHAR' },
    { name: 'status', type: 'VARCHAR' },
    { name: 'candidate_version', type: 'INTEGER' },
  ]);
  assert.deepEqual(all.rows, [
    { run_id: runIds[0], status: 'promoted', candidate_version: 1 },
    { run_id: runIds[1], status: 'promoted', candidate_version: 2 },
    { run_id: runIds[2], status: 'rejected-by-evaluation', candidate_version: 3 },
  ]);
  assert.equal(all.rowCount, 3);
  assert.equal(all.truncated, false);

  const capped = ok(await sql(`SELECT run_id FROM runs WHERE model = '${model}' ORDER BY ts`, 2));
  assert.equal(capped.rowCount, 2);
  assert.equal(capped.truncated, true);
  assert.deepEqual(capped.rows, [{ run_id: runIds[0] }, { run_id: runIds[1] }]);

  const withCte = ok(
    await sql(
      `WITH e AS (SELECT run_id, count(*) AS n FROM training_epochs WHERE model = '${model}' GROUP BY run_id) SELECT sum(n) AS epochs, max(n) AS most FROM e`,
    ),
  );
  assert.deepEqual(withCte.rows, [{ epochs: 3, most: 1 }], 'BIGINT and HUGEINT come back as JSON numbers');
  assert.deepEqual(ok(await sql('SELECT count(*) AS n FROM range(5000)')).rows, [{ n: 5000 }]);
  const defaultCap = ok(await sql('SELECT range AS i FROM range(1500)'));
  assert.equal(defaultCap.rowCount, 1000);
  assert.equal(defaultCap.truncated, true);

  // Settings are not readable (current_setting is outside the function allowlist); that the sandbox
  // runs with file and network access off is shown by the refusals in the next test.
  const setting = await sql(`SELECT current_setting('enable_external_access') AS external`);
  assert.equal(setting.statusCode, 400, setting.body);
  assert.equal(setting.json<{ code: string }>().code, 'sql-forbidden-function');
});

test('SQL that reads files, writes, loads extensions, changes settings or is not one SELECT is refused with 400', async () => {
  const refused: [string, string][] = [
    [`SELECT * FROM read_csv('/etc/passwd')`, 'sql-forbidden-source'],
    [`SELECT * FROM read_parquet('${join(tmpdir(), 'x.parquet')}')`, 'sql-forbidden-source'],
    [`SELECT * FROM read_text('/etc/hostname')`, 'sql-forbidden-source'],
    [
      `SELECT * FROM runs WHERE run_id IN (SELECT column0 FROM read_csv('/etc/passwd'))`,
      'sql-forbidden-source',
    ],
    [`SELECT * FROM '/etc/passwd'`, 'sql-forbidden-source'],
    [`SELECT * FROM glob('/*')`, 'sql-forbidden-source'],
    [`SELECT * FROM query('SELECT 1')`, 'sql-forbidden-source'],
    [`SELECT * FROM duckdb_settings()`, 'sql-forbidden-source'],
    [`SELECT * FROM information_schema.tables`, 'sql-forbidden-source'],
    [`SHOW TABLES`, 'sql-forbidden-source'],
    [`COPY runs TO '/tmp/ferry-leak.csv'`, 'sql-not-select'],
    [`COPY (SELECT 1) TO '/tmp/ferry-leak.csv'`, 'sql-not-select'],
    [`ATTACH '/tmp/ferry.db' AS x`, 'sql-not-select'],
    [`INSTALL httpfs`, 'sql-not-select'],
    [`LOAD httpfs`, 'sql-not-select'],
    [`PRAGMA version`, 'sql-not-select'],
    [`SET enable_external_access = true`, 'sql-not-select'],
    [`CREATE TABLE t AS SELECT 1`, 'sql-not-select'],
    [`DELETE FROM runs`, 'sql-not-select'],
    [`-- nothing but a comment`, 'sql-not-select'],
    [`SELECT 1; SELECT 2`, 'sql-multiple-statements'],
    [`SELECT 1; COPY runs TO '/tmp/ferry-leak.csv'`, 'sql-not-select'],
    [`SELEC 1`, 'sql-syntax-error'],
    [`SELECT no_such_column FROM runs`, 'query-failed'],
  ];
  for (const [query, code] of refused) {
    const body = assertProblem(await sql(query), 400, code);
    assert.deepEqual(
      (body.errors as { field: string }[]).map((e) => e.field),
      ['body.sql'],
      query,
    );
  }
  assertProblem(
    await sql(`SELECT * FROM read_csv('/etc/passwd')`),
    400,
    'sql-forbidden-source',
    /table function read_csv\(\) is not allowed: queries may read only the metrics tables \([a-z_, ]*\bruns\b[a-z_, ]*\) and the table functions range, generate_series, unnest$/,
  );
  assertProblem(
    await sql("COPY runs TO '/tmp/x'"),
    400,
    'sql-not-select',
    /must be a single read-only SELECT/,
  );
  assertProblem(await sql('SELECT 1', 10_001), 400, 'invalid-request', /body\.maxRows/);
  assertProblem(
    await postAs(api.app, 'admin', '/v1/metrics/query', { sql: 'SELECT 1', path: '/etc' }),
    400,
    'invalid-request',
    /must NOT have additional properties/,
  );
  assertProblem(
    await api.app.inject({ method: 'POST', url: '/v1/metrics/query', headers: auth('admin'), payload: {} }),
    400,
    'invalid-request',
    /body\.sql/,
  );
  assertProblem(await sql('SELECT 1', undefined, 'viewer'), 403, 'forbidden');
  assertProblem(await sql('SELECT 1', undefined, 'operator'), 403, 'forbidden');
});

test('a query that runs too long is interrupted with a timeout problem within about 6 s, and a third at once is turned away', async () => {
  // Slow but small: a streamed scan (a cross join would now hit the per-query memory limit first, no spilling).
  const slow = 'SELECT sum(range % 7) AS s FROM range(1000000000000)';
  const started = Date.now();
  const answers = await Promise.all([sql(slow), sql(slow), sql(slow)]);
  const elapsed = Date.now() - started;
  const byCode = answers.map((r) => `${r.statusCode} ${String(json(r).code)}`).sort();
  assert.deepEqual(byCode, ['400 query-timeout', '400 query-timeout', '429 too-many-queries']);
  assertProblem(
    answers.find((r) => r.statusCode === 400)!,
    400,
    'query-timeout',
    /ran longer than 5 s and was stopped/,
  );
  assertProblem(
    answers.find((r) => r.statusCode === 429)!,
    429,
    'too-many-queries',
    /2 SQL queries are already running/,
  );
  assert.ok(elapsed < 6500, `answered after ${elapsed} ms`);
  assert.deepEqual(
    ok(await sql('SELECT 42 AS answer')).rows,
    [{ answer: 42 }],
    'the API still answers afterwards',
  );
});

test('an operator uploads a CSV as a snapshot (201), the same bytes again are the same snapshot (200), and the dataset lists it', async () => {
  const name = `upload-${h.id}`;
  const csv = 'customer,plan,charges\n1,basic,10.5\n2,premium,99\n3,standard,42.25\n';
  const sha = createHash('sha256').update(csv).digest('hex');
  const url = `/v1/datasets/${name}`;
  const created = ok(
    await api.app.inject({
      method: 'POST',
      url,
      headers: { ...auth('operator'), 'content-type': 'text/csv' },
      payload: csv,
    }),
    201,
  ) as { sha256: string; created: boolean; manifest: Record<string, unknown> };
  assert.equal(created.sha256, sha);
  assert.equal(created.created, true);
  assert.deepEqual(
    { ...created.manifest, createdAt: undefined },
    {
      name,
      sha256: sha,
      sourceFormat: 'csv',
      bytes: Buffer.byteLength(csv),
      rowCount: 3,
      schema: [
        { name: 'customer', type: 'BIGINT' },
        { name: 'plan', type: 'VARCHAR' },
        { name: 'charges', type: 'DOUBLE' },
      ],
      source: 'api upload by oscar-operator',
      createdAt: undefined,
      dataKey: `datasets/${name}/snapshots/${sha}/data.parquet`,
      sourceKey: `datasets/${name}/snapshots/${sha}/source.csv`,
      dataWriter: 'ferry',
    },
  );
  const again = ok(
    await api.app.inject({
      method: 'POST',
      url,
      headers: { ...auth('admin'), 'content-type': 'text/csv; charset=utf-8' },
      payload: Readable.from([csv.slice(0, 10), csv.slice(10)]),
    }),
  );
  assert.deepEqual(again, { ...created, created: false });

  const listed = ok(await api.app.inject({ url, headers: auth('viewer') })) as {
    name: string;
    latest: { sha256: string };
    snapshots: { sha256: string }[];
  };
  assert.equal(listed.name, name);
  assert.equal(listed.latest.sha256, sha);
  assert.deepEqual(
    listed.snapshots.map((s) => s.sha256),
    [sha],
  );
  assert.deepEqual(await readdir(scratchDir), [], 'upload files are deleted after ingest');

  // A Parquet file uploaded as octet-stream (the bytes of the churn snapshot) becomes a second, newer snapshot.
  const parquet = await h.deps.store.get((await h.deps.catalog.manifest(`churn-${h.id}`, snapshot)).dataKey);
  const second = ok(
    await api.app.inject({
      method: 'POST',
      url,
      headers: { ...auth('operator'), 'content-type': 'application/octet-stream' },
      payload: parquet,
    }),
    201,
  ) as { sha256: string; manifest: { sourceFormat: string; rowCount: number } };
  assert.equal(second.manifest.sourceFormat, 'parquet');
  assert.equal(second.manifest.rowCount, 3000);
  const relisted = ok(await api.app.inject({ url, headers: auth('viewer') })) as {
    latest: { sha256: string };
    snapshots: { sha256: string }[];
  };
  assert.equal(relisted.latest.sha256, second.sha256);
  assert.deepEqual(
    relisted.snapshots.map((s) => s.sha256),
    [second.sha256, sha],
    'newest first',
  );
});

test('uploads of the wrong type, under a bad name, of unreadable bytes, by a viewer or to an unknown dataset are refused', async () => {
  const url = `/v1/datasets/refused-${h.id}`;
  const csvHeaders = { ...auth('operator'), 'content-type': 'text/csv' };
  assertProblem(
    await api.app.inject({ method: 'POST', url, headers: auth('operator'), payload: { a: 1 } }),
    415,
    'unsupported-media-type',
    /"application\/json" is not accepted: send the file as text\/csv, application\/vnd\.apache\.parquet, application\/octet-stream/,
  );
  assertProblem(
    await api.app.inject({
      method: 'POST',
      url,
      headers: { ...auth('operator'), 'content-type': 'image/png' },
      payload: 'x',
    }),
    415,
    'unsupported-media-type',
  );
  assertProblem(
    await api.app.inject({ method: 'POST', url, headers: auth('operator'), payload: 'a,b\n1,2\n' }),
    415,
    'unsupported-media-type',
  );
  const badName = assertProblem(
    await api.app.inject({
      method: 'POST',
      url: '/v1/datasets/Bad.Name',
      headers: csvHeaders,
      payload: 'a\n1\n',
    }),
    400,
    'invalid-request',
  );
  assert.deepEqual(
    (badName.errors as { field: string }[]).map((e) => e.field),
    ['params.name'],
  );
  assert.match(String(badName.detail), /params\.name: must match pattern/);
  assertProblem(
    await api.app.inject({
      method: 'POST',
      url,
      headers: { ...auth('operator'), 'content-type': 'application/vnd.apache.parquet' },
      payload: 'a,b\n1,2\n',
    }),
    400,
    'unsupported-dataset-file',
    /not a usable Parquet file: has a \.parquet extension but does not start with the Parquet magic bytes "PAR1"/,
  );
  assertProblem(
    await api.app.inject({ method: 'POST', url, headers: csvHeaders, payload: '' }),
    400,
    'unsupported-dataset-file',
    /the file is empty/,
  );
  assertProblem(
    await api.app.inject({
      method: 'POST',
      url,
      headers: csvHeaders,
      payload: Buffer.from([0x61, 0x00, 0x62, 0x0a]),
    }),
    400,
    'unsupported-dataset-file',
    /binary data/,
  );
  assertProblem(
    await api.app.inject({
      method: 'POST',
      url,
      headers: { ...auth('viewer'), 'content-type': 'text/csv' },
      payload: 'a\n1\n',
    }),
    403,
    'forbidden',
  );
  assertProblem(
    await api.app.inject({ url, headers: auth('viewer') }),
    404,
    'dataset-not-found',
    new RegExp(`dataset "refused-${h.id}" not found`),
  );
  assert.deepEqual(await readdir(scratchDir), [], 'refused uploads leave nothing behind');
});

test('an upload over the size limit is refused with 413 whether or not it declares its length, and nothing is kept', async () => {
  const small = await createApiHarness(h, { scratchDir, limits: { ...api.deps.limits, maxUploadBytes: 64 } });
  try {
    const url = `/v1/datasets/big-${h.id}`;
    const headers = { ...auth('operator'), 'content-type': 'text/csv' };
    const big = `a,b\n${'1,2\n'.repeat(100)}`;
    const declared = assertProblem(
      await small.app.inject({ method: 'POST', url, headers, payload: big }),
      413,
      'upload-too-large',
      /larger than the limit of 64 bytes/,
    );
    assert.equal(declared.title, 'Payload Too Large');
    // Streamed in chunks without a length: the limit is enforced on the bytes as they arrive.
    const streamed = await small.app.inject({
      method: 'POST',
      url,
      headers,
      payload: Readable.from(Array.from({ length: 50 }, () => Buffer.from('1,2\n'))),
    });
    assertProblem(streamed, 413, 'upload-too-large');
    assert.equal(streamed.headers.connection, 'close');
    assert.equal(
      ok(await small.app.inject({ method: 'POST', url, headers, payload: 'a,b\n1,2\n' }), 201).created,
      true,
      'a file within the limit is accepted',
    );
    assert.deepEqual(await readdir(scratchDir), []);
    assertProblem(
      await small.app.inject({ url: `/v1/datasets/big-${h.id}x`, headers: auth('viewer') }),
      404,
      'dataset-not-found',
    );
  } finally {
    await small.close();
  }
});

test('the audit log lists the rollback with before and after, decisions and refused calls, for admins only', async () => {
  assertProblem(await api.app.inject({ url: '/v1/audit', headers: auth('viewer') }), 403, 'forbidden');
  const refusedRead = await api.app.inject({ url: '/v1/audit', headers: auth('operator') });
  assertProblem(refusedRead, 403, 'forbidden');
  assertProblem(
    await api.app.inject({ url: '/v1/audit?limit=0', headers: auth('admin') }),
    400,
    'invalid-request',
    /querystring\.limit/,
  );
  const events = await eventually('the rollback in the audit log', async () => {
    const body = ok(await api.app.inject({ url: '/v1/audit?limit=1000', headers: auth('admin') })) as {
      events: Record<string, unknown>[];
    };
    const mine = body.events.filter((e) => e.target === `/v1/models/${model}/rollback`);
    return mine.some((e) => e.status === 200) ? mine : undefined;
  });
  const rollback = events.find((e) => e.status === 200)!;
  assert.deepEqual(
    { ...rollback, at: undefined, requestId: undefined },
    {
      at: undefined,
      who: 'ann-admin',
      role: 'admin',
      action: 'POST /v1/models/:model/rollback',
      target: `/v1/models/${model}/rollback`,
      status: 200,
      result: 'ok',
      requestId: undefined,
      before: { champion: 2 },
      after: { champion: 1 },
      detail: 'v2 misbehaves in production',
    },
  );
  assert.ok(
    events.some((e) => e.who === 'oscar-operator' && e.status === 403 && e.result === 'refused'),
    'the refused operator is there too',
  );
  const all = (
    ok(await api.app.inject({ url: '/v1/audit?limit=1000', headers: auth('admin') })) as {
      events: Record<string, unknown>[];
    }
  ).events;
  // A refused read of an admin route is audited, with why it was refused.
  const read = all.find((e) => e.requestId === refusedRead.headers['x-request-id']);
  assert.deepEqual(read && { who: read.who, action: read.action, status: read.status, detail: read.detail }, {
    who: 'oscar-operator',
    action: 'GET /v1/audit',
    status: 403,
    detail: 'role "operator" may not do this; it needs "admin" or higher',
  });
  // Decisions made inside runs (here by the auto policy) land in the log too.
  const decision = all.find((e) => e.requestId === runIds[0] && e.action === 'decision approve (policy)');
  assert.deepEqual(decision && { who: decision.who, target: decision.target, after: decision.after }, {
    who: 'policy:auto',
    target: `/v1/models/${model}/versions/1`,
    after: { decision: 'approve', by: 'policy:auto', via: 'policy' },
  });
  const two = ok(await api.app.inject({ url: '/v1/audit?limit=2', headers: auth('admin') })) as {
    events: { at: string }[];
  };
  assert.equal(two.events.length, 2);
  assert.ok(two.events[0]!.at >= two.events[1]!.at, 'newest first');
});
