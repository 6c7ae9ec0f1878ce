// The schedule routes with app.inject() against the real Temporal and MinIO: the start-up sync from
// the spec, reading, overriding, pausing, a manual trigger that runs the pipeline with
// FerryTrigger=schedule, the spec-change rule, deleting, roles and validation.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { ScheduleNotFoundError } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { HttpProblem } from '../../api/problem.js';
import type { ScheduleView } from '../../api/schedule-schemas.js';
import { createSchedulesService, type SchedulesService } from '../../api/services/schedules.js';
import {
  approveCandidateUpdate,
  pipelineStatusQuery,
  trainingScheduleId,
} from '../../core/contracts/index.js';
import type { PipelineRecord } from '../../core/pipelines/spec-store.js';
import {
  FerryModel,
  FerryStage,
  FerryTrigger,
  type TrainingPipelineInput,
} from '../../core/contracts/index.js';
import { cronRule } from '../../core/pipeline-spec/cron.js';
import type { PipelineSpec, PipelineSpecInput } from '../../core/pipeline-spec/schema.js';
import { auth, createApiHarness, postAs, putAs, type ApiHarness } from '../helpers/api.js';
import { createHarness, eventually, type Harness } from '../helpers/pipeline.js';

let h: Harness;
let api: ApiHarness;
let schedules: SchedulesService;
let spec: PipelineSpec;
let plain: PipelineSpec;
let record: PipelineRecord;
/** The run the trigger test started; terminated at the end if it is somehow still going. */
let triggeredRunId: string | undefined;

// A run that costs seconds: few rows, one epoch, no thresholds. Approval is manual so the scheduled
// run deterministically stays in progress until the test approves it (for the SKIP check).
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
  schedules = createSchedulesService(api.deps);
  spec = h.spec((s) => ({ ...cheap(s), schedule: { cron: '0 2 * * *', timezone: 'Europe/Berlin' } }));
  plain = h.spec((s) => ({ ...cheap(s), name: `${s.name}-plain`, model: `${s.model}-plain` }));
  record = (await api.deps.pipelines.put(spec, 'test')).record;
  await api.deps.pipelines.put(plain, 'test');
  await h.ingestChurn({ rows: 600, seed: 23 });
});
after(async () => {
  if (triggeredRunId) {
    const run = h.client.workflow.getHandle(triggeredRunId);
    if ((await run.describe()).status.name === 'RUNNING') await run.terminate('api-schedules test cleanup');
  }
  for (const name of [spec.name, plain.name]) {
    await h.client.schedule
      .getHandle(trainingScheduleId(name))
      .delete()
      .catch((err: unknown) => {
        if (!(err instanceof ScheduleNotFoundError)) throw err;
      });
  }
  await api.close();
  await h.close();
});

const url = (pipeline: string) => `/v1/pipelines/${pipeline}/schedule`;
const json = <T = Record<string, unknown>>(res: LightMyRequestResponse) => res.json() as T;
const describe = (pipeline: string) => h.client.schedule.getHandle(trainingScheduleId(pipeline)).describe();
const plainJson = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const clock = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));

type View = ScheduleView;

function expectedView(pipeline: string, fields: Partial<View>): View {
  const scheduleId = trainingScheduleId(pipeline);
  return {
    scheduleId,
    pipeline,
    cron: null,
    timezone: 'UTC',
    paused: false,
    note: null,
    nextRuns: [],
    recentRuns: [],
    overlap: 'SKIP',
    catchupWindowMs: 3_600_000,
    specHash: null,
    links: {
      self: url(pipeline),
      temporalUi: `${h.config.temporal.uiUrl}/namespaces/${h.config.temporal.namespace}/schedules/${scheduleId}`,
    },
    ...fields,
  };
}

/** Asserts a 200/201 schedule answer and returns it with nextRuns checked against `at` (e.g. "02:00"). */
function assertView(
  res: LightMyRequestResponse,
  status: number,
  expected: View,
  at?: { clock: RegExp; timeZone: string },
): View {
  assert.equal(res.statusCode, status, res.body);
  const body = json<View>(res);
  if (at) {
    assert.equal(body.nextRuns.length, 5, res.body);
    for (const t of body.nextRuns) assert.match(clock(t, at.timeZone), at.clock, t);
    assert.deepEqual([...body.nextRuns].sort(), body.nextRuns);
    assert.ok(Date.parse(body.nextRuns[0]!) > Date.now() - 1000);
  }
  assert.deepEqual({ ...body, nextRuns: at ? [] : body.nextRuns }, expected);
  return body;
}

