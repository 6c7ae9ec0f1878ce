// The runs service without HTTP: its refusals are typed domain errors, and the problem table turns them
// into the API's answers. Temporal is a stand-in client that serves one run's description and update.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApplicationFailure, WorkflowUpdateFailedError } from '@temporalio/client';
import { FailureType } from '../../core/errors.js';
import type { ApiDeps } from '../../api/deps.js';
import { problemOf } from '../../api/problem.js';
import { FourEyesError, RunNotWaitingError } from '../../api/services/errors.js';
import { createRunsService } from '../../api/services/runs.js';

const runId = 'train-churn-20261202T101500Z';
const approver = { name: 'alice', role: 'approver' } as const;

/** A runs service over a client whose one run is waiting with this memo; `update` answers the approval update. */
function serviceFor(memo: Record<string, unknown>, update: () => Promise<unknown>) {
  const calls: string[] = [];
  const client = {
    workflow: {
      getHandle: (id: string) => ({
        describe: async () => ({
          type: 'trainingPipelineWorkflow',
          status: { name: 'RUNNING' },
          memo,
          searchAttributes: { FerryPipeline: ['churn'] },
          workflowId: id,
        }),
        executeUpdate: async () => {
          calls.push('executeUpdate');
          return update();
        },
      }),
    },
  };
  // Only what decide() reads: the client, and the pipeline catalog for runs without the changer in their memo.
  const deps = { client, pipelines: { get: async () => undefined } } as unknown as ApiDeps;
  return { runs: createRunsService(deps), calls };
}

test("an approver who changed the pipeline's privileged settings is refused with a FourEyesError before the workflow is asked", async () => {
  const { runs, calls } = serviceFor({ privilegedChangedBy: 'alice', triggeredBy: 'bob' }, async () => ({}));
  await assert.rejects(runs.approve(runId, approver, 'looks good', 'req-1'), (err: unknown) => {
    assert.ok(err instanceof FourEyesError);
    assert.equal(err.type, FailureType.FourEyes);
    assert.equal(err.runId, runId);
    assert.equal(err.who, 'alice');
    assert.equal(
      err.message,
      "four-eyes rule: alice last changed this pipeline's approval, evaluation or rollout settings and cannot also decide its run",
    );
    return true;
  });
  assert.deepEqual(calls, []);
});

test("the workflow's four-eyes refusal is recognised by its failure type, whatever its words", async () => {
  const refusal = ApplicationFailure.create({
    type: FailureType.FourEyes,
    message: 'worded differently by some future workflow',
    nonRetryable: true,
  });
  const { runs, calls } = serviceFor({ triggeredBy: 'alice' }, async () => {
    throw new WorkflowUpdateFailedError('Workflow Update failed', refusal);
  });
  await assert.rejects(runs.reject(runId, approver, 'no', 'req-2'), (err: unknown) => {
    assert.ok(err instanceof FourEyesError);
    assert.equal(err.message, 'worded differently by some future workflow');
    return true;
  });
  assert.deepEqual(calls, ['executeUpdate']);
});

test('a refusal of another type, even one that mentions the four-eyes rule, is a RunNotWaitingError', async () => {
  const refusal = ApplicationFailure.create({
    type: FailureType.Conflict,
    message: 'four-eyes rule: this text alone decides nothing',
    nonRetryable: true,
  });
  const { runs } = serviceFor({}, async () => {
    throw new WorkflowUpdateFailedError('Workflow Update failed', refusal);
  });
  await assert.rejects(runs.approve(runId, approver, 'ok', 'req-3'), (err: unknown) => {
    assert.ok(err instanceof RunNotWaitingError);
    assert.equal(err.type, FailureType.Conflict);
    return true;
  });
});

test('the problem table answers a four-eyes refusal with 403 four-eyes and a decision on a finished run with 409 run-not-waiting', () => {
  assert.deepEqual(problemOf(new FourEyesError(runId, 'alice', 'four-eyes rule: alice triggered this run')), {
    type: 'about:blank',
    title: 'Forbidden',
    status: 403,
    code: 'four-eyes',
    detail: 'four-eyes rule: alice triggered this run',
  });
  assert.deepEqual(problemOf(new RunNotWaitingError(runId, `run "${runId}" has finished`)), {
    type: 'about:blank',
    title: 'Conflict',
    status: 409,
    code: 'run-not-waiting',
    detail: `run "${runId}" has finished`,
  });
});
