// The read routes the console's run page needs beside the run's view, on real runs: the evaluation
// against the champion and thresholds (slices, model card), the stage timeline with times, and a
// canary's live state (plan with guard thresholds, the bake in progress and when it ends).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rolloutStatusQuery } from '../../core/contracts/index.js';
import type { PipelineSpec } from '../../core/pipeline-spec/schema.js';
import { assertProblem, auth, createApiHarness, json, type ApiHarness } from '../helpers/api.js';
import { createHarness, eventually, type Harness } from '../helpers/pipeline.js';

let h: Harness;
let api: ApiHarness;
let spec: PipelineSpec;
let snapshot: string;
let firstRun: string;

const guards = {
  maxErrorRate: 0.01,
  maxP99LatencyMs: 250,
  maxPredictionPsi: 2,
  minRequests: 5,
  minLabels: 50,
};

before(async () => {
  h = await createHarness();
  api = await createApiHarness(h);
  snapshot = await h.ingestChurn({ rows: 3000, seed: 91 });
  spec = h.spec((s) => ({
    ...s,
    training: { ...s.training, epochs: 2, earlyStopping: undefined },
    evaluation: { ...s.evaluation, maxRegression: 1, thresholds: { auc: 0.5 }, slices: ['plan'] },
    rollout: { strategy: 'canary' as const, steps: [10, 50, 100], bake: '3s', guards },
  }));
  // Registered through the API, so runs carry the spec version whose thresholds the routes report.
  const put = await api.app.inject({
    method: 'PUT',
    url: `/v1/pipelines/${spec.name}`,
    headers: auth('admin'),
    payload: spec,
  });
  assert.equal(put.statusCode, 201, put.body);
  const started = await api.app.inject({
    method: 'POST',
    url: `/v1/pipelines/${spec.name}/runs`,
    headers: auth('admin'),
    payload: { approval: 'auto', dataset: snapshot },
  });
  assert.equal(started.statusCode, 202, started.body);
  firstRun = (json(started) as { runId: string }).runId;
  await h.client.workflow.getHandle(firstRun).result();
});
after(async () => {
  await api.close();
  await h.close();
});

test("a finished run's stages are contiguous from validate to done, each with its duration", async () => {
  const body = json(
    await api.app.inject({ url: `/v1/runs/${firstRun}/stages`, headers: auth('viewer') }),
  ) as {
    stages: { stage: string; startedAt: string; endedAt: string | null; ms: number | null }[];
  };
  assert.deepEqual(
    body.stages.map((s) => s.stage),
    ['validate', 'train', 'evaluate', 'register', 'approval', 'rollout', 'done'],
  );
  body.stages.forEach((s, i) => {
    assert.ok(s.endedAt !== null && s.ms !== null && s.ms >= 0, JSON.stringify(s));
    assert.equal(s.ms, Date.parse(s.endedAt) - Date.parse(s.startedAt));
    if (i > 0) assert.equal(s.startedAt, body.stages[i - 1]!.endedAt, 'each stage begins as the last ends');
  });
  // Training took real time: its stage is not a zero-length entry.
  assert.ok(body.stages[1]!.ms! > 0);
});

test("the first run's evaluation has no champion, the spec's thresholds, a slice per plan and the model card", async () => {
  const res = await api.app.inject({ url: `/v1/runs/${firstRun}/evaluation`, headers: auth('viewer') });
  assert.equal(res.statusCode, 200, res.body);
  const ev = json(res) as {
    passed: boolean;
    primaryMetric: string;
    candidate: { version: number; metrics: Record<string, number> };
    champion: unknown;
    thresholds: Record<string, number>;
    maxRegression: number;
    slices: {
      column: string;
      value: string;
      count: number;
      candidate: Record<string, number>;
      champion: unknown;
    }[];
    modelCard: string;
  };
  assert.equal(ev.passed, true);
  assert.equal(ev.champion, null);
  assert.deepEqual(ev.thresholds, { auc: 0.5 });
  assert.equal(ev.maxRegression, 1);
  assert.equal(ev.candidate.version, 1);
  assert.equal(typeof ev.candidate.metrics[ev.primaryMetric], 'number');
  assert.ok(ev.slices.length >= 2 && ev.slices.every((s) => s.column === 'plan' && s.champion === null));
  assert.equal(
    ev.slices.reduce((n, s) => n + s.count, 0),
    ev.candidate.metrics.testRows,
    'the slices cover the test rows',
  );
  assert.match(ev.modelCard, /^# /m);
  assertProblem(
    await api.app.inject({
      url: '/v1/runs/train-nope-20261204T000000Z-00000000/evaluation',
      headers: auth('viewer'),
    }),
    404,
    'run-not-found',
  );
});

test("a canary's rollout shows its plan, the guard thresholds and the bake with when it ends; pausing stops the clock", async () => {
  const handle = await h.start(spec, {
    datasetSnapshot: snapshot,
    approvalPolicy: 'auto',
    rolloutBakeMs: 600_000,
    specHash: (await api.deps.pipelines.get(spec.name)).specHash,
  });
  const runId = handle.workflowId;
  try {
    await eventually(
      'the canary at 10 %',
      async () => {
        const s = await h.client.workflow
          .getHandle(`rollout-${runId}`)
          .query(rolloutStatusQuery)
          .catch(() => undefined);
        return s?.phase === 'canary-10' ? true : undefined;
      },
      120_000,
    );
    type Live = {
      rollout: { phase: string; paused: boolean; weights: Record<string, number> };
      plan: { strategy: string; steps: number[]; bake: string; guards: Record<string, number> };
      bake: { startedAt: string; endsAt: string } | null;
      candidateVersion: number;
    };
    const live = await eventually('the bake timer', async () => {
      const body = json(
        await api.app.inject({ url: `/v1/runs/${runId}/rollout`, headers: auth('viewer') }),
      ) as Live;
      return body.bake ? body : undefined;
    });
    assert.equal(live.rollout.phase, 'canary-10');
    assert.deepEqual(live.plan, { strategy: 'canary', steps: [10, 50, 100], bake: '3s', guards });
    assert.equal(live.candidateVersion, 2);
    assert.equal(Date.parse(live.bake!.endsAt) - Date.parse(live.bake!.startedAt), 600_000);
    assert.ok(Date.parse(live.bake!.endsAt) > Date.now(), 'the bake ends in the future');

    const paused = await api.app.inject({
      method: 'POST',
      url: `/v1/runs/${runId}/rollout/pause`,
      headers: auth('approver'),
      payload: {},
    });
    assert.equal(paused.statusCode, 200, paused.body);
    const stopped = await eventually('the paused rollout', async () => {
      const body = json(
        await api.app.inject({ url: `/v1/runs/${runId}/rollout`, headers: auth('viewer') }),
      ) as Live;
      return body.rollout.paused && body.bake === null ? body : undefined;
    });
    assert.equal(stopped.rollout.phase, 'canary-10');

    // The evaluation of this second run compares against the champion, version 1, per slice.
    const ev = json(
      await api.app.inject({ url: `/v1/runs/${runId}/evaluation`, headers: auth('viewer') }),
    ) as {
      champion: { version: number; metrics: Record<string, number> };
      slices: { champion: Record<string, number> | null }[];
    };
    assert.equal(ev.champion.version, 1);
    assert.ok(ev.slices.every((s) => s.champion !== null));
  } finally {
    await handle.cancel().catch(() => undefined);
    await handle.result().catch(() => undefined);
  }
});