function assertProblem(
  res: LightMyRequestResponse,
  status: number,
  code: string,
  detail: string,
  errors?: { field: string; rule: string }[],
): void {
  const titles: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    409: 'Conflict',
  };
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  assert.deepEqual(json(res), {
    type: 'about:blank',
    title: titles[status],
    status,
    code,
    detail,
    instance: res.raw.req.url,
    ...(errors ? { errors } : {}),
  });
}

test("the start-up sync creates the spec's schedule in Temporal (cron, time zone, SKIP, one-hour catch-up), leaves unscheduled pipelines alone, and a second sync changes nothing", async () => {
  assert.deepEqual(await schedules.syncFromSpecs([spec.name, plain.name]), [
    { pipeline: spec.name, scheduleId: `ferry-train-${spec.name}`, outcome: 'created' },
    { pipeline: plain.name, scheduleId: `ferry-train-${plain.name}`, outcome: 'no-schedule' },
  ]);

  const d = await describe(spec.name);
  assert.equal(d.spec.timezone, 'Europe/Berlin');
  assert.equal(d.spec.calendars?.length, 1);
  const calendar = d.spec.calendars![0]!;
  assert.deepEqual(
    { minute: calendar.minute, hour: calendar.hour, comment: calendar.comment },
    { minute: [{ start: 0, end: 0, step: 1 }], hour: [{ start: 2, end: 2, step: 1 }], comment: '0 2 * * *' },
  );
  assert.deepEqual(d.policies, { overlap: 'SKIP', catchupWindow: 3_600_000, pauseOnFailure: false });
  assert.deepEqual(d.state, {
    paused: false,
    note: `from spec ${record.specHash.slice(0, 12)}`,
    remainingActions: undefined,
  });
  assert.equal(d.action.workflowType, 'trainingPipelineWorkflow');
  assert.equal(d.action.taskQueue, h.taskQueue);
  assert.equal(d.action.workflowId, `train-${spec.name}-scheduled`);
  assert.deepEqual(d.action.args, [
    plainJson({
      spec,
      specHash: record.specHash,
      trigger: 'schedule',
      triggeredBy: `schedule:ferry-train-${spec.name}`,
      trainTaskQueue: h.trainTaskQueue,
    }),
  ]);
  const attributes = d.action.typedSearchAttributes;
  assert.ok(attributes instanceof TypedSearchAttributes);
  assert.deepEqual(
    [attributes.get(FerryModel), attributes.get(FerryStage), attributes.get(FerryTrigger)],
    [spec.model, 'validate', 'schedule'],
  );
  assert.equal(
    d.action.staticSummary,
    `Train ${spec.model} (${spec.name}) · schedule ferry-train-${spec.name}`,
  );

  await assert.rejects(describe(plain.name), ScheduleNotFoundError);
  assert.deepEqual(await schedules.syncFromSpecs([spec.name, plain.name]), [
    { pipeline: spec.name, scheduleId: `ferry-train-${spec.name}`, outcome: 'unchanged' },
    { pipeline: plain.name, scheduleId: `ferry-train-${plain.name}`, outcome: 'no-schedule' },
  ]);
});

test('a schedule made before split worker pools (its input names no training queue) is brought up to date by the start-up sync', async () => {
  const handle = h.client.schedule.getHandle(trainingScheduleId(spec.name));
  await handle.update((prev) => {
    const { trainTaskQueue: _dropped, ...before } = prev.action.args![0] as TrainingPipelineInput;
    return {
      spec: prev.spec,
      action: { ...prev.action, args: [before] },
      policies: { overlap: prev.policies.overlap, catchupWindow: prev.policies.catchupWindow },
      state: { paused: prev.state.paused, note: prev.state.note },
    };
  });
  const old = (await describe(spec.name)).action.args![0] as TrainingPipelineInput;
  assert.equal(old.trainTaskQueue, undefined);
  assert.deepEqual(await schedules.syncFromSpecs([spec.name]), [
    { pipeline: spec.name, scheduleId: `ferry-train-${spec.name}`, outcome: 'updated' },
  ]);
  const now = (await describe(spec.name)).action.args![0] as TrainingPipelineInput;
  assert.equal(now.trainTaskQueue, h.trainTaskQueue);
  assert.deepEqual(await schedules.syncFromSpecs([spec.name]), [
    { pipeline: spec.name, scheduleId: `ferry-train-${spec.name}`, outcome: 'unchanged' },
  ]);
});

