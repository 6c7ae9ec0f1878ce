// The operations routes the `ferry` CLI uses, with app.inject() against the real Temporal and MinIO:
// who the token is, the datasets list, the approvals inbox, schedule backfill and a run's timeline,
// each with its refusals (no token, wrong role, bad input naming the field and rule, missing resource).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { DatasetManifest } from '../../core/datasets/catalog.js';
import type { PipelineSpec, PipelineSpecInput } from '../../core/pipeline-spec/schema.js';
import type { RunView } from '../../api/services/runs.js';
import {
  assertProblem,
  auth,
  createApiHarness,
  json,
  tokens,
  type ApiHarness,
  postAs,
  putAs,
  type TokenName,
} from '../helpers/api.js';
import { createHarness, eventually, type Harness } from '../helpers/pipeline.js';
import { trainingScheduleId } from '../../core/contracts/index.js';
import { ScheduleNotFoundError } from '@temporalio/client';

let h: Harness;
let api: ApiHarness;
let churnSnapshot: string;
/** Runs the tests started, terminated at the end if still going. */
const started: string[] = [];
/** Pipelines whose schedule a test made, deleted at the end. */
const scheduled: string[] = [];

// A run that costs seconds: few rows, one epoch, no thresholds; manual approval keeps it waiting.
const cheap = (s: PipelineSpecInput): PipelineSpecInput => ({
  ...s,
  training: { ...s.training, epochs: 1, earlyStopping: undefined },
  validation: { ...s.validation, minRows: 100 },
  evaluation: { ...s.evaluation, thresholds: {} },
  approval: { ...s.approval, policy: 'manual' },
});

before(async () => {
  h = await createHarness();
  api = await createApiHarness(h);
  churnSnapshot = await h.ingestChurn({ rows: 600, seed: 31 });
});
after(async () => {
  for (const pipeline of scheduled) {
    const schedule = h.client.schedule.getHandle(trainingScheduleId(pipeline));
    for (const a of (await schedule.describe()).info.runningActions) started.push(a.workflow.workflowId);
    await schedule.delete().catch((err: unknown) => {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
    });
  }
  for (const runId of started) {
    const run = h.client.workflow.getHandle(runId);
    if ((await run.describe()).status.name === 'RUNNING') await run.terminate('api-operations test cleanup');
  }
  await api.close();
  await h.close();
});

const get = (url: string, who: TokenName) => api.app.inject({ url, headers: auth(who) });

test('GET /v1/whoami answers the name and role of each token, and 401 without a valid one', async () => {
  for (const who of ['viewer', 'operator', 'approver', 'admin'] as const) {
    const res = await get('/v1/whoami', who);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(json(res), { name: tokens[who].name, role: tokens[who].role });
  }
  assertProblem(await api.app.inject({ url: '/v1/whoami' }), 401, 'unauthenticated', /missing bearer token/);
  assertProblem(
    await api.app.inject({ url: '/v1/whoami', headers: { authorization: 'Bearer nope' } }),
    401,
    'unauthenticated',
    /not valid/,
  );
});

test('GET /v1/datasets lists every dataset with its latest snapshot, sorted by name', async () => {
  // A second dataset of this harness, named to sort before the churn one, with two snapshots.
  const other = `a-ops-${h.id}`;
  const csv = join(tmpdir(), `ferry-ops-${h.id}.csv`);
  await writeFile(csv, 'x,y\n1,2\n');
  await h.deps.catalog.ingestFile(other, csv, { source: 'test' });
  await writeFile(csv, 'x,y\n1,2\n3,4\n');
  const second = (await h.deps.catalog.ingestFile(other, csv, { source: 'test' })).manifest;

  const res = await get('/v1/datasets', 'viewer');
  assert.equal(res.statusCode, 200, res.body);
  const { datasets } = res.json() as { datasets: { name: string; latest: DatasetManifest }[] };
  const names = datasets.map((d) => d.name);
  assert.deepEqual(names, [...names].sort(), 'sorted by name');
  assert.equal(new Set(names).size, names.length, 'each dataset once');
  const churn = datasets.find((d) => d.name === `churn-${h.id}`);
  assert.equal(churn?.latest.sha256, churnSnapshot);
  assert.equal(churn?.latest.rowCount, 600);
  const mine = datasets.find((d) => d.name === other);
  assert.deepEqual(mine?.latest, second, 'the newest of its two snapshots');
  assert.ok(names.indexOf(other) < names.indexOf(`churn-${h.id}`));
  // The same manifest as the dataset's own resource shows.
  assert.deepEqual(json(await get(`/v1/datasets/${other}`, 'viewer')).latest, mine?.latest);
  assertProblem(await api.app.inject({ url: '/v1/datasets' }), 401, 'unauthenticated');
});

