// Progressive rollout and the feedback loop on the real stack: a good candidate goes 10 → 50 → 100 %
// under load and becomes champion; a broken one is rolled back automatically while the champion
// keeps serving; a manual rollback under load fails no request; drifted traffic makes the monitor
// start exactly one retraining run with FerryTrigger=drift.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateChurnRows } from '../../core/datasets/synthetic-churn.js';
import { pipelineStatusQuery, approveCandidateUpdate } from '../../core/contracts/index.js';
import { rolloutStatusQuery } from '../../core/contracts/index.js';
import type { PipelineSpec } from '../../core/pipeline-spec/schema.js';
import { auth, createApiHarness, type ApiHarness } from '../helpers/api.js';
import { createHarness, eventually, historyText, type Harness } from '../helpers/pipeline.js';
import { monitorInputOf } from '../../api/services/monitor-schedules.js';
import { signatureHeader, verifyWebhook } from '../../core/webhooks/signature.js';

const webhookSecret = 'rollout-test-webhook-secret-0123456789';

let h: Harness;
let api: ApiHarness;
let snapshot: string;

type Row = Record<string, number | string | null>;
const rowsOf = (n: number, seed: number, drift = 0): Row[] =>
  [...generateChurnRows({ rows: n, seed, drift })].map(({ churned: _label, ...features }) => features);

