// The churn pipeline end to end on the real Temporal dev server and MinIO: auto approval, manual
// approve and reject through Updates (with their validators), approval timeout, a dataset with
// defects, and runs findable by search attributes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import {
  approvalDecisionSignal,
  approveCandidateUpdate,
  pipelineStatusQuery,
  rejectCandidateUpdate,
} from '../../core/contracts/index.js';
import { createHarness, eventually, type Harness } from '../helpers/pipeline.js';
import { primaryMetricByVersion, runEpochs } from '../../core/warehouse/queries.js';
import { failedChecks } from '../helpers/metrics-queries.js';

let h: Harness;
let snapshot: string;

before(async () => {
  h = await createHarness();
  snapshot = await h.ingestChurn({ rows: 6000, seed: 11 });
});
after(async () => h.close());

const fastTraining = (s: Parameters<Parameters<Harness['spec']>[0] & object>[0]) => ({
  ...s,
  training: { ...s.training, epochs: 4, earlyStopping: undefined },
});

async function waitForApproval(handle: Awaited<ReturnType<Harness['start']>>) {
  return eventually(
    'the run to wait for approval',
    async () => {
      const status = await handle.query(pipelineStatusQuery);
      return status.stage === 'approval' && status.waitingFor ? status : undefined;
    },
    120_000,
  );
}

test('an auto-approved run validates, trains, evaluates, registers and promotes the candidate to champion', async () => {
  const spec = h.spec(fastTraining);
  const handle = await h.start(spec, { datasetSnapshot: snapshot, approvalPolicy: 'auto' });
  const result = await handle.result();
  assert.equal(result.outcome, 'promoted');
  assert.equal(result.version, 1);
  assert.equal(result.decision?.by, 'policy:auto');
  assert.ok(result.evaluation.metrics.auc! > 0.75, `auc ${result.evaluation.metrics.auc}`);
  assert.deepEqual(await h.deps.registry.aliases(spec.model), { champion: 1 });

  const version = await h.deps.registry.getVersion(spec.model, 1);
  assert.equal(version.lineage.datasetSha, snapshot);
  assert.equal(version.lineage.runId, handle.workflowId);
  assert.match(version.lineage.backend, /^(tensorflow|wasm|cpu)$/);
  assert.match(version.lineage.codeRevision, /^[0-9a-f]{40}(-dirty)?$/);
  assert.deepEqual(version.inputSchema.categorical, ['plan', 'region', 'payment_method']);
  assert.match(
    (await h.deps.store.get(version.artifacts.cardKey)).toString(),
    /## Metrics \(held-out test split\)/,
  );

  const epochs = await runEpochs(h.deps.metrics, handle.workflowId);
  assert.deepEqual(
    epochs.map((e) => e.epoch),
    [1, 2, 3, 4],
  );
  const byVersion = await primaryMetricByVersion(h.deps.metrics, spec.model, 'auc');
  assert.deepEqual(
    byVersion.map((r) => r.version),
    [1],
  );
  assert.ok(Math.abs(byVersion[0]!.value - result.evaluation.metrics.auc!) < 1e-9);

  const description = await handle.describe();
  assert.equal(description.status.name, 'COMPLETED');
  assert.equal(description.searchAttributes.FerryStage?.[0], 'done');
  assert.equal(description.searchAttributes.FerryModel?.[0], spec.model);
  assert.equal(description.searchAttributes.FerryTrigger?.[0], 'test');
});

test('a manual run waits for approval, refuses the trigger and a second decision, and promotes when another person approves', async () => {
  const spec = h.spec(fastTraining);
  const handle = await h.start(spec, { datasetSnapshot: snapshot, approvalPolicy: 'manual' });
  const status = await waitForApproval(handle);
  assert.equal(status.candidateVersion, 2);
  assert.match(status.waitingFor!, /an approve or reject decision on version 2/);

  const waiting = await eventually('the run to be listed as waiting for approval', async () => {
    const ids: string[] = [];
    for await (const wf of h.client.workflow.list({
      query: `FerryModel = "${spec.model}" AND FerryStage = "approval"`,
    }))
      ids.push(wf.workflowId);
    return ids.includes(handle.workflowId) ? ids : undefined;
  });
  assert.deepEqual(waiting, [handle.workflowId]);

  await assert.rejects(
    handle.executeUpdate(approveCandidateUpdate, { args: [{ by: 'test-runner', comment: 'self-approval' }] }),
    (err: unknown) =>
      err instanceof WorkflowUpdateFailedError &&
      /four-eyes rule: test-runner triggered this run/.test(String(err.cause?.message)),
  );
  await assert.rejects(
    handle.executeUpdate(approveCandidateUpdate, { args: [{ by: '  ', comment: 'no identity' }] }),
    (err: unknown) =>
      err instanceof WorkflowUpdateFailedError &&
      /by: must be a non-empty identity/.test(String(err.cause?.message)),
  );
  const decision = await handle.executeUpdate(approveCandidateUpdate, {
    args: [{ by: 'alice', comment: 'metrics look right' }],
  });
  assert.equal(decision.decision, 'approve');
  assert.equal(decision.by, 'alice');
  assert.equal(decision.via, 'update');
  await assert.rejects(
    handle.executeUpdate(rejectCandidateUpdate, { args: [{ by: 'bob', comment: 'too late' }] }),
    (err: unknown) =>
      err instanceof WorkflowUpdateFailedError &&
      /(already decided: approve by alice|not waiting for approval)/.test(String(err.cause?.message)),
  );

  const result = await handle.result();
  assert.equal(result.outcome, 'promoted');
  assert.equal(result.version, 2);
  assert.equal((await h.deps.registry.aliases(spec.model)).champion, 2);
  const history = await h.deps.registry.aliasHistory(spec.model);
  assert.deepEqual(
    history.map((c) => [c.version, c.fromVersion, c.actor]),
    [
      [1, null, 'policy:auto'],
      [2, 1, 'alice'],
    ],
  );
  assert.equal((await h.deps.registry.decision(spec.model, 2))?.comment, 'metrics look right');
});