/** Waits until the run waits for a manual decision, and returns its view. */
async function waitingForApproval(runId: string): Promise<RunView> {
  return eventually(
    `${runId} to wait for approval`,
    async () => {
      const view = (await get(`/v1/runs/${runId}`, 'viewer')).json() as RunView;
      return view.waitingFor !== null ? view : undefined;
    },
    120_000,
  );
}

/** The inbox of `who` (optionally filtered), as run ids. */
async function inbox(who: TokenName, query = ''): Promise<{ ids: string[]; runs: RunView[] }> {
  const res = await get(`/v1/approvals${query}`, who);
  assert.equal(res.statusCode, 200, res.body);
  const { runs } = res.json() as { runs: RunView[] };
  return { ids: runs.map((r) => r.runId), runs };
}

test('GET /v1/approvals lists the runs waiting for a decision the caller may give, under the four-eyes rule', async () => {
  // P1 registered by a non-person: anyone but the run's trigger may decide its runs.
  const p1: PipelineSpec = h.spec(cheap);
  await api.deps.pipelines.put(p1, 'test');
  // P2's privileged settings were last changed by bo: bo may decide none of its runs.
  // (A new spec's privileged fields count as changed where they differ from the defaults: the timeout does.)
  const p2: PipelineSpec = h.spec((s) => {
    const base = cheap(s);
    return {
      ...base,
      name: `${s.name}-p2`,
      model: `${s.model}-p2`,
      approval: { ...base.approval, timeout: '6d' },
    };
  });
  const { record: p2Record } = await api.deps.pipelines.put(p2, {
    name: tokens.approver2.name,
    role: 'approver',
  });
  assert.equal(p2Record.privilegedBy, tokens.approver2.name);

  const a = (await h.start(p1, { datasetSnapshot: churnSnapshot })).workflowId;
  const triggered = await postAs(api.app, 'approver', `/v1/pipelines/${p1.name}/runs`, {});
  assert.equal(triggered.statusCode, 202, triggered.body);
  const b = String(json(triggered).runId);
  const c = (await h.start(p2, { datasetSnapshot: churnSnapshot })).workflowId;
  started.push(a, b, c);
  const viewA = await waitingForApproval(a);
  await waitingForApproval(b);
  await waitingForApproval(c);

  // Visibility lags the stage change a little.
  const ada = await eventually('ada to see A and C', async () => {
    const box = await inbox('approver');
    return box.ids.includes(a) && box.ids.includes(c) ? box : undefined;
  });
  assert.ok(!ada.ids.includes(b), 'ada triggered B: four-eyes keeps it out of her inbox');
  const bo = await eventually('bo to see A and B', async () => {
    const box = await inbox('approver2');
    return box.ids.includes(a) && box.ids.includes(b) ? box : undefined;
  });
  assert.ok(!bo.ids.includes(c), "bo last changed P2's privileged settings: its run is not his to decide");
  const admin = await eventually('the admin to see all three', async () => {
    const box = await inbox('admin');
    return [a, b, c].every((id) => box.ids.includes(id)) ? box : undefined;
  });

  // Each item is the run's view: deadline, trigger, candidate and metrics included.
  const itemA = ada.runs.find((r) => r.runId === a)!;
  assert.equal(itemA.triggeredBy, 'test-runner');
  assert.equal(itemA.stage, 'approval');
  assert.equal(itemA.candidateVersion, viewA.candidateVersion);
  assert.ok(itemA.candidateVersion !== null && itemA.candidateVersion >= 1);
  assert.ok(itemA.approvalDeadline !== null && Date.parse(itemA.approvalDeadline) > Date.now());
  assert.ok(itemA.metrics && typeof itemA.metrics.auc === 'number', JSON.stringify(itemA.metrics));
  assert.deepEqual(
    admin.runs.map((r) => r.approvalDeadline),
    admin.runs.map((r) => r.approvalDeadline).sort(),
    'nearest deadline first',
  );
  assert.equal(json(await get(`/v1/runs/${b}`, 'viewer')).triggeredBy, tokens.approver.name);

  // Filters: by pipeline and by model.
  assert.deepEqual((await inbox('admin', `?pipeline=${p2.name}`)).ids, [c]);
  assert.deepEqual((await inbox('approver', `?model=${p1.model}`)).ids, [a]);

  // A decided run leaves the inbox.
  const approved = await postAs(api.app, 'approver', `/v1/runs/${a}/approve`, { comment: 'fine' });
  assert.equal(approved.statusCode, 200, approved.body);
  assert.ok(!(await inbox('approver2')).ids.includes(a));

  // Refusals: roles below approver, no token, bad filters named with their rule.
  for (const who of ['viewer', 'operator'] as const)
    assertProblem(await get('/v1/approvals', who), 403, 'forbidden', /needs "approver"/);
  assertProblem(await api.app.inject({ url: '/v1/approvals' }), 401, 'unauthenticated');
  const bad = assertProblem(
    await get('/v1/approvals?pipeline=Bad..Name', 'approver'),
    400,
    'invalid-request',
  );
  assert.deepEqual(bad.errors, [
    { field: 'querystring.pipeline', rule: 'must match pattern "^[a-z0-9][a-z0-9_-]{0,62}$"' },
  ]);
  const unknown = assertProblem(
    await get('/v1/approvals?stage=approval', 'approver'),
    400,
    'invalid-request',
  );
  assert.deepEqual(unknown.errors, [{ field: 'querystring', rule: 'must NOT have additional properties' }]);
});

