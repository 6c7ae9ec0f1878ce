// Workflows for bench/orchestration-overhead.ts. `noopPipelineWorkflow` has the shape of
// trainingPipelineWorkflow (same activity order and options, handlers, FerryStage upserts and
// current details, auto approval); `bareActivityChainWorkflow` calls the same seven activities
// with nothing else, the baseline that isolates what Ferry's extras cost per step.
// Deterministic like workflows/: imports only @temporalio/workflow and pure core modules.
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
  ActivityFailure,
  isCancellation,
} from '@temporalio/workflow';
import { FailureType, nonRetryableFailureTypes } from '../core/errors.js';
import {
  approvalDecisionSignal,
  approveCandidateUpdate,
  pipelineStatusQuery,
  rejectCandidateUpdate,
  type ApprovalDecision,
  type ApprovalRequest,
  type PipelineResult,
  type PipelineStage,
  type PipelineStatus,
  type TrainingPipelineInput,
} from '../core/contracts/index.js';
import { FerryStage } from '../core/contracts/index.js';
import type { PipelineActivities } from './noop-activities.js';

// The same options as workflows/training-pipeline.ts.
const retry = {
  initialInterval: '1s',
  backoffCoefficient: 2,
  maximumInterval: '30s',
  nonRetryableErrorTypes: [...nonRetryableFailureTypes],
};
const quick = proxyActivities<PipelineActivities>({ startToCloseTimeout: '2 minutes', retry });
const heavy = proxyActivities<PipelineActivities>({
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '30 seconds',
  retry,
});