test('any authenticated caller reads the schedule, with the next five runs at 02:00 Berlin time', async () => {
  assertView(
    await api.app.inject({ url: url(spec.name), headers: auth('viewer') }),
    200,
    expectedView(spec.name, {
      cron: '0 2 * * *',
      timezone: 'Europe/Berlin',
      note: `from spec ${record.specHash.slice(0, 12)}`,
      specHash: record.specHash,
    }),
    { clock: /^\w{3} 02:00$/, timeZone: 'Europe/Berlin' },
  );
  const doc = json<{ paths: Record<string, Record<string, unknown>> }>(
    await api.app.inject({ url: '/docs/json' }),
  );
  assert.deepEqual(Object.keys(doc.paths['/v1/pipelines/{pipeline}/schedule'] ?? {}).sort(), [
    'delete',
    'get',
    'put',
  ]);
  for (const action of ['pause', 'unpause', 'trigger'])
    assert.ok(doc.paths[`/v1/pipelines/{pipeline}/schedule/${action}`]?.post, `${action} documented`);
});

test('no token is 401, and a viewer is refused (403) every change without touching the schedule', async () => {
  assertProblem(
    await api.app.inject({ url: url(spec.name) }),
    401,
    'unauthenticated',
    'missing bearer token: send "Authorization: Bearer <token>"',
  );
  assertProblem(
    await api.app.inject({ method: 'POST', url: `${url(spec.name)}/trigger` }),
    401,
    'unauthenticated',
    'missing bearer token: send "Authorization: Bearer <token>"',
  );
  const changes = [
    { method: 'PUT', url: url(spec.name), payload: { cron: '0 4 * * *' } },
    { method: 'DELETE', url: url(spec.name) },
    { method: 'POST', url: `${url(spec.name)}/pause`, payload: { note: 'no' } },
    { method: 'POST', url: `${url(spec.name)}/unpause` },
    { method: 'POST', url: `${url(spec.name)}/trigger` },
  ] as const;
  for (const c of changes) {
    const res = await api.app.inject({ ...c, headers: auth('viewer') });
    assert.equal(res.statusCode, 403, `${c.method} ${c.url}: ${res.body}`);
    assertProblem(res, 403, 'forbidden', 'role "viewer" may not do this; it needs "operator" or higher');
  }
  const d = await describe(spec.name);
  assert.deepEqual(
    [d.spec.calendars?.[0]?.comment, d.state.paused, d.info.numActionsTaken],
    ['0 2 * * *', false, 0],
  );
});

test('an unknown pipeline is 404 pipeline-not-found and a pipeline without a schedule is 404 schedule-not-found', async () => {
  const nope = `nope-${h.id}`;
  for (const [method, path] of [
    ['GET', ''],
    ['PUT', ''],
    ['DELETE', ''],
    ['POST', '/pause'],
    ['POST', '/unpause'],
    ['POST', '/trigger'],
  ] as const) {
    const res = await api.app.inject({ method, url: `${url(nope)}${path}`, headers: auth('operator') });
    assert.equal(res.statusCode, 404, `${method} ${path}: ${res.body}`);
    assertProblem(res, 404, 'pipeline-not-found', `pipeline "${nope}" not found`);
  }
  for (const [method, path] of [
    ['GET', ''],
    ['DELETE', ''],
    ['POST', '/pause'],
    ['POST', '/unpause'],
    ['POST', '/trigger'],
  ] as const) {
    const res = await api.app.inject({ method, url: `${url(plain.name)}${path}`, headers: auth('operator') });
    assert.equal(res.statusCode, 404, `${method} ${path}: ${res.body}`);
    assertProblem(
      res,
      404,
      'schedule-not-found',
      `pipeline "${plain.name}" has no schedule (ferry-train-${plain.name})`,
    );
  }
});