test('POST …/schedule/backfill runs the schedule for the times it missed, and refuses a bad range naming the field', async () => {
  const spec = h.spec((s) => ({ ...cheap(s), name: `${s.name}-bf`, model: `${s.model}-bf` }));
  await api.deps.pipelines.put(spec, 'test');
  const url = `/v1/pipelines/${spec.name}/schedule/backfill`;
  const noSchedule = await postAs(api.app, 'operator', url, {
    from: '2026-11-01T00:00:00Z',
    to: '2026-11-02T00:00:00Z',
  });
  assertProblem(noSchedule, 404, 'schedule-not-found');
  const put = await putAs(api.app, 'operator', `/v1/pipelines/${spec.name}/schedule`, { cron: '0 2 * * *' });
  assert.equal(put.statusCode, 201, put.body);
  scheduled.push(spec.name);

  // Two nights ago 01:00 UTC to last night 03:00 UTC: two 02:00 starts missed.
  const day = 86_400_000;
  const midnight = Math.floor(Date.now() / day) * day;
  const from = new Date(midnight - 2 * day + 3_600_000).toISOString();
  const to = new Date(midnight - day + 3 * 3_600_000).toISOString();
  const res = await postAs(api.app, 'operator', url, { from, to });
  assert.equal(res.statusCode, 202, res.body);
  assert.deepEqual(json(res), { scheduleId: trainingScheduleId(spec.name), from, to, overlap: 'SKIP' });

  // SKIP: the first missed night runs (and waits for its manual approval), the second is dropped.
  const schedule = h.client.schedule.getHandle(trainingScheduleId(spec.name));
  const d = await eventually('the backfilled run and the skipped one', async () => {
    const d = await schedule.describe();
    return d.info.numActionsTaken === 1 && d.info.numActionsSkippedOverlap === 1 ? d : undefined;
  });
  const action = d.info.recentActions[0]!;
  started.push(action.action.workflow.workflowId);
  assert.equal(action.scheduledAt.toISOString(), new Date(midnight - 2 * day + 2 * 3_600_000).toISOString());
  const run = json(await get(`/v1/runs/${action.action.workflow.workflowId}`, 'viewer'));
  assert.equal(run.trigger, 'schedule');
  assert.equal(run.pipeline, spec.name);

  // Refusals: role, body rules (schema and cross-field), missing pipeline.
  assertProblem(await postAs(api.app, 'viewer', url, { from, to }), 403, 'forbidden', /needs "operator"/);
  const fieldErrors = async (body: Record<string, unknown>, code = 'invalid-backfill') =>
    assertProblem(await postAs(api.app, 'operator', url, body), 400, code).errors;
  assert.deepEqual(await fieldErrors({ from: 'yesterday', to }, 'invalid-request'), [
    {
      field: 'body.from',
      rule: 'must be an RFC 3339 date-time with an offset, such as 2026-11-01T02:00:00Z',
    },
  ]);
  assert.deepEqual(await fieldErrors({ to }, 'invalid-request'), [
    { field: 'body.from', rule: "must have required property 'from'" },
  ]);
  assert.deepEqual(await fieldErrors({ from, to, overlap: 'ALLOW_ALL' }, 'invalid-request'), [
    { field: 'body.overlap', rule: 'must be equal to one of the allowed values' },
  ]);
  assert.deepEqual(await fieldErrors({ from: '2026-02-30T00:00:00Z', to }), [
    {
      field: 'body.from',
      rule: 'must be an RFC 3339 date-time with an offset, such as 2026-11-01T02:00:00Z (every field in range)',
    },
  ]);
  assert.deepEqual(await fieldErrors({ from: to, to: from }), [
    { field: 'body.to', rule: 'must be later than body.from' },
  ]);
  assert.deepEqual(await fieldErrors({ from: '2024-01-01T00:00:00Z', to: '2025-01-02T00:00:00Z' }), [
    { field: 'body.to', rule: 'must be at most 366 days after body.from' },
  ]);
  assert.deepEqual(await fieldErrors({ from, to: new Date(Date.now() + day).toISOString() }), [
    {
      field: 'body.to',
      rule: 'must not be in the future: a backfill runs the times the schedule has already passed',
    },
  ]);
  assertProblem(
    await postAs(api.app, 'operator', `/v1/pipelines/nope-${h.id}/schedule/backfill`, { from, to }),
    404,
    'pipeline-not-found',
  );
});