/** Sends predictions from 4 concurrent loops until stopped; counts failures and answering versions. */
function startLoad(model: string, rows: Row[]) {
  let running = true;
  const versions = new Map<number, number>();
  const failures: string[] = [];
  let sent = 0;
  const loop = async (offset: number) => {
    for (let i = offset; running; i += 4) {
      let res;
      try {
        res = await api.app.inject({
          method: 'POST',
          url: `/v1/models/${model}/predict`,
          headers: auth('viewer'),
          payload: { rows: [rows[i % rows.length]], requestKey: `user-${i % 500}` },
        });
      } catch (err) {
        failures.push(String(err));
        return;
      }
      sent++;
      if (res.statusCode !== 200) failures.push(`${res.statusCode} ${res.body.slice(0, 200)}`);
      else {
        const v = (res.json() as { version: number }).version;
        versions.set(v, (versions.get(v) ?? 0) + 1);
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const loops = [0, 1, 2, 3].map(loop);
  return {
    versions,
    sent: () => sent,
    async stop() {
      running = false;
      await Promise.all(loops);
      return { sent, failures, versions };
    },
  };
}

const canary = (s: Parameters<Parameters<Harness['spec']>[0] & object>[0]) => ({
  ...s,
  training: { ...s.training, epochs: 2, earlyStopping: undefined },
  evaluation: { ...s.evaluation, maxRegression: 1, thresholds: { auc: 0.5 } },
  rollout: {
    strategy: 'canary' as const,
    steps: [10, 50, 100],
    bake: '3s',
    guards: { maxErrorRate: 0.01, maxP99LatencyMs: 250, maxPredictionPsi: 2, minRequests: 5, minLabels: 50 },
  },
});

let spec: PipelineSpec;
before(async () => {
  // The webhook receiver below listens on loopback, which only an explicit allowlist admits.
  h = await createHarness({ env: { FERRY_WEBHOOK_ALLOW: '127.0.0.1', FERRY_WEBHOOK_SECRET: webhookSecret } });
  api = await createApiHarness(h);
  snapshot = await h.ingestChurn({ rows: 3000, seed: 71 });
  spec = h.spec(canary);
  const first = await (await h.start(spec, { datasetSnapshot: snapshot, approvalPolicy: 'auto' })).result();
  assert.equal(first.outcome, 'promoted');
  assert.equal(first.rollout?.reason, 'first version: nothing to roll out against');
});
after(async () => {
  await api.close();
  await h.close();
});

test(
  'a good candidate steps through 10 → 50 → 100 % under load and becomes champion with no failed request',
  { timeout: 180_000 },
  async () => {
    const load = startLoad(spec.model, rowsOf(500, 72));
    // Bake long enough for replicas to switch (≤ 1 s) and the prediction log to flush (every 2 s).
    const handle = await h.start(spec, {
      datasetSnapshot: snapshot,
      approvalPolicy: 'auto',
      rolloutBakeMs: 8000,
    });
    const phases = new Set<string>();
    const watcher = (async () => {
      for (;;) {
        const s = await h.client.workflow
          .getHandle(`rollout-${handle.workflowId}`)
          .query(rolloutStatusQuery)
          .catch(() => undefined);
        if (s) phases.add(s.phase);
        if (s?.phase === 'promoted' || s?.phase === 'rolled-back') return;
        await new Promise((r) => setTimeout(r, 300));
      }
    })();
    const result = await handle.result().finally(() => watcher);
    const { failures, versions } = await load.stop();
    assert.equal(result.outcome, 'promoted', JSON.stringify(result.rollout));
    assert.deepEqual(failures, []);
    assert.equal((await h.deps.registry.aliases(spec.model)).champion, result.version);
    for (const p of ['canary-10', 'canary-50', 'canary-100'])
      assert.ok(phases.has(p), `saw phases ${[...phases].join(', ')}`);
    assert.ok((versions.get(result.version) ?? 0) > 0, 'the candidate answered traffic');
    const view = (
      await api.app.inject({ url: `/v1/runs/${handle.workflowId}`, headers: auth('viewer') })
    ).json() as {
      outcome: string;
      rollout: { phase: string; weights: Record<string, number>; lastGuards: { requests: number } };
    };
    assert.equal(view.outcome, 'promoted');
    assert.equal(view.rollout.phase, 'promoted');
    assert.deepEqual(view.rollout.weights, { [`v${result.version}`]: 100 });
    assert.ok(view.rollout.lastGuards.requests >= 5, JSON.stringify(view.rollout.lastGuards));
    const history = await api.deps.serving.deployments.history(spec.model);
    const weights = history.map((c) => c.to.routes.find((r) => r.version === result.version)?.weight ?? 0);
    assert.deepEqual(weights.slice(-3), [10, 50, 100]);
  },
);

test(
  'a broken candidate is rolled back automatically and the champion serves throughout',
  { timeout: 180_000 },
  async () => {
    const champion = (await h.deps.registry.aliases(spec.model)).champion!;
    const handle = await h.start(spec, {
      datasetSnapshot: snapshot,
      approvalPolicy: 'manual',
      rolloutBakeMs: 3000,
    });
    const waiting = await eventually(
      'approval',
      async () => {
        const s = await handle.query(pipelineStatusQuery);
        return s.waitingFor ? s : undefined;
      },
      120_000,
    );
    // Break the candidate: its weights no longer load, so it can never answer.
    const candidate = await h.deps.registry.getVersion(spec.model, waiting.candidateVersion!);
    await h.deps.store.put(`${candidate.artifacts.modelPrefix}weights.bin`, new Uint8Array([1, 2, 3]));

    const load = startLoad(spec.model, rowsOf(500, 73));
    const result = await handle
      .executeUpdate(approveCandidateUpdate, { args: [{ by: 'reviewer', comment: 'ship it' }] })
      .then(() => handle.result())
      .finally(() => load.stop());
    const { failures, versions } = await load.stop();
    assert.equal(result.outcome, 'rolled-back');
    assert.match(
      result.rollout!.reason,
      /guard breached: no traffic: the candidate served no requests in the bake window \(at least 5 needed\)/,
    );
    assert.deepEqual(failures, [], 'no request failed while the broken candidate was rolled out and back');
    assert.deepEqual([...versions.keys()], [champion]);
    assert.equal((await h.deps.registry.aliases(spec.model)).champion, champion);
    const deployment = await api.deps.serving.deployments.get(spec.model);
    assert.deepEqual(deployment.routes, [{ version: champion, weight: 100 }]);
    const outcome = await h.deps.registry.rolloutOutcome(spec.model, candidate.version);
    assert.equal(outcome?.outcome, 'rolled-back');
  },
);

test(
  'an approver aborts a canary over the API and traffic returns to the champion at once',
  { timeout: 180_000 },
  async () => {
    const champion = (await h.deps.registry.aliases(spec.model)).champion!;
    const handle = await h.start(spec, {
      datasetSnapshot: snapshot,
      approvalPolicy: 'auto',
      rolloutBakeMs: 600_000,
    });
    await eventually(
      'the canary at 10 %',
      async () => {
        const res = await api.app.inject({ url: `/v1/runs/${handle.workflowId}`, headers: auth('viewer') });
        return (res.json() as { rollout: { phase: string } | null }).rollout?.phase === 'canary-10'
          ? true
          : undefined;
      },
      120_000,
    );
    const refused = await api.app.inject({
      method: 'POST',
      url: `/v1/runs/${handle.workflowId}/rollout/abort`,
      headers: auth('operator'),
      payload: { reason: 'x' },
    });
    assert.equal(refused.statusCode, 403);
    const res = await api.app.inject({
      method: 'POST',
      url: `/v1/runs/${handle.workflowId}/rollout/abort`,
      headers: auth('approver'),
      payload: { reason: 'latency complaints' },
    });
    assert.equal(res.statusCode, 200, res.body);
    const result = await handle.result();
    assert.equal(result.outcome, 'rolled-back');
    assert.equal(result.rollout?.reason, 'aborted by ada-approver: latency complaints');
    assert.deepEqual((await api.deps.serving.deployments.get(spec.model)).routes, [
      { version: champion, weight: 100 },
    ]);
    const again = await api.app.inject({
      method: 'POST',
      url: `/v1/runs/${handle.workflowId}/rollout/pause`,
      headers: auth('approver'),
    });
    assert.equal(again.statusCode, 409, again.body);
  },
);

/** Starts a run with a long bake and waits until its canary takes 10 %. */
async function canaryAt10(bakeMs: number) {
  const handle = await h.start(spec, {
    datasetSnapshot: snapshot,
    approvalPolicy: 'auto',
    rolloutBakeMs: bakeMs,
  });
  await eventually(
    'the canary at 10 %',
    async () => {
      const s = await h.client.workflow
        .getHandle(`rollout-${handle.workflowId}`)
        .query(rolloutStatusQuery)
        .catch(() => undefined);
      return s?.phase === 'canary-10' ? true : undefined;
    },
    120_000,
  );
  return handle;
}

test('cancelling a run mid-canary returns all traffic to the champion', { timeout: 180_000 }, async () => {
  const champion = (await h.deps.registry.aliases(spec.model)).champion!;
  const handle = await canaryAt10(600_000);
  const split = await api.deps.serving.deployments.get(spec.model);
  assert.equal(split.routes.length, 2, JSON.stringify(split.routes));
  await handle.cancel();
  await assert.rejects(handle.result(), (err: Error) => err.name === 'WorkflowFailedError');
  const rollout = await h.client.workflow.getHandle(`rollout-${handle.workflowId}`).describe();
  assert.equal(rollout.status.name, 'CANCELLED');
  assert.deepEqual((await api.deps.serving.deployments.get(spec.model)).routes, [
    { version: champion, weight: 100 },
  ]);
  const candidate = split.routes.find((r) => r.version !== champion)!.version;
  assert.equal(
    (await h.deps.registry.rolloutOutcome(spec.model, candidate))?.reason,
    'the rollout was cancelled',
  );
  assert.equal((await h.deps.registry.aliases(spec.model)).champion, champion);
});

test(
  'an admin rollback during a canary aborts that canary instead of being undone by its next step',
  { timeout: 180_000 },
  async () => {
    const champion = (await h.deps.registry.aliases(spec.model)).champion!;
    const handle = await canaryAt10(4000);
    const res = await api.app.inject({
      method: 'POST',
      url: `/v1/models/${spec.model}/rollback`,
      headers: auth('admin'),
      payload: { toVersion: champion, reason: 'pager went off' },
    });
    assert.equal(res.statusCode, 200, res.body);
    const result = await handle.result();
    assert.equal(result.outcome, 'rolled-back');
    assert.match(result.rollout!.reason, /^aborted: serving traffic was changed outside the rollout \(/);
    const deployment = await api.deps.serving.deployments.get(spec.model);
    assert.deepEqual(deployment.routes, [{ version: champion, weight: 100 }]);
    assert.equal(deployment.reason, 'rollback: pager went off', 'the admin change is the last one');
    assert.equal((await h.deps.registry.aliases(spec.model)).champion, champion);
  },
);

test(
  'a manual rollback under load takes serving back within seconds and fails no request',
  { timeout: 120_000 },
  async () => {
    const serving = (await api.deps.serving.deployments.get(spec.model)).routes;
    assert.equal(serving.length, 1, JSON.stringify(serving));
    const target = serving[0]!.version === 1 ? 2 : 1;
    const load = startLoad(spec.model, rowsOf(300, 74));
    let failures: string[];
    let beforeSwap = -1;
    try {
      await eventually(
        'steady traffic before the rollback',
        async () => (load.sent() > 40 ? true : undefined),
        10_000,
      );
      beforeSwap = load.versions.get(target) ?? 0;
      const res = await api.app.inject({
        method: 'POST',
        url: `/v1/models/${spec.model}/rollback`,
        headers: auth('admin'),
        payload: { toVersion: target, reason: 'support complaints' },
      });
      assert.equal(res.statusCode, 200, res.body);
      await eventually(
        `answers from version ${target}`,
        async () => ((load.versions.get(target) ?? 0) > 20 ? true : undefined),
        10_000,
      );
    } finally {
      ({ failures } = await load.stop());
    }
    assert.deepEqual(failures, []);
    assert.equal(beforeSwap, 0, `version ${target} answered before the rollback`);
    assert.equal((await h.deps.registry.aliases(spec.model)).champion, target);
  },
);

test(
  'drifted traffic makes the monitor start exactly one retraining run with FerryTrigger=drift',
  { timeout: 180_000 },
  async () => {
    // A webhook receiver on loopback: the monitor posts drift, the retraining run posts approval-waiting.
    const received: { event: string; model: string }[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        // Only deliveries that verify are counted.
        if (!verifyWebhook(webhookSecret, body, req.headers[signatureHeader] as string, new Date()))
          return res.writeHead(401).end();
        received.push(JSON.parse(body) as { event: string; model: string });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    const webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/ferry`;
    // A model of its own, so only the drifted traffic below is in its prediction log.
    const monitored = h.spec((s) => ({
      ...canary(s),
      name: `${s.name}-m`,
      model: `${s.model}-m`,
      approval: { ...s.approval, policy: 'manual' as const },
      monitoring: { interval: '1h', window: '1h', driftThreshold: 0.25, minPredictions: 100, webhookUrl },
    }));
    // Registered, as the API does: the monitor's input then refers to this spec version's webhook.
    const { record } = await h.deps.pipelines!.put(monitored, 'test-runner');
    const champion = await (
      await h.start(monitored, { datasetSnapshot: snapshot, approvalPolicy: 'auto' })
    ).result();
    assert.equal(champion.outcome, 'promoted');
    const drifted = rowsOf(400, 75, 1);
    for (let i = 0; i < drifted.length; i += 50) {
      const res = await api.app.inject({
        method: 'POST',
        url: `/v1/models/${monitored.model}/predict`,
        headers: auth('viewer'),
        payload: { rows: drifted.slice(i, i + 50) },
      });
      assert.equal(res.statusCode, 200, res.body);
    }
    await api.deps.serving.flush();
    const run = (n: number) =>
      h.client.workflow.execute('monitorWorkflow', {
        taskQueue: h.taskQueue,
        workflowId: `monitor-${monitored.name}-${n}-${h.id}`,
        args: [monitorInputOf(record)],
      });
    const first = await run(1);
    assert.ok(first.findings.retrainReason, JSON.stringify(first.findings));
    assert.match(first.findings.retrainReason, /feature drift: PSI of "\w+" is \d\.\d{3} > 0\.25/);
    assert.deepEqual(first.retraining, { runId: `train-${monitored.name}-drift`, started: true });
    const second = await run(2);
    assert.deepEqual(
      second.retraining,
      { runId: `train-${monitored.name}-drift`, started: false },
      'deduplicated while the first runs',
    );

    const drift = await eventually('the drift run in visibility', async () => {
      const ids: string[] = [];
      for await (const wf of h.client.workflow.list({
        query: `FerryTrigger = 'drift' AND FerryModel = '${monitored.model}'`,
      }))
        ids.push(wf.workflowId);
      return ids.length > 0 ? ids : undefined;
    });
    assert.deepEqual(drift, [`train-${monitored.name}-drift`]);
    const rows = await h.deps.metrics.query<{ action: string }>(
      `SELECT action FROM monitoring WHERE model = ? ORDER BY ts`,
      [monitored.model],
    );
    assert.deepEqual(
      rows.map((r) => r.action),
      ['retrain', 'retrain'],
    );
    const monitoring = await api.app.inject({
      url: `/v1/models/${monitored.model}/monitoring`,
      headers: auth('viewer'),
    });
    // Said with the body: a refusal here (CI once saw one under heavy load) must be diagnosable.
    assert.equal(monitoring.statusCode, 200, monitoring.body);
    const series = monitoring.json() as {
      points: { action: string; predictions: number; maxFeaturePsi: number }[];
    };
    assert.deepEqual(
      series.points.map((p) => [p.action, p.predictions]),
      [
        ['retrain', 400],
        ['retrain', 400],
      ],
    );
    assert.ok(series.points[0]!.maxFeaturePsi > 0.25);
    await eventually(
      'the approval-waiting webhook of the drift run',
      async () => (received.some((e) => e.event === 'approval-waiting') ? true : undefined),
      120_000,
    );
    assert.deepEqual(
      received.filter((e) => e.event === 'drift-detected').map((e) => e.model),
      [monitored.model, monitored.model],
    );
    for (const id of [`monitor-${monitored.name}-1-${h.id}`, `train-${monitored.name}-drift`]) {
      const history = await historyText(h.client, id);
      assert.ok(
        history.includes(`"webhook":{"pipeline":"${monitored.name}"`),
        `${id}'s input refers to the webhook`,
      );
      assert.equal(history.includes(webhookUrl), false, `${id}'s history must not contain the webhook URL`);
    }
    await h.client.workflow.getHandle(`train-${monitored.name}-drift`).terminate('test done');
    await new Promise((r) => receiver.close(r));
  },
);