test('a manual run rejected by a signal is never promoted and the champion stays', async () => {
  const spec = h.spec(fastTraining);
  const handle = await h.start(spec, { datasetSnapshot: snapshot, approvalPolicy: 'manual' });
  await waitForApproval(handle);
  await handle.signal(approvalDecisionSignal, {
    decision: 'reject',
    by: 'carol',
    comment: 'slice north regressed',
  });
  const result = await handle.result();
  assert.equal(result.outcome, 'rejected');
  assert.equal(result.version, 3);
  assert.deepEqual([result.decision?.by, result.decision?.via], ['carol', 'signal']);
  assert.equal((await h.deps.registry.aliases(spec.model)).champion, 2);
  await assert.rejects(
    h.deps.registry.setAlias({ model: spec.model, alias: 'champion', version: 3, actor: 'x', reason: 'y' }),
    /version 3 of "churn-[a-z0-9]+" was rejected and cannot become champion/,
  );
});

test('an approval that times out takes the on-timeout action', async () => {
  const rejecting = h.spec(fastTraining);
  const timedOut = await (
    await h.start(rejecting, { datasetSnapshot: snapshot, approvalPolicy: 'manual', approvalTimeoutMs: 1500 })
  ).result();
  assert.equal(timedOut.outcome, 'timed-out-rejected');
  assert.deepEqual(
    [timedOut.decision?.by, timedOut.decision?.via, timedOut.decision?.decision],
    ['system:timeout', 'timeout', 'reject'],
  );

  const approving = h.spec((s) => ({
    ...fastTraining(s),
    approval: { ...s.approval, onTimeout: 'approve' },
  }));
  const approved = await (
    await h.start(approving, { datasetSnapshot: snapshot, approvalPolicy: 'manual', approvalTimeoutMs: 1500 })
  ).result();
  assert.equal(approved.outcome, 'promoted');
  assert.equal(approved.decision?.by, 'system:timeout');
  assert.equal((await h.deps.registry.aliases(rejecting.model)).champion, approved.version);
});

test('a dataset with defects fails validation with a non-retryable failure naming every failed check', async () => {
  const spec = h.spec(fastTraining);
  const bad = await h.ingestChurn({
    rows: 5000,
    seed: 12,
    defects: {
      nullFraction: 0.1,
      outOfRangeFraction: 0.02,
      unknownCategoryFraction: 0.02,
      duplicateFraction: 0.05,
    },
  });
  const handle = await h.start(spec, { datasetSnapshot: bad, approvalPolicy: 'auto' });
  const err = await handle.result().then(
    () => assert.fail('the run should have failed'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof WorkflowFailedError, String(err));
  const message = String(err.cause?.message);
  for (const check of [
    /nulls: column "\w+"/,
    /range: column "age"/,
    /domain: column "plan"/,
    /duplicates:/,
  ]) {
    assert.match(message, check, message);
  }
  assert.equal((err.cause as { type?: string }).type, 'FerryValidationFailed');
  const failed = await failedChecks(h.deps.metrics, handle.workflowId);
  assert.ok(
    failed.some((c) => c.check_name === 'duplicates'),
    JSON.stringify(failed.map((c) => c.check_name)),
  );
  const description = await handle.describe();
  assert.equal(description.status.name, 'FAILED');
});

// Last: it registers another version of the shared model, which the tests above count.
test('the long activities are scheduled with a heartbeat timeout and every activity with a bounded retry', async () => {
  const spec = h.spec(fastTraining);
  const handle = await h.start(spec, { datasetSnapshot: snapshot, approvalPolicy: 'auto' });
  await handle.result();
  const seconds = (d: { seconds?: unknown } | null | undefined) => (d ? Number(d.seconds ?? 0) : undefined);
  const scheduled = ((await handle.fetchHistory()).events ?? [])
    .map((e) => e.activityTaskScheduledEventAttributes)
    .filter((a) => a != null)
    .map((a) => ({
      activity: a.activityType?.name,
      heartbeat: seconds(a.heartbeatTimeout),
      maximumAttempts: a.retryPolicy?.maximumAttempts ?? 0,
    }));
  const heartbeatOf = (name: string) => scheduled.find((a) => a.activity === name)?.heartbeat;
  // A worker that dies in one of these is noticed within this long instead of a start-to-close timeout.
  assert.equal(heartbeatOf('validateDataset'), 30);
  assert.equal(heartbeatOf('trainModel'), 30);
  assert.equal(heartbeatOf('evaluateModel'), 30);
  const unbounded = scheduled.filter((a) => !(a.maximumAttempts > 0));
  assert.deepEqual(unbounded, [], 'every activity gives up after a bounded number of attempts');
});