test("GET /v1/runs/{runId}/events is the run's timeline from its history and its rollout's, newest bounded", async () => {
  const spec = h.spec((s) => ({ ...cheap(s), name: `${s.name}-ev`, model: `${s.model}-ev` }));
  await api.deps.pipelines.put(spec, 'test');
  const runId = (await h.start(spec, { datasetSnapshot: churnSnapshot, reason: 'timeline test' })).workflowId;
  started.push(runId);
  await waitingForApproval(runId);
  const approved = await postAs(api.app, 'approver', `/v1/runs/${runId}/approve`, { comment: 'ship it' });
  assert.equal(approved.statusCode, 200, approved.body);
  const result = await h.client.workflow.getHandle(runId).result();
  assert.equal(result.outcome, 'promoted');

  const res = await get(`/v1/runs/${runId}/events`, 'viewer');
  assert.equal(res.statusCode, 200, res.body);
  const { events, omitted } = res.json() as {
    events: { at: string; kind: string; detail: string; workflow: string }[];
    omitted: number;
  };
  assert.equal(omitted, 0);
  const at = events.map((e) => e.at);
  assert.deepEqual(at, [...at].sort(), 'oldest first');
  const line = (e: { kind: string; detail: string; workflow: string }) =>
    `${e.workflow} ${e.kind} ${e.detail}`;
  const lines = events.map(line);
  const indexOf = (expected: string) => {
    const i = lines.indexOf(expected);
    assert.ok(i >= 0, `${expected} in\n${lines.join('\n')}`);
    return i;
  };
  // The run's path, in order: start, stages with their activities, the decision, the rollout, the end.
  const path = [
    'run started trainingPipelineWorkflow trigger test by test-runner: timeline test',
    'run stage validate',
    'run activity-completed validateDataset attempt 1',
    'run stage train',
    'run activity-completed trainModel attempt 1',
    'run stage approval',
    'run timer-started 7d',
    'run update approveCandidate by ada-approver: ship it',
    'run update-completed approveCandidate approve by ada-approver: ship it',
    'run stage rollout',
    `run child-started rolloutWorkflow rollout-${runId}`,
    `rollout started rolloutWorkflow ${spec.model} v${result.version} (direct)`,
    `run completed promoted v${result.version} (${result.rollout?.reason})`,
  ].map(indexOf);
  assert.deepEqual(
    path,
    [...path].sort((x, y) => x - y),
    lines.join('\n'),
  );
  assert.ok(
    lines.some((l) => l.startsWith('rollout activity-completed ')),
    "the rollout child's activities",
  );
  assert.ok(lines.some((l) => l.startsWith('run child-completed promoted')));
  assert.equal(lines.at(-1), `run completed promoted v${result.version} (${result.rollout?.reason})`);

  // Bounded: the newest `limit` entries, and how many older ones were left out.
  const newest = (await get(`/v1/runs/${runId}/events?limit=3`, 'viewer')).json() as {
    events: unknown[];
    omitted: number;
  };
  assert.deepEqual(newest, { events: events.slice(-3), omitted: events.length - 3 });

  // Refusals: no token, bad limit named with its rule, a run that does not exist or is not a training run.
  assertProblem(await api.app.inject({ url: `/v1/runs/${runId}/events` }), 401, 'unauthenticated');
  for (const [limit, rule] of [
    ['0', 'must be >= 1'],
    ['1001', 'must be <= 1000'],
    ['many', 'must be integer'],
  ] as const) {
    const bad = assertProblem(
      await get(`/v1/runs/${runId}/events?limit=${limit}`, 'viewer'),
      400,
      'invalid-request',
    );
    assert.deepEqual(bad.errors, [{ field: 'querystring.limit', rule }]);
  }
  assertProblem(await get(`/v1/runs/train-nope-${h.id}/events`, 'viewer'), 404, 'run-not-found');
  assertProblem(await get(`/v1/runs/rollout-${runId}/events`, 'viewer'), 404, 'run-not-found');
});
