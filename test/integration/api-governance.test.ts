// Governance the governed cannot switch off, through the API against the real Temporal and MinIO:
// privileged spec fields need an approver, a trigger may only tighten approval, the person who last
// changed the gate cannot pass through it, and all of it lands in the audit log.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { LightMyRequestResponse } from 'fastify';
import { registerPipelineDir } from '../../api/services/pipeline-registration.js';
import type { AuditEvent } from '../../core/audit/log.js';
import { approveCandidateUpdate } from '../../core/contracts/index.js';
import type { PipelineSpec } from '../../core/pipeline-spec/schema.js';
import { assertProblem, auth, createApiHarness, json, postAs, type ApiHarness } from '../helpers/api.js';
import { createHarness, eventually, type Harness } from '../helpers/pipeline.js';

let h: Harness;
let api: ApiHarness;
/** Thresholds from pipelines/churn.yaml: privileged fields that differ from the defaults. */
let strict: PipelineSpec;
/** Every privileged field at its default: anyone with operator may register it. */
let plain: PipelineSpec;

before(async () => {
  h = await createHarness();
  api = await createApiHarness(h);
  const quick = { epochs: 1, earlyStopping: undefined };
  // A model of each pipeline's own, so one's champion never decides the other's evaluation.
  strict = h.spec((s) => ({
    ...s,
    name: `gov-strict-${h.id}`,
    model: `gov-strict-${h.id}`,
    training: { ...s.training, ...quick },
  }));
  plain = h.spec((s) => ({
    ...s,
    name: `gov-plain-${h.id}`,
    model: `gov-plain-${h.id}`,
    training: { ...s.training, ...quick },
    evaluation: { primaryMetric: 'auc', slices: s.evaluation?.slices ?? [] },
    approval: undefined,
    rollout: undefined,
  }));
  await h.ingestChurn({ rows: 2000, seed: 71 });
});
after(async () => {
  await api.close();
  await h.close();
});

const put = (
  who: 'operator' | 'approver' | 'approver2' | 'admin',
  spec: object,
  name: string,
): Promise<LightMyRequestResponse> =>
  api.app.inject({ method: 'PUT', url: `/v1/pipelines/${name}`, headers: auth(who), payload: spec });

/** The audit event of one request (written after the reply, so it may land a moment later). */
const auditOf = (res: { headers: Record<string, unknown> }) =>
  eventually('the audit event', async () =>
    (await api.deps.audit.recent(500)).find((e) => e.requestId === res.headers['x-request-id']),
  );

test('an operator creating a pipeline whose thresholds differ from the defaults is refused with 403 naming each field and the role', async () => {
  const res = await put('operator', strict, strict.name);
  const body = assertProblem(
    res,
    403,
    'privileged-field',
    /^role "operator" may not set or change evaluation\.thresholds\.accuracy, evaluation\.thresholds\.auc: it needs role "approver" or "admin"$/,
  );
  assert.deepEqual(body.errors, [
    {
      field: 'body.evaluation.thresholds.accuracy',
      rule: 'may only be set or changed by role "approver" or "admin"',
    },
    {
      field: 'body.evaluation.thresholds.auc',
      rule: 'may only be set or changed by role "approver" or "admin"',
    },
  ]);
  assertProblem(
    await api.app.inject({ url: `/v1/pipelines/${strict.name}`, headers: auth('viewer') }),
    404,
    'pipeline-not-found',
  );
  const event = await auditOf(res);
  assert.deepEqual(
    { who: event.who, status: event.status, result: event.result, before: event.before, after: event.after },
    {
      who: 'oscar-operator',
      status: 403,
      result: 'refused',
      before: { 'evaluation.thresholds.accuracy': null, 'evaluation.thresholds.auc': null },
      after: { 'evaluation.thresholds.accuracy': 0.65, 'evaluation.thresholds.auc': 0.7 },
    },
  );
  assert.match(String(event.detail), /may not set or change evaluation\.thresholds/);
});

