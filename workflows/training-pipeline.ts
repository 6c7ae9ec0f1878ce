// One training run: validate → train → evaluate → register → approval gate → rollout (promote).
// Deterministic: every side effect is an activity; the clock is Temporal's.
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  log,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
  executeChild,
  isCancellation,
  patched,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import {
  approvalDecisionSignal,
  approveCandidateUpdate,
  FerryStage,
  FailureType,
  nonRetryableFailureTypes,
  parseDurationMs,
  pipelineStatusQuery,
  rejectCandidateUpdate,
  rolloutWorkflowId,
  type ApprovalDecision,
  type ApprovalRequest,
  type PipelineResult,
  type PipelineStage,
  type PipelineStatus,
  type TrainingPipelineInput,
} from '../core/contracts/index.js';
import { failureOf } from './failures.js';
import { rolloutWorkflow } from './rollout.js';

const defaultRollout = {
  strategy: 'direct',
  steps: [100],
  bake: '0ms',
  guards: {
    maxErrorRate: 0.01,
    maxP99LatencyMs: 250,
    maxPredictionPsi: 0.25,
    minLabels: 50,
    minRequests: 20,
  },
} as const;

// Retries are bounded: an attempt count that outlasts a dependency outage of several minutes
// (1 s doubling to 30 s) and then fails the run naming the activity and its last error.
const retry = {
  initialInterval: '1s',
  backoffCoefficient: 2,
  maximumInterval: '30s',
  maximumAttempts: 20,
  nonRetryableErrorTypes: [...nonRetryableFailureTypes],
};

// Bookkeeping (registry, run rows, decisions): seconds of work, a minute is generous.
const quick = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry });
// Scans of the dataset: they heartbeat, so a worker that dies in one is noticed in 30 s, not at the end
// of the start-to-close timeout, which only bounds a live scan of a very large dataset. 30 s, like
// training, leaves room for CPU-bound stretches of a large split on a busy machine.
const scanOptions: ActivityOptions = {
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { ...retry, maximumAttempts: 10 },
};
// Notifications are best effort: a receiver that is down must not hold the run.
const notify = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 3 },
});
const heavyOptions: ActivityOptions = {
  startToCloseTimeout: '2 hours',
  // A worker that dies mid-epoch is noticed within this long; the retry resumes from the last checkpoint.
  heartbeatTimeout: '30 seconds',
  // Each worker crash costs one attempt: enough for a crash storm, still bounded.
  retry: { ...retry, maximumAttempts: 30 },
};