/** trainingPipelineWorkflow's control flow with the auto policy, over no-op activities. */
export async function noopPipelineWorkflow(input: TrainingPipelineInput): Promise<PipelineResult> {
  const { spec } = input;
  const runId = workflowInfo().workflowId;
  const policy = input.approvalPolicy ?? spec.approval.policy;
  if (policy !== 'auto')
    throw ApplicationFailure.nonRetryable(
      `the benchmark runs the auto policy only, got ${policy}`,
      FailureType.InvalidInput,
    );

  const status: PipelineStatus = {
    pipeline: spec.name,
    model: spec.model,
    stage: 'validate',
    trigger: input.trigger,
    triggeredBy: input.triggeredBy,
    specHash: input.specHash,
    approvalPolicy: policy,
  };
  let pendingDecision: ApprovalDecision | undefined;

  setHandler(pipelineStatusQuery, () => status);
  const decide = (
    decision: 'approve' | 'reject',
    req: ApprovalRequest,
    via: ApprovalDecision['via'],
  ): ApprovalDecision => {
    pendingDecision = { decision, by: req.by, comment: req.comment, at: new Date().toISOString(), via };
    return pendingDecision;
  };
  const validateDecision = (_req: ApprovalRequest): void => {
    if (status.stage !== 'approval' || status.candidateVersion === undefined)
      throw new Error(`run is not waiting for approval (stage: ${status.stage})`);
    if (pendingDecision)
      throw new Error(`run was already decided: ${pendingDecision.decision} by ${pendingDecision.by}`);
  };
  setHandler(approveCandidateUpdate, (req) => decide('approve', req, 'update'), {
    validator: validateDecision,
  });
  setHandler(rejectCandidateUpdate, (req) => decide('reject', req, 'update'), {
    validator: validateDecision,
  });
  setHandler(approvalDecisionSignal, (req) => {
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

  try {
    enter('validate');
    const validation = await quick.validateDataset({ runId, spec, datasetSnapshot: input.datasetSnapshot });
    status.validation = validation;
    status.datasetSha = validation.datasetSha;

    enter('train');
    const training = await heavy.trainModel({ runId, spec, datasetSha: validation.datasetSha });

    enter('evaluate', `trained ${training.epochsTrained} epochs on ${training.backend}`);
    const evaluation = await quick.evaluateModel({
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
      specHash: input.specHash,
      codeRevision: input.codeRevision ?? 'unknown',
      datasetSha: validation.datasetSha,
      validationKey: validation.reportKey,
      training,
      evaluation,
    });
    status.candidateVersion = version;

    enter('approval');
    const decision = decide('approve', { by: 'policy:auto', comment: 'evaluation passed' }, 'policy');
    status.decision = decision;
    await quick.recordDecision({ runId, model: spec.model, version, decision });

    enter('rollout');
    await quick.promoteModel({
      runId,
      model: spec.model,
      version,
      actor: decision.by,
      reason: decision.comment || 'approved',
    });
    status.outcome = 'promoted';
    await quick.recordRun({ runId, spec, input, status, outcome: 'promoted', message: decision.comment });
    enter('done', 'outcome: promoted');
    await condition(allHandlersFinished);
    return { outcome: 'promoted', model: spec.model, version, decision, evaluation };
  } catch (err) {
    if (isCancellation(err)) throw err;
    const failure =
      err instanceof ActivityFailure && err.cause instanceof ApplicationFailure ? err.cause : undefined;
    await quick.recordRun({
      runId,
      spec,
      input,
      status,
      outcome: 'failed',
      message: (failure ?? (err as Error)).message,
    });
    enter('done', `failed: ${(failure ?? (err as Error)).message}`);
    throw err;
  }
}

/** The baseline: the same seven activities in the same order, with no handlers, upserts or details. */
export async function bareActivityChainWorkflow(input: TrainingPipelineInput): Promise<PipelineResult> {
  const { spec } = input;
  const runId = workflowInfo().workflowId;
  const validation = await quick.validateDataset({ runId, spec, datasetSnapshot: input.datasetSnapshot });
  const training = await heavy.trainModel({ runId, spec, datasetSha: validation.datasetSha });
  const evaluation = await quick.evaluateModel({ runId, spec, datasetSha: validation.datasetSha, training });
  const { version } = await quick.registerModel({
    runId,
    spec,
    specHash: input.specHash,
    codeRevision: input.codeRevision ?? 'unknown',
    datasetSha: validation.datasetSha,
    validationKey: validation.reportKey,
    training,
    evaluation,
  });
  const decision: ApprovalDecision = {
    decision: 'approve',
    by: 'policy:auto',
    comment: 'evaluation passed',
    at: new Date().toISOString(),
    via: 'policy',
  };
  await quick.recordDecision({ runId, model: spec.model, version, decision });
  await quick.promoteModel({
    runId,
    model: spec.model,
    version,
    actor: decision.by,
    reason: decision.comment,
  });
  const status: PipelineStatus = {
    pipeline: spec.name,
    model: spec.model,
    stage: 'done',
    trigger: input.trigger,
    triggeredBy: input.triggeredBy,
    specHash: input.specHash,
    approvalPolicy: 'auto',
    outcome: 'promoted',
  };
  await quick.recordRun({ runId, spec, input, status, outcome: 'promoted', message: decision.comment });
  return { outcome: 'promoted', model: spec.model, version, decision, evaluation };
}

/** The same Markdown trainingPipelineWorkflow shows as current details, so payload sizes match. */
function renderDetails(s: PipelineStatus, note?: string): string {
  const lines = [
    `**${s.pipeline}** → model \`${s.model}\` · stage **${s.stage}** · trigger ${s.trigger} by ${s.triggeredBy}`,
  ];
  if (s.datasetSha)
    lines.push(`dataset snapshot \`${s.datasetSha.slice(0, 12)}\` (${s.validation?.rowCount ?? '?'} rows)`);
  if (s.candidateVersion !== undefined) lines.push(`candidate version **v${s.candidateVersion}**`);
  if (s.evaluation) {
    const m = s.evaluation.metrics;
    lines.push(`${s.evaluation.primaryMetric} = ${m[s.evaluation.primaryMetric]?.toFixed(4)}`);
  }
  if (s.decision) lines.push(`decision: ${s.decision.decision} by ${s.decision.by} — ${s.decision.comment}`);
  if (note) lines.push(note);
  return lines.join('\n\n');
}