test('an operator may create a pipeline with default gates and change its data and training, but not its approval, thresholds, rollout or webhook', async () => {
  const created = await put('operator', plain, plain.name);
  assert.equal(created.statusCode, 201, created.body);
  assert.equal(json(created).privilegedBy, null);
  const training = await put(
    'operator',
    {
      ...plain,
      training: { ...plain.training, epochs: 2 },
      validation: { ...plain.validation, minRows: 500 },
    },
    plain.name,
  );
  assert.equal(training.statusCode, 200, training.body);
  const current = json(training).spec as PipelineSpec;

  const attempts: [string, Record<string, unknown>][] = [
    ['body.approval.policy', { ...current, approval: { ...current.approval, policy: 'auto' } }],
    ['body.approval.fourEyes', { ...current, approval: { ...current.approval, fourEyes: false } }],
    [
      'body.evaluation.maxRegression',
      { ...current, evaluation: { ...current.evaluation, maxRegression: 1 } },
    ],
    ['body.rollout.strategy', { ...current, rollout: { ...current.rollout, strategy: 'canary' } }],
    [
      'body.rollout.guards.maxErrorRate',
      { ...current, rollout: { ...current.rollout, guards: { ...current.rollout.guards, maxErrorRate: 1 } } },
    ],
    [
      'body.monitoring.webhookUrl',
      { ...current, monitoring: { webhookUrl: 'https://hooks.example.com/ferry' } },
    ],
  ];
  for (const [field, spec] of attempts) {
    const body = assertProblem(
      await put('operator', spec, plain.name),
      403,
      'privileged-field',
      /needs role "approver" or "admin"/,
    );
    assert.deepEqual(
      (body.errors as { field: string }[]).map((e) => e.field),
      [field],
      `${field} is refused by name`,
    );
  }
  const unchanged = json(
    await api.app.inject({ url: `/v1/pipelines/${plain.name}`, headers: auth('viewer') }),
  );
  assert.equal(unchanged.specHash, json(training).specHash, 'no refused change was registered');
});

test("an approver's change of privileged fields is accepted, recorded as theirs, and its audit event shows the diff", async () => {
  const prev = json(await api.app.inject({ url: `/v1/pipelines/${plain.name}`, headers: auth('viewer') }));
  const current = prev.spec as PipelineSpec;
  const res = await put(
    'approver',
    { ...current, evaluation: { ...current.evaluation, maxRegression: 0.5 } },
    plain.name,
  );
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(json(res).privilegedBy, 'ada-approver');
  const event = await auditOf(res);
  assert.deepEqual(
    { who: event.who, role: event.role, status: event.status, before: event.before, after: event.after },
    {
      who: 'ada-approver',
      role: 'approver',
      status: 200,
      before: { specHash: prev.specHash, privileged: { 'evaluation.maxRegression': 0.02 } },
      after: { specHash: json(res).specHash, privileged: { 'evaluation.maxRegression': 0.5 } },
    },
  );
  // A later operator change of training keeps who changed the gate.
  const later = await put(
    'operator',
    { ...(json(res).spec as PipelineSpec), training: { ...current.training, epochs: 1 } },
    plain.name,
  );
  assert.equal(later.statusCode, 200, later.body);
  assert.equal(json(later).privilegedBy, 'ada-approver');
  assert.equal(json(later).updatedBy, 'oscar-operator');
});

test('an operator may make a run stricter (auto → manual) but not turn a manual spec into auto; an approver may', async () => {
  const url = `/v1/pipelines/${plain.name}/runs`;
  const refused = await postAs(api.app, 'operator', url, { approval: 'auto' });
  const body = assertProblem(
    refused,
    403,
    'privileged-field',
    /role "operator" may not relax the approval gate \(body\.approval\)/,
  );
  assert.deepEqual(
    (body.errors as { field: string }[]).map((e) => e.field),
    ['body.approval'],
  );
  assertProblem(
    await postAs(api.app, 'operator', url, { approval: 'auto-if-better' }),
    403,
    'privileged-field',
  );
  const event = await auditOf(refused);
  assert.deepEqual([event.status, event.result, event.who], [403, 'refused', 'oscar-operator']);
  assert.match(String(event.detail), /may not relax the approval gate/);
  const byApprover = await postAs(api.app, 'approver', url, { approval: 'auto' });
  assert.equal(byApprover.statusCode, 202, byApprover.body);

  // An approver makes the spec auto; an operator may still ask for manual on one run.
  const current = json(await api.app.inject({ url: `/v1/pipelines/${plain.name}`, headers: auth('viewer') }))
    .spec as PipelineSpec;
  const auto = await put(
    'approver2',
    { ...current, approval: { ...current.approval, policy: 'auto' } },
    plain.name,
  );
  assert.equal(auto.statusCode, 200, auto.body);
  const stricter = await postAs(api.app, 'operator', url, { approval: 'manual' });
  assert.equal(stricter.statusCode, 202, stricter.body);
  for (const r of [stricter, byApprover])
    await h.client.workflow.getHandle((json(r) as { runId: string }).runId).cancel();
});