test('a bad cron, time zone or field is 400 naming it, and leaves the schedule as it was', async () => {
  const put = (payload: Record<string, unknown>) => putAs(api.app, 'operator', url(spec.name), payload);
  // The schema states the cron grammar and the time zones, so these are refused before Temporal is asked.
  for (const cron of ['61 2 * * *', '5-3 * * * *', '*/0 * * * *', 'every night']) {
    const res = await put({ cron });
    assert.equal(res.statusCode, 400, res.body);
    assertProblem(res, 400, 'invalid-request', `body.cron: ${cronRule}`, [
      { field: 'body.cron', rule: cronRule },
    ]);
  }

  let res = await put({ timezone: 'Mars/Olympus' });
  assert.equal(res.statusCode, 400, res.body);
  const zones = 'must be equal to one of the allowed values';
  assertProblem(res, 400, 'invalid-request', `body.timezone: ${zones}`, [
    { field: 'body.timezone', rule: zones },
  ]);

  res = await put({ cron: '0 3 * * *', every: 'day' });
  assert.equal(res.statusCode, 400, res.body);
  assertProblem(res, 400, 'invalid-request', 'body: must NOT have additional properties', [
    { field: 'body', rule: 'must NOT have additional properties' },
  ]);

  const d = await describe(spec.name);
  assert.deepEqual(
    [d.spec.calendars?.[0]?.comment, d.spec.timezone, d.state.note],
    ['0 2 * * *', 'Europe/Berlin', `from spec ${record.specHash.slice(0, 12)}`],
  );
});

test('an operator overrides the cron with PUT (200), and the override survives a start-up sync while the spec is unchanged', async () => {
  const expected = expectedView(spec.name, {
    cron: '30 3 * * 1-5',
    timezone: 'Europe/Berlin',
    note: 'set by oscar-operator',
    specHash: record.specHash,
  });
  const weekday0330 = { clock: /^(Mon|Tue|Wed|Thu|Fri) 03:30$/, timeZone: 'Europe/Berlin' };
  assertView(
    await putAs(api.app, 'operator', url(spec.name), { cron: '30 3 * * 1-5' }),
    200,
    expected,
    weekday0330,
  );

  const calendar = (await describe(spec.name)).spec.calendars![0]!;
  assert.deepEqual(
    { minute: calendar.minute, hour: calendar.hour, dayOfWeek: calendar.dayOfWeek },
    {
      minute: [{ start: 30, end: 30, step: 1 }],
      hour: [{ start: 3, end: 3, step: 1 }],
      dayOfWeek: [{ start: 'MONDAY', end: 'FRIDAY', step: 1 }],
    },
  );
  assert.deepEqual(await schedules.syncFromSpecs([spec.name]), [
    { pipeline: spec.name, scheduleId: `ferry-train-${spec.name}`, outcome: 'unchanged' },
  ]);
  assertView(
    await api.app.inject({ url: url(spec.name), headers: auth('viewer') }),
    200,
    expected,
    weekday0330,
  );
});

test('pause and unpause flip the state with the caller and note recorded, and a sync keeps a paused schedule paused', async () => {
  const base = { cron: '30 3 * * 1-5', timezone: 'Europe/Berlin', specHash: record.specHash };
  assertView(
    await postAs(api.app, 'operator', `${url(spec.name)}/pause`, { note: 'feature store migration' }),
    200,
    expectedView(spec.name, {
      ...base,
      paused: true,
      note: 'paused by oscar-operator: feature store migration',
      nextRuns: [],
    }),
  );
  assert.deepEqual((await describe(spec.name)).state, {
    paused: true,
    note: 'paused by oscar-operator: feature store migration',
    remainingActions: undefined,
  });
  assert.deepEqual(await schedules.syncFromSpecs([spec.name]), [
    { pipeline: spec.name, scheduleId: `ferry-train-${spec.name}`, outcome: 'unchanged' },
  ]);
  assert.equal((await describe(spec.name)).state.paused, true);

  assertView(
    await api.app.inject({ method: 'POST', url: `${url(spec.name)}/unpause`, headers: auth('operator') }),
    200,
    expectedView(spec.name, { ...base, note: 'unpaused by oscar-operator' }),
    { clock: /^(Mon|Tue|Wed|Thu|Fri) 03:30$/, timeZone: 'Europe/Berlin' },
  );
  assert.deepEqual((await describe(spec.name)).state, {
    paused: false,
    note: 'unpaused by oscar-operator',
    remainingActions: undefined,
  });
});

