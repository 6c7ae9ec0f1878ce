// Message contracts of the training pipeline: signals, updates, queries and their types, defined
// once and imported by the workflow, the API, the CLI and tests (without pulling in workflow bodies).
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { PipelineSpec } from '../pipeline-spec/schema.js';

/** Where a run is. `rollout` is the promotion step (canary rollout replaces its body later). */
export const PipelineStage = {
  Validate: 'validate',
  Train: 'train',
  Evaluate: 'evaluate',
  Register: 'register',
  Approval: 'approval',
  Rollout: 'rollout',
  Done: 'done',
} as const;
export type PipelineStage = (typeof PipelineStage)[keyof typeof PipelineStage];

export const RunTrigger = {
  Api: 'api',
  Cli: 'cli',
  Schedule: 'schedule',
  Drift: 'drift',
  Demo: 'demo',
  Test: 'test',
} as const;
export type RunTrigger = (typeof RunTrigger)[keyof typeof RunTrigger];

export type ApprovalPolicyName = PipelineSpec['approval']['policy'];

/** Where a webhook URL is found (the registered spec version), so the URL itself stays out of history. */
export interface WebhookRef {
  pipeline: string;
  specHash: string;
}

/** Spec fields one run changed from its pipeline's registered spec. */
export interface SpecOverrides {
  /** Another dataset than the spec's (by name; the run takes its latest snapshot unless pinned). */
  dataset?: { name: string };
  training?: { epochs?: number; learningRate?: number; batchSize?: number };
  approval?: { timeout?: string };
}

/** Input of one training run. The spec arrives validated, with defaults filled in. */
export interface TrainingPipelineInput {
  /** The spec this run trains on: the registered one, with the run's overrides applied. */
  spec: PipelineSpec;
  /** Hash of the registered spec version the run started from (webhooks are looked up by it). */
  specHash: string;
  /**
   * Hash of `spec` itself, set only when overrides made it differ from the registered version, so the
   * lineage names the spec that was trained. Computed before the start, never in the workflow.
   */
  effectiveSpecHash?: string;
  /** What the run changed of the registered spec; set together with `effectiveSpecHash`. */
  overrides?: SpecOverrides;
  /** Snapshot hash to train on; default: the dataset's latest snapshot when the run starts. */
  datasetSnapshot?: string;
  trigger: RunTrigger;
  triggeredBy: string;
  /**
   * Who last set or changed the spec's privileged fields (approval, thresholds, rollout, webhooks):
   * under four-eyes they may not decide the run either, so nobody relaxes a gate and passes it alone.
   */
  privilegedChangedBy?: string;
  reason?: string;
  /** Overrides the spec's approval policy for this run. */
  approvalPolicy?: ApprovalPolicyName;
  /** Overrides the spec's approval timeout (ms); tests use short values. */
  approvalTimeoutMs?: number;
  /** Overrides the spec's rollout bake time per step (ms); tests use short values. */
  rolloutBakeMs?: number;
  codeRevision?: string;
  /** The spec's webhook, by reference (the spec itself arrives without its URL). */
  webhook?: WebhookRef;
  /**
   * Task queue of the run's training, evaluation and validation (FERRY_TRAIN_TASK_QUEUE at start).
   * Absent (inputs from before split pools, e.g. a Schedule not yet refreshed): they run on the
   * workflow's own queue, whose workers register every activity.
   */
  trainTaskQueue?: string;
}

/** Who decided what about a candidate, and why. */
export interface ApprovalDecision {
  decision: 'approve' | 'reject';
  by: string;
  comment: string;
  at: string;
  /** How it was decided: a person, the policy, or the timeout's action. */
  via: 'update' | 'signal' | 'policy' | 'timeout';
}

/** What a person sends to approve or reject (the identity comes from their credentials). */
export interface ApprovalRequest {
  by: string;
  comment: string;
}

export interface ValidationSummary {
  datasetSha: string;
  rowCount: number;
  passed: boolean;
  errors: number;
  warnings: string[];
  reportKey: string;
}

export interface EvaluationSummary {
  passed: boolean;
  reasons: string[];
  primaryMetric: string;
  metrics: Record<string, number>;
  championVersion?: number;
  championMetrics?: Record<string, number>;
  beatsChampion: boolean;
  reportKey: string;
  cardKey: string;
}

/** The run as the pipelineStatusQuery sees it. */
export interface PipelineStatus {
  pipeline: string;
  model: string;
  stage: PipelineStage;
  trigger: RunTrigger;
  triggeredBy: string;
  specHash: string;
  /** Who last changed the spec's privileged fields, when known (see TrainingPipelineInput). */
  privilegedChangedBy?: string;
  approvalPolicy: ApprovalPolicyName;
  datasetSha?: string;
  candidateVersion?: number;
  validation?: ValidationSummary;
  evaluation?: EvaluationSummary;
  decision?: ApprovalDecision;
  /** What the run waits for right now, in words; absent when it is working. */
  waitingFor?: string;
  approvalDeadline?: string;
  outcome?: PipelineOutcome;
}

export type PipelineOutcome =
  'promoted' | 'rejected-by-evaluation' | 'rejected' | 'timed-out-rejected' | 'rolled-back';

export interface PipelineResult {
  outcome: PipelineOutcome;
  model: string;
  version: number;
  decision?: ApprovalDecision;
  evaluation: EvaluationSummary;
  /** Why the rollout ended as it did (the failed guard and its numbers on a rollback). */
  rollout?: { outcome: 'promoted' | 'rolled-back'; reason: string };
}

export const pipelineStatusQuery = defineQuery<PipelineStatus>('pipelineStatus');
export const approveCandidateUpdate = defineUpdate<ApprovalDecision, [ApprovalRequest]>('approveCandidate');
export const rejectCandidateUpdate = defineUpdate<ApprovalDecision, [ApprovalRequest]>('rejectCandidate');
/** Fire-and-forget form of a decision, for callers that cannot wait for a worker. */
export const approvalDecisionSignal =
  defineSignal<[ApprovalRequest & { decision: 'approve' | 'reject' }]>('approvalDecision');