test('whoever last changed the privileged fields cannot approve the run, through the API or the workflow itself; another approver can', async () => {
  // The strict pipeline, registered by ada (approver): she set its thresholds.
  const created = await put(
    'approver',
    { ...strict, evaluation: { ...strict.evaluation, thresholds: { auc: 0.5 }, maxRegression: 1 } },
    strict.name,
  );
  assert.ok([200, 201].includes(created.statusCode), created.body);
  assert.equal(json(created).privilegedBy, 'ada-approver');
  const started = await postAs(api.app, 'operator', `/v1/pipelines/${strict.name}/runs`, {
    reason: 'four-eyes on the spec changer',
  });
  assert.equal(started.statusCode, 202, started.body);
  const { runId } = json(started) as { runId: string };
  await eventually(
    'the run to wait for approval',
    async () => {
      const body = json(await api.app.inject({ url: `/v1/runs/${runId}`, headers: auth('viewer') }));
      return body.waitingFor ? body : undefined;
    },
    120_000,
  );
  assertProblem(
    await postAs(api.app, 'approver', `/v1/runs/${runId}/approve`, { comment: 'mine' }),
    403,
    'four-eyes',
    /ada-approver last changed this pipeline's approval, evaluation or rollout settings/,
  );
  // The workflow refuses it too, whoever calls it.
  await assert.rejects(
    h.client.workflow
      .getHandle(runId)
      .executeUpdate(approveCandidateUpdate, { args: [{ by: 'ada-approver', comment: 'direct' }] }),
    (err: unknown) =>
      err instanceof WorkflowUpdateFailedError &&
      /four-eyes rule: ada-approver last changed this pipeline's/.test(String(err.cause?.message)),
  );
  const approved = await postAs(api.app, 'approver2', `/v1/runs/${runId}/approve`, {
    comment: 'second pair of eyes',
  });
  assert.equal(approved.statusCode, 200, approved.body);
  const event = await auditOf(approved);
  assert.deepEqual(
    { who: event.who, before: event.before, after: { ...(event.after as object), at: undefined } },
    {
      who: 'bo-approver',
      before: { decision: null },
      after: {
        decision: 'approve',
        by: 'bo-approver',
        comment: 'second pair of eyes',
        via: 'update',
        at: undefined,
      },
    },
  );
  assert.equal((await h.client.workflow.getHandle(runId).result()).outcome, 'promoted');
});

test('specs loaded from the pipelines directory at start-up are trusted as admin and their registration is audited', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-gov-pipelines-'));
  try {
    const name = `gov-startup-${h.id}`;
    await writeFile(
      join(dir, `${name}.json`),
      JSON.stringify({ ...strict, name, approval: { ...strict.approval, policy: 'auto' } }),
    );
    assert.deepEqual(await registerPipelineDir(api.deps, dir), [name]);
    const record = await api.deps.pipelines.get(name);
    assert.equal(record.spec.approval.policy, 'auto');
    assert.equal(record.privilegedBy, 'system:startup');
    const events: AuditEvent[] = await eventually('the start-up registration in the audit log', async () => {
      const found = (await api.deps.audit.recent(500)).filter((e) => e.target === `/v1/pipelines/${name}`);
      return found.length > 0 ? found : undefined;
    });
    assert.deepEqual(
      {
        who: events[0]!.who,
        role: events[0]!.role,
        after: (events[0]!.after as { privileged: object }).privileged,
      },
      {
        who: 'system:startup',
        role: 'admin',
        after: {
          'approval.policy': 'auto',
          'evaluation.thresholds.accuracy': 0.65,
          'evaluation.thresholds.auc': 0.7,
        },
      },
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
