// Model serving against the real Temporal dev server and MinIO: two churn versions trained by the
// pipeline, predictions through app.inject (single rows, batches, refusals that name the problem),
// a 50/50 split that is sticky per request key, a hot swap under load that fails nothing, shadow
// scoring that is logged but never answers, and feedback landing in the metrics tables.
import { spawn } from 'node:child_process';
import { createServer as createNetServer } from 'node:net';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LightMyRequestResponse } from 'fastify';
import type { FastifyInstance } from 'fastify';
import { buildServingApp } from '../../api/serve-main.js';
import { configEnv } from '../../core/config.js';
import { repoRoot } from '../../infra/local/stack.js';
import { generateChurnRows } from '../../core/datasets/synthetic-churn.js';
import type { DeploymentTarget } from '../../core/serving/deployment.js';
import { createServing, type Serving } from '../../core/serving/service.js';
import { latestFeedbackSql } from '../../core/warehouse/queries.js';
import {
  auth,
  createApiHarness,
  postAs,
  storedTokens,
  tokens,
  type ApiHarness,
  type TokenName,
} from '../helpers/api.js';
import { createHarness, eventually, type Harness } from '../helpers/pipeline.js';

let h: Harness;
let api: ApiHarness;
let model: string;
/** The first version trained, and the second, which is the champion when the tests start. */
let v1: number;
let v2: number;

type Row = Record<string, number | string | null>;

/** Feature rows of the synthetic churn data (the label left out). */
function churnRows(n: number, seed: number): Row[] {
  return [...generateChurnRows({ rows: n, seed })].map(({ churned: _label, ...features }) => features);
}

before(async () => {
  h = await createHarness();
  api = await createApiHarness(h);
  const snapshot = await h.ingestChurn({ rows: 3000, seed: 61 });
  // Two cheap runs; a loose regression gate lets the second (another seed) pass and become champion.
  const specFor = (seed: number) =>
    h.spec((s) => ({
      ...s,
      training: { ...s.training, epochs: 2, seed, earlyStopping: undefined },
      evaluation: { ...s.evaluation, maxRegression: 1, thresholds: { auc: 0.5 } },
    }));
  for (const seed of [7, 8]) {
    const result = await (
      await h.start(specFor(seed), { datasetSnapshot: snapshot, approvalPolicy: 'auto' })
    ).result();
    assert.equal(result.outcome, 'promoted', JSON.stringify(result));
  }
  model = h.spec().model;
  [v1, v2] = [1, 2];
  assert.deepEqual(await h.deps.registry.aliases(model), { champion: v2 });
});
after(async () => {
  await api?.close();
  await h?.close();
});

interface PredictBody {
  model: string;
  version: number;
  predictions: {
    predictionId: string;
    probabilities?: Record<string, number>;
    label?: string;
    value?: number;
  }[];
}

function predict(
  body: unknown,
  who: TokenName = 'viewer',
  app: FastifyInstance = api.app,
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: `/v1/models/${model}/predict`,
    headers: auth(who),
    payload: body as object,
  });
}

function assertProblem(
  res: LightMyRequestResponse,
  status: number,
  code: string,
  detail: RegExp,
): { field: string; rule: string }[] | undefined {
  assert.equal(res.statusCode, status, res.body);
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  const body = res.json() as { code: string; detail: string; errors?: { field: string; rule: string }[] };
  assert.equal(body.code, code, res.body);
  assert.match(body.detail, detail);
  return body.errors;
}