export async function trainingPipelineWorkflow(input: TrainingPipelineInput): Promise<PipelineResult> {
  // ---- input ----
  const { spec } = input;
  const runId = workflowInfo().workflowId;
  const policy = input.approvalPolicy ?? spec.approval.policy;
  const approvalTimeoutMs = input.approvalTimeoutMs ?? parseDurationMs(spec.approval.timeout);
  // Scans and training go to the training pool's queue. Runs recorded before split pools (and inputs
  // without the field) scheduled them on the workflow's own queue, so only runs that name one differ.
  const trainQueue =
    input.trainTaskQueue !== undefined && patched('train-task-queue')
      ? { taskQueue: input.trainTaskQueue }
      : {};
  const scan = proxyActivities<Activities>({ ...scanOptions, ...trainQueue });
  const heavy = proxyActivities<Activities>({ ...heavyOptions, ...trainQueue });
  // Runs recorded before this rule decided without it; only runs that carry the field can differ.
  const specChanger =
    input.privilegedChangedBy !== undefined && patched('four-eyes-spec-changer')
      ? input.privilegedChangedBy
      : undefined;

  // ---- state ----
  const status: PipelineStatus = {
    pipeline: spec.name,
    model: spec.model,
    stage: 'validate',
    trigger: input.trigger,
    triggeredBy: input.triggeredBy,
    specHash: input.specHash,
    ...(specChanger !== undefined ? { privilegedChangedBy: specChanger } : {}),
    approvalPolicy: policy,
  };
  let pendingDecision: ApprovalDecision | undefined;

  // ---- handlers ----
  setHandler(pipelineStatusQuery, () => status);

  const decide = (
    decision: 'approve' | 'reject',
    req: ApprovalRequest,
    via: ApprovalDecision['via'],
  ): ApprovalDecision => {
    pendingDecision = { decision, by: req.by, comment: req.comment, at: new Date().toISOString(), via };
    return pendingDecision;
  };
  // Refusals carry a failure type so the API tells them apart by type (a four-eyes refusal is 403), never by text.
  const refuse = (type: FailureType, message: string): ApplicationFailure =>
    ApplicationFailure.create({ type, message, nonRetryable: true });
  const validateDecision = (req: ApprovalRequest): void => {
    if (status.stage !== 'approval' || status.candidateVersion === undefined) {
      throw refuse(FailureType.Conflict, `run is not waiting for approval (stage: ${status.stage})`);
    }
    if (pendingDecision)
      throw refuse(
        FailureType.Conflict,
        `run was already decided: ${pendingDecision.decision} by ${pendingDecision.by}`,
      );
    if (!req || typeof req.by !== 'string' || req.by.trim() === '')
      throw refuse(FailureType.InvalidInput, 'by: must be a non-empty identity');
    if (typeof req.comment !== 'string') throw refuse(FailureType.InvalidInput, 'comment: must be a string');
    if (spec.approval.fourEyes && req.by === input.triggeredBy) {
      throw refuse(
        FailureType.FourEyes,
        `four-eyes rule: ${req.by} triggered this run and cannot also decide it`,
      );
    }
    // Not tied to spec.approval.fourEyes: turning that off is itself a privileged change.
    if (specChanger !== undefined && req.by === specChanger) {
      throw refuse(
        FailureType.FourEyes,
        `four-eyes rule: ${req.by} last changed this pipeline's approval, evaluation or rollout settings and cannot also decide its run`,
      );
    }
  };
  setHandler(approveCandidateUpdate, (req) => decide('approve', req, 'update'), {
    validator: validateDecision,
  });
  setHandler(rejectCandidateUpdate, (req) => decide('reject', req, 'update'), {
    validator: validateDecision,
  });
  setHandler(approvalDecisionSignal, (req) => {
    // Signals have no validator: apply the same rules and drop (with a log line) what they refuse.
    try {
      validateDecision(req);
      decide(req.decision, req, 'signal');
    } catch (err) {
      log.warn('approval signal ignored', { reason: (err as Error).message });
    }
  });

  const enter = (stage: PipelineStage, details?: string): void => {
    status.stage = stage;
    upsertSearchAttributes([{ key: FerryStage, value: stage }]);
    setCurrentDetails(renderDetails(status, details));
  };

  // ---- business logic ----
  try {
    enter('validate');
    const validation = await scan.validateDataset({
      runId,
      spec,
      datasetSnapshot: input.datasetSnapshot,
    });
    status.validation = validation;
    status.datasetSha = validation.datasetSha;

    enter('train');
    const training = await heavy.trainModel({ runId, spec, datasetSha: validation.datasetSha });

    enter('evaluate', `trained ${training.epochsTrained} epochs on ${training.backend}`);
    const evaluation = await scan.evaluateModel({
      runId,
      spec,
      datasetSha: validation.datasetSha,
      training,
    });
    status.evaluation = evaluation;

    enter('register');
    const { version } = await quick.registerModel({
      runId,
      spec,
      // The lineage names the spec that was trained; with overrides, also what they were applied to.
      specHash: input.effectiveSpecHash ?? input.specHash,
      ...(input.effectiveSpecHash !== undefined
        ? { baseSpecHash: input.specHash, overrides: input.overrides ?? {} }
        : {}),
      codeRevision: input.codeRevision ?? 'unknown',
      datasetSha: validation.datasetSha,
      validationKey: validation.reportKey,
      training,
      evaluation,
    });
    status.candidateVersion = version;

    if (!evaluation.passed) {
      return await finish({ outcome: 'rejected-by-evaluation', model: spec.model, version, evaluation });
    }

    enter('approval');
    let decision: ApprovalDecision;
    if (policy === 'auto') {
      decision = decide('approve', { by: 'policy:auto', comment: 'evaluation passed' }, 'policy');
    } else if (policy === 'auto-if-better') {
      decision = evaluation.beatsChampion
        ? decide(
            'approve',
            { by: 'policy:auto-if-better', comment: `beats champion on ${evaluation.primaryMetric}` },
            'policy',
          )
        : decide(
            'reject',
            {
              by: 'policy:auto-if-better',
              comment: `does not beat champion v${evaluation.championVersion} on ${evaluation.primaryMetric}`,
            },
            'policy',
          );
    } else {
      status.waitingFor = `an approve or reject decision on version ${version} (policy manual)`;
      status.approvalDeadline = new Date(Date.now() + approvalTimeoutMs).toISOString();
      setCurrentDetails(renderDetails(status));
      // Runs started before references carry the URL in the spec; newer ones only a reference.
      const webhook = input.webhook ?? spec.monitoring?.webhookUrl;
      if (webhook && patched('approval-webhook')) {
        const url = spec.monitoring?.webhookUrl;
        const target =
          input.webhook && patched('webhook-by-reference') ? { ref: input.webhook } : { url: url! };
        await notify
          .notifyWebhook({
            ...target,
            event: 'approval-waiting',
            payload: {
              runId,
              model: spec.model,
              version,
              deadline: status.approvalDeadline,
              metrics: evaluation.metrics,
            },
          })
          .catch((err: Error) => log.warn('approval webhook failed', { error: err.message }));
      }
      const decided = await condition(() => pendingDecision !== undefined, approvalTimeoutMs);
      status.waitingFor = undefined;
      decision = decided
        ? pendingDecision!
        : decide(
            spec.approval.onTimeout,
            { by: 'system:timeout', comment: `no decision within ${spec.approval.timeout}` },
            'timeout',
          );
    }
    status.decision = decision;
    await quick.recordDecision({ runId, model: spec.model, version, decision });

    if (decision.decision === 'reject') {
      return await finish({
        outcome: decision.via === 'timeout' ? 'timed-out-rejected' : 'rejected',
        model: spec.model,
        version,
        decision,
        evaluation,
      });
    }

    enter('rollout');
    const reason = decision.comment || 'approved';
    // Runs recorded before the rollout child existed promoted directly; replaying them must too.
    if (!patched('rollout-child-workflow')) {
      await quick.promoteModel({ runId, model: spec.model, version, actor: decision.by, reason });
      return await finish({ outcome: 'promoted', model: spec.model, version, decision, evaluation });
    }
    const rollout = spec.rollout ?? defaultRollout;
    const result = await executeChild(rolloutWorkflow, {
      workflowId: rolloutWorkflowId(runId),
      args: [
        {
          runId,
          model: spec.model,
          candidate: version,
          ...(evaluation.championVersion !== undefined ? { champion: evaluation.championVersion } : {}),
          rollout: { ...rollout, steps: [...rollout.steps], guards: { ...rollout.guards } },
          bakeMs: input.rolloutBakeMs ?? parseDurationMs(rollout.bake),
          actor: decision.by,
          reason,
        },
      ],
      staticSummary: `Roll out ${spec.model} v${version} (${rollout.strategy})`,
    });
    return await finish({
      outcome: result.outcome,
      model: spec.model,
      version,
      decision,
      evaluation,
      rollout: { outcome: result.outcome, reason: result.reason },
    });
  } catch (err) {
    // A cancelled run ends as cancelled; recording it would need a non-cancellable scope for little gain.
    if (isCancellation(err)) throw err;
    const failure = failureOf(err);
    await quick.recordRun({
      runId,
      spec,
      input,
      status,
      outcome: 'failed',
      message: failure?.message ?? (err as Error).message,
    });
    enter('done', `failed: ${failure?.message ?? (err as Error).message}`);
    if (failure) throw failure;
    throw err;
  }

  async function finish(result: PipelineResult): Promise<PipelineResult> {
    status.outcome = result.outcome;
    await quick.recordRun({
      runId,
      spec,
      input,
      status,
      outcome: result.outcome,
      message: result.decision?.comment ?? result.evaluation.reasons.join('; '),
    });
    enter('done', `outcome: ${result.outcome}`);
    await condition(allHandlersFinished);
    return result;
  }
}