test('trigger starts a run carrying FerryTrigger=schedule, a second trigger while it runs is 409 (SKIP), and the run completes', async () => {
  const res = await api.app.inject({
    method: 'POST',
    url: `${url(spec.name)}/trigger`,
    headers: auth('operator'),
  });
  assert.equal(res.statusCode, 202, res.body);
  const body = json<{ scheduleId: string; runId: string; overlap: string }>(res);
  assert.match(
    body.runId,
    new RegExp(`^train-${spec.name}-scheduled-\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$`),
  );
  assert.deepEqual(body, { scheduleId: `ferry-train-${spec.name}`, runId: body.runId, overlap: 'SKIP' });

  const again = await api.app.inject({
    method: 'POST',
    url: `${url(spec.name)}/trigger`,
    headers: auth('operator'),
  });
  assert.equal(again.statusCode, 409, again.body);
  assertProblem(
    again,
    409,
    'run-in-progress',
    `schedule ferry-train-${spec.name} already has a run in progress (${body.runId}); its overlap policy is SKIP`,
  );

  const listed = await eventually('the scheduled run to be listed by its search attributes', async () => {
    const ids: string[] = [];
    for await (const wf of h.client.workflow.list({
      query: `FerryTrigger = 'schedule' AND FerryModel = '${spec.model}'`,
    }))
      ids.push(wf.workflowId);
    return ids.length > 0 ? ids : undefined;
  });
  assert.deepEqual(listed, [body.runId]);

  triggeredRunId = body.runId;
  const handle = h.client.workflow.getHandle(body.runId);
  const status = await eventually(
    'the scheduled run to wait for approval',
    async () => {
      const s = await handle.query(pipelineStatusQuery);
      return s.stage === 'approval' ? s : undefined;
    },
    60_000,
  ).catch(async (err: Error) => {
    // A failing activity retries forever; name its failure instead of only "timed out".
    const pending = (await handle.describe()).raw.pendingActivities?.[0];
    throw new Error(
      `${err.message}; ${pending?.activityType?.name ?? 'no activity'} last failed with: ${pending?.lastFailure?.message ?? 'nothing'}`,
    );
  });
  assert.deepEqual(
    [status.trigger, status.triggeredBy, status.specHash],
    ['schedule', `schedule:ferry-train-${spec.name}`, record.specHash],
  );
  await handle.executeUpdate(approveCandidateUpdate, {
    args: [{ by: 'ada-approver', comment: 'nightly run looks right' }],
  });
  const result = await handle.result();
  assert.equal(result.outcome, 'promoted');
  assert.equal(result.version, 1);
  const d = await handle.describe();
  assert.equal(d.status.name, 'COMPLETED');
  assert.deepEqual(
    [d.searchAttributes.FerryTrigger, d.searchAttributes.FerryModel, d.searchAttributes.FerryStage],
    [['schedule'], [spec.model], ['done']],
  );

  const view = json<View>(await api.app.inject({ url: url(spec.name), headers: auth('viewer') }));
  assert.equal(view.recentRuns.length, 1);
  assert.equal(view.recentRuns[0]!.runId, body.runId);
  assert.ok(
    Date.parse(view.recentRuns[0]!.startedAt) >= Date.parse(view.recentRuns[0]!.scheduledAt) - 1000,
    JSON.stringify(view.recentRuns),
  );
});