/** Changes the deployment and waits until `serving` answers with it. */
async function deploy(serving: Serving, target: DeploymentTarget, reason: string): Promise<number> {
  const d = await serving.deployments.set(model, target, { actor: 'test-runner', reason });
  await serving.state.table(model);
  await eventually(
    `serving to pick up revision ${d.revision}`,
    async () => serving.state.current(model)?.revision === d.revision || undefined,
    10_000,
  );
  return d.revision;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

test('one row gets class probabilities that sum to 1, the most likely label, a prediction id and the champion as version', async () => {
  const [row] = churnRows(1, 1);
  const res = await predict({ rows: [row] });
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json() as PredictBody;
  assert.equal(body.model, model);
  assert.equal(body.version, v2);
  assert.equal(body.predictions.length, 1);
  const [p] = body.predictions;
  assert.match(p!.predictionId, uuid);
  assert.deepEqual(Object.keys(p!.probabilities!).sort(), ['0', '1']);
  const probs = Object.values(p!.probabilities!);
  assert.ok(Math.abs(probs[0]! + probs[1]! - 1) < 1e-5, `probabilities ${JSON.stringify(p!.probabilities)}`);
  assert.equal(p!.label, p!.probabilities!['1']! > p!.probabilities!['0']! ? '1' : '0');
  // Predictions are exempt from the control plane's per-token rate limit; other /v1 routes are not.
  assert.equal(res.headers['x-ratelimit-limit'], undefined);
  assert.ok(
    (await api.app.inject({ url: '/v1/pipelines', headers: auth('viewer') })).headers['x-ratelimit-limit'],
  );
});

test('a batch of 64 rows gets 64 answers with distinct ids, in row order', async () => {
  const rows = churnRows(64, 2);
  const res = await predict({ rows });
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json() as PredictBody;
  assert.equal(body.predictions.length, 64);
  assert.equal(new Set(body.predictions.map((p) => p.predictionId)).size, 64);
  for (const p of body.predictions)
    assert.ok(Math.abs(p.probabilities!['0']! + p.probabilities!['1']! - 1) < 1e-5);
  // Row order: the batch answer for row 5 equals row 5 scored alone.
  const alone = (await predict({ rows: [rows[5]] })).json() as PredictBody;
  assert.ok(
    Math.abs(alone.predictions[0]!.probabilities!['1']! - body.predictions[5]!.probabilities!['1']!) < 1e-6,
  );
});

test('an unknown category is scored (it takes the unknown slot), and so is a null', async () => {
  const [row] = churnRows(1, 3);
  const res = await predict({
    rows: [
      { ...row, plan: 'platinum' },
      { ...row, region: null },
    ],
  });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal((res.json() as PredictBody).predictions.length, 2);
});

test('bad input is 400 naming the row, the feature and the rule', async () => {
  const [row] = churnRows(1, 4) as [Row];
  const { age: _age, ...missingAge } = row;
  let errors = assertProblem(
    await predict({ rows: [row, missingAge] }),
    400,
    'invalid-input',
    /^rows\[1\]\.age: is missing \(numeric feature\)$/,
  );
  assert.deepEqual(errors, [{ field: 'rows[1].age', rule: 'is missing (numeric feature)' }]);
  assertProblem(
    await predict({ rows: [{ ...row, tenure_months: 'ten' }] }),
    400,
    'invalid-input',
    /^rows\[0\]\.tenure_months: must be a finite number \(numeric feature\), got "ten"$/,
  );
  assertProblem(
    await predict({ rows: [{ ...row, plan: 2 }] }),
    400,
    'invalid-input',
    /^rows\[0\]\.plan: must be a string \(categorical feature\), got 2$/,
  );
  errors = assertProblem(
    await predict({ rows: [{ ...row, churned: 1 }] }),
    400,
    'invalid-input',
    /^rows\[0\]\.churned: is not a feature of this model \(features: /,
  );
  assert.equal(errors?.[0]?.field, 'rows[0].churned');
  assertProblem(
    await predict({ rows: new Array(1001).fill(row) }),
    400,
    'invalid-request',
    /^body\.rows: must NOT have more than 1000 items$/,
  );
  assertProblem(
    await predict({ rows: [] }),
    400,
    'invalid-request',
    /^body\.rows: must NOT have fewer than 1 items$/,
  );
  assertProblem(
    await predict({ rows: [row], extra: true }),
    400,
    'invalid-request',
    /must NOT have additional properties/,
  );
});

test('a finite number that would overflow the model (1e40) is 400 naming the feature and the bound, never a 500', async () => {
  const [row] = churnRows(1, 5) as [Row];
  for (const huge of [1e40, -1e300, 3.5e38]) {
    const errors = assertProblem(
      await predict({ rows: [{ ...row, age: huge }] }),
      400,
      'invalid-input',
      /^rows\[0\]\.age: must lie within 1000000 training standard deviations of the training mean/,
    );
    assert.equal(errors?.length, 1);
    assert.equal(errors?.[0]?.field, 'rows[0].age');
  }
  const ok = await predict({ rows: [{ ...row, age: 1000 }] });
  assert.equal(ok.statusCode, 200, 'far outside the data but within the bound is still answered');
  const [p] = (ok.json() as PredictBody).predictions;
  assert.ok(Object.values(p!.probabilities!).every(Number.isFinite));
});

test('a model with no deployment and no champion is 404, and predicting needs a valid token of any role', async () => {
  const res = await postAs(api.app, 'viewer', '/v1/models/no-such-model/predict', { rows: [{ a: 1 }] });
  assertProblem(res, 404, 'model-not-deployed', /model "no-such-model" is not deployed/);
  const [row] = churnRows(1, 5);
  assertProblem(
    await api.app.inject({ method: 'POST', url: `/v1/models/${model}/predict`, payload: { rows: [row] } }),
    401,
    'unauthenticated',
    /missing bearer token/,
  );
  for (const who of ['viewer', 'operator', 'approver', 'admin'] as const)
    assert.equal((await predict({ rows: [row] }, who)).statusCode, 200, who);
});

test('a 50/50 deployment is sticky per request key and splits about evenly without keys', async () => {
  await deploy(
    api.deps.serving,
    {
      routes: [
        { version: v1, weight: 50 },
        { version: v2, weight: 50 },
      ],
    },
    '50/50 split',
  );
  const [row] = churnRows(1, 6);
  const byKey = new Map<string, Set<number>>();
  await Promise.all(
    Array.from({ length: 40 }, (_, k) => `customer-${k}`).flatMap((key) =>
      Array.from({ length: 5 }, async () => {
        const res = await predict({ rows: [row], requestKey: key });
        assert.equal(res.statusCode, 200, res.body);
        const versions = byKey.get(key) ?? new Set<number>();
        versions.add((res.json() as PredictBody).version);
        byKey.set(key, versions);
      }),
    ),
  );
  for (const [key, versions] of byKey)
    assert.equal(versions.size, 1, `${key} was answered by versions ${[...versions].join(', ')}`);
  const keyed = [...byKey.values()].map((s) => [...s][0]);
  assert.ok(keyed.includes(v1) && keyed.includes(v2), 'keys land on both versions');

  const answers = await Promise.all(Array.from({ length: 400 }, () => predict({ rows: [row] })));
  const fromV1 = answers.filter((r) => (r.json() as PredictBody).version === v1).length;
  // Binomial(400, 0.5): sd 10, so 150…250 is a 5-sd band.
  assert.ok(fromV1 > 150 && fromV1 < 250, `${fromV1} of 400 keyless requests went to version ${v1}`);
});

test('a hot swap under load: no request fails, and within 3 s every answer comes from the new version', async () => {
  // A separate replica (the standalone serving app) with an empty cache, so the new version really loads mid-traffic.
  const serving = createServing({
    store: h.deps.store,
    metrics: h.deps.metrics,
    replicaId: `swap-${h.id}`,
    graceMs: 500,
  });
  const replica = await buildServingApp({ serving, store: h.deps.store, tokens: storedTokens });
  try {
    await deploy(serving, { routes: [{ version: v1, weight: 100 }] }, 'before the swap');
    const rows = churnRows(20, 7);
    const results: { status: number; version: number | undefined; startedAt: number; endedAt: number }[] = [];
    const fire = async (i: number) => {
      const startedAt = Date.now();
      const res = await predict({ rows: [rows[i % rows.length]] }, 'viewer', replica);
      results.push({
        status: res.statusCode,
        version: res.statusCode === 200 ? (res.json() as PredictBody).version : undefined,
        startedAt,
        endedAt: Date.now(),
      });
    };
    const inFlight: Promise<void>[] = [];
    let switchedAt = 0;
    // 20 waves of 15 requests, 200 ms apart; the deployment changes after the second wave.
    for (let wave = 0; wave < 20; wave++) {
      for (let i = 0; i < 15; i++) inFlight.push(fire(wave * 15 + i));
      if (wave === 1) {
        await serving.deployments.set(
          model,
          { routes: [{ version: v2, weight: 100 }] },
          { actor: 'test-runner', reason: 'swap under load' },
        );
        switchedAt = Date.now();
      }
      await sleep(200);
    }
    await Promise.all(inFlight);

    assert.equal(results.length, 300);
    assert.deepEqual(
      results.filter((r) => r.status !== 200),
      [],
      'every request succeeded',
    );
    assert.ok(
      results.some((r) => r.version === v1),
      'the old version answered before the swap',
    );
    const firstNew = Math.min(...results.filter((r) => r.version === v2).map((r) => r.endedAt));
    assert.ok(
      firstNew - switchedAt <= 3000,
      `the new version answered first ${firstNew - switchedAt} ms after the change`,
    );
    // One table swap: once the new version has answered, requests started afterwards never see the old one.
    assert.deepEqual(
      results.filter((r) => r.startedAt > firstNew && r.version !== v2),
      [],
    );
    const late = results.filter((r) => r.startedAt >= switchedAt + 3000);
    assert.ok(late.length >= 15, `${late.length} requests started 3 s after the change`);
    assert.ok(late.every((r) => r.version === v2));
    const slowest = Math.max(...results.map((r) => r.endedAt - r.startedAt));
    assert.ok(slowest < 1000, `the slowest request took ${slowest} ms: loading must not stall answers`);

    // The replica also answers health and refuses routes it does not serve.
    assert.deepEqual((await replica.inject({ url: '/healthz' })).json(), { status: 'ok' });
    assert.equal((await replica.inject({ url: '/v1/runs', headers: auth('viewer') })).statusCode, 404);
  } finally {
    await replica.close();
  }
});

test('a shadow version scores every row and is logged, but never answers', async () => {
  const serving = api.deps.serving;
  await deploy(serving, { routes: [{ version: v2, weight: 100 }], shadow: [v1] }, 'shadow v1');
  const rows = churnRows(5, 8);
  const answers = await Promise.all([
    ...Array.from({ length: 20 }, (_, i) => predict({ rows: [rows[i % 5]], requestKey: `shadow-${i}` })),
    predict({ rows }),
  ]);
  const ids: string[] = [];
  for (const res of answers) {
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as PredictBody;
    assert.equal(body.version, v2);
    ids.push(...body.predictions.map((p) => p.predictionId));
  }
  assert.equal(ids.length, 25);
  await serving.flush();
  const list = ids.map((id) => `'${id}'`).join(', ');
  const counts = await api.deps.metrics.query<{
    version: number;
    shadow: boolean;
    n: number;
    errors: number;
  }>(
    `SELECT version, shadow, count(*) AS n, count(error) AS errors FROM predictions WHERE model = ? AND prediction_id IN (${list}) GROUP BY version, shadow ORDER BY shadow`,
    [model],
  );
  assert.deepEqual(counts, [
    { version: v2, shadow: false, n: 25, errors: 0 },
    { version: v1, shadow: true, n: 25, errors: 0 },
  ]);
  const [logged] = await api.deps.metrics.query<Record<string, unknown>>(
    `SELECT version, request_key, features, output, predicted, latency_ms, ts FROM predictions WHERE model = ? AND prediction_id = ? AND NOT shadow`,
    [model, ids[0]!],
  );
  assert.equal(logged!.request_key, 'shadow-0');
  assert.deepEqual(JSON.parse(String(logged!.features)), rows[0]);
  const output = JSON.parse(String(logged!.output)) as Record<string, number>;
  assert.deepEqual(Object.keys(output).sort(), ['0', '1']);
  assert.equal(logged!.predicted, output['1']! > output['0']! ? '1' : '0');
  assert.ok(Number(logged!.latency_ms) > 0);
  assert.ok(
    Math.abs(Date.parse(`${String(logged!.ts).replace(' ', 'T')}Z`) - Date.now()) < 120_000,
    String(logged!.ts),
  );
});

test('feedback records the ground truth for a prediction id, so online accuracy can be computed', async () => {
  const rows = churnRows(10, 9);
  const res = await predict({ rows });
  const { predictions } = res.json() as PredictBody;
  const url = `/v1/models/${model}/feedback`;
  for (const [i, p] of predictions.entries()) {
    const fb = await postAs(api.app, 'operator', url, { predictionId: p.predictionId, label: i % 2 });
    assert.equal(fb.statusCode, 202, fb.body);
    assert.deepEqual(fb.json(), {
      model,
      predictionId: p.predictionId,
      label: String(i % 2),
      status: 'accepted',
      outcome: 'recorded',
    });
  }
  const first = predictions[0]!.predictionId;
  assertProblem(
    await postAs(api.app, 'viewer', url, { predictionId: first, label: '1' }),
    403,
    'forbidden',
    /needs "operator" or higher/,
  );
  assertProblem(
    await postAs(api.app, 'operator', url, { predictionId: first, label: 'maybe' }),
    400,
    'invalid-input',
    /^label: must be one of the model's classes \("0", "1"\), got "maybe"$/,
  );
  assertProblem(
    await postAs(api.app, 'operator', url, { predictionId: 'not-an-id', label: '1' }),
    400,
    'invalid-request',
    /body\.predictionId/,
  );

  await api.deps.serving.flush();
  const list = predictions.map((p) => `'${p.predictionId}'`).join(', ');
  const [joined] = await api.deps.metrics.query<{ labelled: number; correct: number }>(
    `SELECT count(*) AS labelled, count(*) FILTER (WHERE p.predicted = f.label) AS correct
     FROM feedback f JOIN predictions p ON p.model = f.model AND p.prediction_id = f.prediction_id AND NOT p.shadow
     WHERE f.model = ? AND f.prediction_id IN (${list})`,
    [model],
  );
  assert.equal(joined!.labelled, 10);
  const expectedCorrect = predictions.filter((p, i) => p.label === String(i % 2)).length;
  assert.equal(joined!.correct, expectedCorrect);
});

test('a serve process that gets SIGTERM right after answering has every prediction row in storage', async () => {
  const server = createNetServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  const viewer = tokens.viewer;
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/serve-main.ts', '--port', String(port)], {
    cwd: repoRoot,
    env: { ...configEnv(h.config), FERRY_API_TOKENS: `${viewer.name}:${viewer.role}:${viewer.secret}` },
    stdio: 'ignore',
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  try {
    const base = `http://127.0.0.1:${port}`;
    await eventually('the serve process', async () =>
      (await fetch(`${base}/healthz`)).ok ? true : undefined,
    );
    const tag = `sigterm-${h.id}`;
    let answered = 0;
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${base}/v1/models/${model}/predict`, {
        method: 'POST',
        headers: { ...auth('viewer'), 'content-type': 'application/json' },
        body: JSON.stringify({ rows: churnRows(10, 100 + i), requestKey: `${tag}-${i}` }),
      });
      assert.equal(res.status, 200, await res.text());
      answered += 10;
    }
    // Well inside the 2 s flush interval: these rows are still in memory when the signal lands.
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    const [row] = await h.deps.metrics.query<{ n: number }>(
      `SELECT count(*)::INTEGER AS n FROM predictions WHERE model = ? AND NOT shadow AND starts_with(request_key, ?)`,
      [model, tag],
    );
    assert.equal(row?.n, answered);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});

test('a label for a prediction id that was never served is refused with 404', async () => {
  const res = await postAs(api.app, 'operator', `/v1/models/${model}/feedback`, {
    predictionId: '00000000-0000-4000-8000-000000000000',
    label: '1',
  });
  const errors = assertProblem(res, 404, 'prediction-not-found', /never served prediction "00000000-/);
  assert.deepEqual(errors, [
    { field: 'body.predictionId', rule: 'must be the id of a prediction this model served' },
  ]);
});

test('the first label of a prediction id stands: a repeat is unchanged, another label is 409, and only an approver may replace it', async () => {
  const [p] = (await predict({ rows: churnRows(1, 31) })).json<PredictBody>().predictions;
  const id = p!.predictionId;
  const send = (label: string, who: TokenName, replace?: boolean) =>
    api.app.inject({
      method: 'POST',
      url: `/v1/models/${model}/feedback`,
      headers: auth(who),
      payload: { predictionId: id, label, ...(replace === undefined ? {} : { replace }) },
    });
  assert.equal((await send('1', 'operator')).json<{ outcome: string }>().outcome, 'recorded');
  const again = await send('1', 'operator');
  assert.equal(again.statusCode, 202, again.body);
  assert.equal(again.json<{ outcome: string }>().outcome, 'unchanged');
  assertProblem(await send('0', 'operator'), 409, 'feedback-exists', /already has the label "1"/);
  assertProblem(await send('0', 'operator', true), 403, 'forbidden', /needs role "approver"/);
  const replaced = await send('0', 'approver', true);
  assert.equal(replaced.statusCode, 202, replaced.body);
  assert.equal(replaced.json<{ outcome: string }>().outcome, 'replaced');

  await api.deps.serving.flush();
  const rows = await api.deps.metrics.query<{ n: number }>(
    `SELECT count(*)::INTEGER AS n FROM feedback WHERE model = ? AND prediction_id = ?`,
    [model, id],
  );
  assert.equal(rows[0]!.n, 2, 'the repeat and the refused label wrote nothing');
  const latest = await api.deps.metrics.query<{ label: string }>(
    `SELECT label FROM ${latestFeedbackSql} WHERE model = ? AND prediction_id = ?`,
    [model, id],
  );
  assert.deepEqual(latest, [{ label: '0' }]);
});

test('a prediction served by another replica is found in the log once that replica flushed it', async () => {
  const other = createServing({ store: h.deps.store, metrics: h.deps.metrics, replicaId: `other-${h.id}` });
  const replica = await buildServingApp({ serving: other, store: h.deps.store, tokens: storedTokens });
  try {
    const [p] = (await predict({ rows: churnRows(1, 41) }, 'viewer', replica)).json<PredictBody>()
      .predictions;
    const payload = { predictionId: p!.predictionId, label: '1' };
    const send = () =>
      api.app.inject({
        method: 'POST',
        url: `/v1/models/${model}/feedback`,
        headers: auth('operator'),
        payload,
      });
    // Not flushed yet: the API's serving cannot know it.
    assertProblem(await send(), 404, 'prediction-not-found', /never served/);
    await other.flush();
    const res = await send();
    assert.equal(res.statusCode, 202, res.body);
    assert.equal(res.json<{ outcome: string }>().outcome, 'recorded');
    // The label is the id's now, whichever replica is asked next.
    const viaReplica = await replica.inject({
      method: 'POST',
      url: `/v1/models/${model}/feedback`,
      headers: auth('operator'),
      payload: { ...payload, label: '0' },
    });
    assertProblem(viaReplica, 409, 'feedback-exists', /already has the label "1"/);
  } finally {
    await replica.close();
  }
});
