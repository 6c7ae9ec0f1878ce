// The orchestration benchmark's baseline: the activities a trainingPipelineWorkflow run with the auto
// policy and a direct rollout calls, in the same order, chained with nothing else (no handlers,
// search-attribute upserts, current details or rollout child), so the difference is Ferry's cost.
// Deterministic like workflows/: imports only @temporalio/workflow and pure core modules.
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import { nonRetryableFailureTypes } from '../core/errors.js';
import type {
  ApprovalDecision,
  PipelineResult,
  PipelineStatus,
  TrainingPipelineInput,
} from '../core/contracts/index.js';
import type { PipelineActivities } from './noop-activities.js';

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

/** validate → train → evaluate → register → recordDecision → setTraffic → promote → recordRun, and nothing else. */
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
  await quick.setTraffic({
    model: spec.model,
    routes: [{ version, weight: 100 }],
    shadow: [],
    actor: decision.by,
    reason: decision.comment,
  });
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
