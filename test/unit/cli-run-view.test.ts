// How the CLI reads a run: the exit code of each outcome (rolled back included, which the integration
// tests cannot produce cheaply), plain lines free of control characters, and problem+json lines.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiProblemError } from '../../cli/errors.js';
import { ExitCode } from '../../cli/exit-codes.js';
import { liveFrame, plainLines, runEnd, type RunView } from '../../cli/run-view.js';
import { createOutput } from '../../cli/render.js';

const base: RunView = {
  runId: 'train-churn-1',
  pipeline: 'churn',
  model: 'churn',
  status: 'COMPLETED',
  stage: 'done',
  trigger: 'api',
  triggeredBy: 'oscar',
  specHash: 'a'.repeat(64),
  datasetSha: 'b'.repeat(64),
  candidateVersion: 3,
  metrics: { auc: 0.81234, testRows: 580 },
  validation: {
    datasetSha: 'b'.repeat(64),
    rowCount: 1500,
    passed: true,
    errors: 0,
    warnings: [],
    reportKey: 'k',
  },
  evaluation: { passed: true, reasons: ['✓ auc 0.8123 ≥ 0.7'], primaryMetric: 'auc', championVersion: 2 },
  waitingFor: null,
  approvalDeadline: null,
  decision: null,
  outcome: 'promoted',
  failure: null,
  rollout: null,
  startedAt: '2026-12-03T10:00:00.000Z',
  closedAt: '2026-12-03T10:01:00.000Z',
  links: { self: '/v1/runs/train-churn-1', temporalUi: 'http://ui' },
};

test('each way a run ends has its own exit code', () => {
  const code = (r: Partial<RunView>) => runEnd({ ...base, ...r })?.exitCode;
  assert.equal(code({ status: 'RUNNING' }), undefined);
  assert.equal(code({}), ExitCode.Ok);
  assert.equal(code({ outcome: 'rejected-by-evaluation' }), ExitCode.RejectedByEvaluation);
  assert.equal(code({ outcome: 'rejected' }), ExitCode.RejectedByPerson);
  assert.equal(
    code({ outcome: 'rolled-back', rollout: { reason: 'p99 320 ms > 250 ms' } }),
    ExitCode.RolledBack,
  );
  assert.equal(code({ outcome: 'timed-out-rejected' }), ExitCode.TimedOut);
  assert.equal(
    code({ status: 'FAILED', outcome: null, validation: { ...base.validation!, passed: false, errors: 2 } }),
    ExitCode.ValidationFailed,
  );
  assert.equal(code({ status: 'FAILED', outcome: null, validation: null, failure: 'boom' }), ExitCode.Failed);
  assert.equal(code({ status: 'CANCELED', outcome: null }), ExitCode.Failed);
  const report = {
    runId: base.runId,
    datasetSha: null,
    passed: false,
    checks: [
      {
        check: 'range',
        column: 'age',
        severity: 'error' as const,
        passed: false,
        observed: 86,
        threshold: 20,
        message: 'age out of range',
        ts: 't',
      },
    ],
  };
  assert.deepEqual(runEnd({ ...base, status: 'FAILED', outcome: null, validation: null }, report), {
    exitCode: ExitCode.ValidationFailed,
    summary: 'validation failed: age out of range (ferry runs show train-churn-1)',
  });
  assert.equal(
    runEnd({ ...base, outcome: 'rolled-back', rollout: { reason: 'p99 320 ms > 250 ms' } })?.summary,
    'rolled back: p99 320 ms > 250 ms',
  );
});

test('a failure message over several lines reads as one line', () => {
  assert.equal(
    runEnd({ ...base, status: 'FAILED', outcome: null, failure: 'a\n  b' })?.summary,
    'failed: a; b',
  );
});

test('plain lines come in stage order, each stage before its facts, and the live frame without colour has no escapes', () => {
  const epochs = [
    {
      attempt: 1,
      epoch: 1,
      loss: 0.5,
      valLoss: 0.45,
      valMetric: 0.8,
      samples: 100,
      ms: 10,
      backend: 'cpu',
      ts: 't',
    },
  ];
  const lines = plainLines({
    run: { ...base, stage: 'approval', outcome: null, waitingFor: 'an approve or reject decision' },
    epochs,
    totalEpochs: 2,
  });
  assert.deepEqual(lines, [
    'stage: validate',
    'validation passed: 1500 rows, 0 error(s)',
    'stage: train',
    'epoch 1/2 loss 0.5000 val_loss 0.4500 val_metric 0.8000',
    'stage: evaluate',
    'evaluation passed: auc 0.8123 vs champion v2; ✓ auc 0.8123 ≥ 0.7',
    'stage: register',
    'candidate: churn v3',
    'stage: approval',
    'waiting for an approve or reject decision',
  ]);
  const out = createOutput({ json: false, tty: false });
  const frame = liveFrame(
    { run: { ...base, stage: 'train', evaluation: null }, epochs, totalEpochs: 2 },
    out.color,
  );
  assert.match(frame, /^churn train-churn-1\n  ✓ validate  ▶ train  evaluate/);
  assert.match(frame, /\n  ████████████░░░░░░░░░░░░ epoch 1\/2 loss 0\.5000/);
  assert.doesNotMatch(frame, /\u001b/);
});

test('a problem+json answer becomes one line naming each field and its rule, with the exit code of its status', () => {
  const e = new ApiProblemError(400, {
    code: 'invalid-spec',
    detail: 'ignored when fields are named',
    errors: [
      { field: 'body.dataset.label', rule: 'no column "churn"; did you mean "churned"?' },
      { field: 'body.task', rule: 'must be binary, multiclass or regression' },
    ],
  });
  assert.equal(
    e.message,
    '400 invalid-spec: body.dataset.label: no column "churn"; did you mean "churned"?; body.task: must be binary, multiclass or regression',
  );
  assert.equal(e.exitCode, ExitCode.Usage);
  assert.equal(
    new ApiProblemError(403, { code: 'four-eyes', detail: 'you triggered it' }).message,
    '403 four-eyes: you triggered it',
  );
  assert.equal(new ApiProblemError(403, { code: 'four-eyes' }).exitCode, ExitCode.AuthRefused);
  assert.equal(new ApiProblemError(503, { code: 'unavailable' }).exitCode, ExitCode.Unexpected);
});
