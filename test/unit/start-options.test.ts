// The one builder of a training run's start options (core/runs/start-run.ts) and the ids of
// core/contracts/ids.ts: every trigger gets the same shape, and every id has one builder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FerryModel,
  FerryPipeline,
  FerryStage,
  FerryTrigger,
  monitorScheduleId,
  rolloutWorkflowId,
  trainingRunId,
  trainingScheduleId,
  type TrainingPipelineInput,
} from '../../core/contracts/index.js';
import { trainingRunStartOptions } from '../../core/runs/start-run.js';
import { parseSpec, specHash } from '../../core/pipeline-spec/load.js';

const spec = parseSpec(
  {
    name: 'churn-eu',
    model: 'churn',
    task: 'binary',
    dataset: { name: 'churn', label: 'churned' },
    monitoring: { webhookUrl: 'https://hooks.example.com/secret-token' },
  },
  'test',
);
const base: TrainingPipelineInput = {
  spec,
  specHash: specHash(spec),
  trigger: 'api',
  triggeredBy: 'ann-admin',
};
const at = new Date('2026-12-02T02:00:00.123Z');
const headings = (details: string) => details.split('\n\n').map((l) => /^\*\*(\w+)\*\*/.exec(l)?.[1]);

test('an API trigger and a schedule action get start options of one shape: summary, details, search attributes, memo', () => {
  const fromApi = trainingRunStartOptions({
    taskQueue: 'q',
    trainTaskQueue: 'q-train',
    input: { ...base, datasetSnapshot: 'a'.repeat(64) },
  });
  const fromSchedule = trainingRunStartOptions({
    taskQueue: 'q',
    trainTaskQueue: 'q-train',
    input: { ...base, trigger: 'schedule', triggeredBy: `schedule:${trainingScheduleId(spec.name)}` },
    id: { kind: 'scheduled' },
  });
  assert.deepEqual(Object.keys(fromApi).sort(), Object.keys(fromSchedule).sort());
  assert.equal(fromApi.staticSummary, 'Train churn (churn-eu) · api by ann-admin');
  assert.equal(fromSchedule.staticSummary, 'Train churn (churn-eu) · schedule ferry-train-churn-eu');
  assert.deepEqual(headings(fromApi.staticDetails), ['Pipeline', 'Dataset', 'Approval', 'Spec', 'Trigger']);
  assert.deepEqual(headings(fromSchedule.staticDetails), headings(fromApi.staticDetails));
  assert.match(fromApi.staticDetails, /\*\*Dataset\*\* churn @ aaaaaaaaaaaa/);
  assert.match(fromSchedule.staticDetails, /\*\*Dataset\*\* churn \(latest when the run starts\)/);
  for (const [o, trigger] of [
    [fromApi, 'api'],
    [fromSchedule, 'schedule'],
  ] as const) {
    const sa = o.typedSearchAttributes;
    assert.deepEqual(
      [sa.get(FerryModel), sa.get(FerryStage), sa.get(FerryTrigger), sa.get(FerryPipeline)],
      ['churn', 'validate', trigger, 'churn-eu'],
    );
    assert.deepEqual(Object.keys(o.memo), ['pipeline', 'specHash', 'triggeredBy']);
  }
  assert.equal(fromSchedule.workflowId, 'train-churn-eu-scheduled');
});

test('the webhook URL never enters the start options: the input carries a reference to the spec version', () => {
  const o = trainingRunStartOptions({ taskQueue: 'q', trainTaskQueue: 'q-train', input: base });
  assert.equal(JSON.stringify(o).includes('secret-token'), false);
  assert.deepEqual(o.args[0].webhook, { pipeline: 'churn-eu', specHash: base.specHash });
});

test('overrides that change the spec add its hash and the overrides to the input; none leave the input as it was', () => {
  const overrides = { training: { epochs: 3 } };
  const effective = parseSpec({ ...spec, training: { ...spec.training, ...overrides.training } }, 'test');
  const withOverrides = trainingRunStartOptions({
    taskQueue: 'q',
    trainTaskQueue: 'q-train',
    input: { ...base, spec: effective },
    overrides,
  });
  assert.equal(withOverrides.args[0].specHash, base.specHash);
  assert.equal(withOverrides.args[0].effectiveSpecHash, specHash(effective));
  assert.notEqual(specHash(effective), base.specHash);
  assert.deepEqual(withOverrides.args[0].overrides, overrides);
  assert.match(
    withOverrides.staticDetails,
    new RegExp(
      `\\*\\*Spec\\*\\* ${base.specHash.slice(0, 12)} with overrides → ${specHash(effective).slice(0, 12)}`,
    ),
  );

  for (const same of [undefined, {}, { training: { epochs: spec.training.epochs } }]) {
    const args = trainingRunStartOptions({
      taskQueue: 'q',
      trainTaskQueue: 'q-train',
      input: base,
      ...(same ? { overrides: same } : {}),
    }).args[0];
    assert.equal('effectiveSpecHash' in args, false);
    assert.equal('overrides' in args, false);
  }
});

test('every kind of training-run id is built in one place', () => {
  const ids = {
    timestamped: trainingRunStartOptions({
      taskQueue: 'q',
      trainTaskQueue: 'q-train',
      input: base,
      now: () => at,
    }).workflowId,
    request: trainingRunStartOptions({
      taskQueue: 'q',
      trainTaskQueue: 'q-train',
      input: base,
      id: { kind: 'request', caller: 'ann-admin', key: 'k1' },
    }).workflowId,
    scheduled: `${trainingRunId.scheduled('churn-eu')}-2026-12-02T02:00:00Z`,
    drift: trainingRunId.drift('churn-eu'),
  };
  assert.match(ids.timestamped, /^train-churn-eu-20261202T020000Z-[0-9a-f]{8}$/);
  assert.match(ids.request, /^train-churn-eu-req-[0-9a-f]{24}$/);
  assert.equal(ids.scheduled, 'train-churn-eu-scheduled-2026-12-02T02:00:00Z');
  assert.equal(ids.drift, 'train-churn-eu-drift');
});

test('an idempotent id depends on the caller, the pipeline and the key, and on nothing else', () => {
  const idOf = (caller: string, key: string, input = base) =>
    trainingRunStartOptions({
      taskQueue: 'q',
      trainTaskQueue: 'q-train',
      input,
      id: { kind: 'request', caller, key },
    }).workflowId;
  assert.equal(idOf('ann', 'k'), idOf('ann', 'k', { ...base, reason: 'again' }));
  assert.notEqual(idOf('ann', 'k'), idOf('bob', 'k'));
  assert.notEqual(idOf('ann', 'k'), idOf('ann', 'k2'));
});

test('rollout and schedule ids are built from what they name', () => {
  assert.equal(rolloutWorkflowId('train-churn-eu-drift'), 'rollout-train-churn-eu-drift');
  assert.equal(trainingScheduleId('churn-eu'), 'ferry-train-churn-eu');
  assert.equal(monitorScheduleId('churn-eu'), 'ferry-monitor-churn-eu');
});