test('a changed spec puts its schedule back in charge (cron, time zone, enabled), and a bad cron in it is a 400 naming body.schedule.cron', async () => {
  const changed = h.spec((s) => ({
    ...cheap(s),
    schedule: { cron: '15 1 * * *', timezone: 'UTC', enabled: false },
  }));
  const put = await api.deps.pipelines.put(changed, 'test');
  assert.equal(put.changed, true);
  assert.equal(await schedules.onPipelineChanged(put.record), 'updated');
  const note = `from spec ${put.record.specHash.slice(0, 12)} (enabled: false)`;
  const expected = expectedView(spec.name, {
    cron: '15 1 * * *',
    timezone: 'UTC',
    paused: true,
    note,
    specHash: put.record.specHash,
  });
  const view = json<View>(await api.app.inject({ url: url(spec.name), headers: auth('viewer') }));
  assert.deepEqual({ ...view, recentRuns: [] }, expected);
  assert.equal(view.recentRuns.length, 1);
  assert.deepEqual((await describe(spec.name)).action.args, [
    plainJson({
      spec: changed,
      specHash: put.record.specHash,
      trigger: 'schedule',
      triggeredBy: `schedule:ferry-train-${spec.name}`,
      trainTaskQueue: h.trainTaskQueue,
    }),
  ]);
  assert.equal(await schedules.onPipelineChanged(put.record), 'unchanged');

  const bad = await api.deps.pipelines.put(
    h.spec((s) => ({ ...cheap(s), schedule: { cron: '0 25 * * *' } })),
    'test',
  );
  await assert.rejects(schedules.onPipelineChanged(bad.record), (err: unknown) => {
    assert.ok(err instanceof HttpProblem);
    assert.deepEqual(
      [err.status, err.code, err.errors],
      [400, 'invalid-schedule', [{ field: 'body.schedule.cron', rule: 'Hour is not in range [0-23]' }]],
    );
    assert.equal(
      err.message,
      `pipeline "${spec.name}" was registered (spec ${bad.record.specHash.slice(0, 12)}), but its schedule was not updated: body.schedule.cron: Hour is not in range [0-23]`,
    );
    return true;
  });
  assert.equal(
    json<View>(await api.app.inject({ url: url(spec.name), headers: auth('viewer') })).cron,
    '15 1 * * *',
  );
  spec = changed;
});

test('a pipeline without a schedule in its spec gets one only from a PUT with a cron (else 409), and a spec change keeps its timing', async () => {
  const res409 = await putAs(api.app, 'operator', url(plain.name), {});
  assert.equal(res409.statusCode, 409, res409.body);
  assertProblem(
    res409,
    409,
    'no-schedule-in-spec',
    `pipeline "${plain.name}" has no schedule in its spec: send "cron" or add "schedule" to the spec`,
    [{ field: 'body.cron', rule: `required: the spec of "${plain.name}" has no schedule` }],
  );

  const plainRecord = await api.deps.pipelines.get(plain.name);
  assertView(
    await putAs(api.app, 'operator', url(plain.name), { cron: '45 4 * * *' }),
    201,
    expectedView(plain.name, {
      cron: '45 4 * * *',
      note: 'set by oscar-operator',
      specHash: plainRecord.specHash,
    }),
    { clock: /^\w{3} 04:45$/, timeZone: 'UTC' },
  );

  const edited = h.spec((s) => ({
    ...cheap(s),
    name: `${s.name}-plain`,
    model: `${s.model}-plain`,
    description: 'edited',
  }));
  const put = await api.deps.pipelines.put(edited, 'test');
  assert.equal(await schedules.onPipelineChanged(put.record), 'refreshed');
  assertView(
    await api.app.inject({ url: url(plain.name), headers: auth('viewer') }),
    200,
    expectedView(plain.name, {
      cron: '45 4 * * *',
      note: 'set by oscar-operator',
      specHash: put.record.specHash,
    }),
    { clock: /^\w{3} 04:45$/, timeZone: 'UTC' },
  );
  assert.equal(
    ((await describe(plain.name)).action.args?.[0] as { spec: PipelineSpec }).spec.description,
    'edited',
  );
  assert.deepEqual(await schedules.syncFromSpecs([plain.name]), [
    { pipeline: plain.name, scheduleId: `ferry-train-${plain.name}`, outcome: 'unchanged' },
  ]);
});

test('DELETE removes the schedule from Temporal (204), after which GET and DELETE are 404', async () => {
  for (const name of [spec.name, plain.name]) {
    const res = await api.app.inject({ method: 'DELETE', url: url(name), headers: auth('operator') });
    assert.equal(res.statusCode, 204, res.body);
    assert.equal(res.body, '');
    await assert.rejects(describe(name), ScheduleNotFoundError);
    for (const method of ['GET', 'DELETE'] as const) {
      const gone = await api.app.inject({ method, url: url(name), headers: auth('operator') });
      assert.equal(gone.statusCode, 404, gone.body);
      assertProblem(
        gone,
        404,
        'schedule-not-found',
        `pipeline "${name}" has no schedule (ferry-train-${name})`,
      );
    }
  }
});