/** Markdown shown as the run's current details in the Temporal UI. */
function renderDetails(s: PipelineStatus, note?: string): string {
  const lines = [
    `**${s.pipeline}** → model \`${s.model}\` · stage **${s.stage}** · trigger ${s.trigger} by ${s.triggeredBy}`,
  ];
  if (s.datasetSha)
    lines.push(`dataset snapshot \`${s.datasetSha.slice(0, 12)}\` (${s.validation?.rowCount ?? '?'} rows)`);
  if (s.candidateVersion !== undefined) lines.push(`candidate version **v${s.candidateVersion}**`);
  if (s.evaluation) {
    const m = s.evaluation.metrics;
    lines.push(
      `${s.evaluation.primaryMetric} = ${m[s.evaluation.primaryMetric]?.toFixed(4)}${s.evaluation.championVersion ? ` (champion v${s.evaluation.championVersion}: ${s.evaluation.championMetrics?.[s.evaluation.primaryMetric]?.toFixed(4)})` : ''}`,
    );
  }
  if (s.waitingFor) lines.push(`waiting for ${s.waitingFor} until ${s.approvalDeadline}`);
  if (s.decision) lines.push(`decision: ${s.decision.decision} by ${s.decision.by} — ${s.decision.comment}`);
  if (note) lines.push(note);
  return lines.join('\n\n');
}
