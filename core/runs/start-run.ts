// Starting a training run the one way every trigger (API, CLI, demo, Schedule, drift monitor, tests)
// does: one builder makes the start options — a self-describing id, Ferry's search attributes, the
// summary and details the Temporal UI shows, the memo — and the Schedule's action uses it as is.
import { createHash, randomUUID } from 'node:crypto';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import {
  FerryModel,
  FerryPipeline,
  FerryStage,
  FerryTrigger,
  PipelineStage,
  trainingRunId,
  type PipelineResult,
  type SpecOverrides,
  type TrainingPipelineInput,
} from '../contracts/index.js';
import { specHash } from '../pipeline-spec/load.js';
import { specForHistory, webhookRefOf } from '../webhooks/secrets.js';

/** Which id a run gets; the id tells what started it (see core/contracts/ids.ts). */
export type RunIdentity =
  /** A one-off start: a timestamp plus a short random suffix (the default). */
  | { kind: 'timestamped' }
  /** An idempotent start: the same caller, pipeline and key give the same id, and repeats reuse the run. */
  | { kind: 'request'; caller: string; key: string }
  /** A Schedule's action (Temporal appends the scheduled time). */
  | { kind: 'scheduled' }
  /** The drift monitor's retraining: one id per pipeline, so at most one runs at a time. */
  | { kind: 'drift' };

export interface TrainingRunStart {
  /** The pipeline queue (the workflow's own). */
  taskQueue: string;
  /** The training queue, carried in the input so the workflow routes its heavy activities there. */
  trainTaskQueue: string;
  /** `spec` is the spec the run trains on; `specHash` the registered version it came from. */
  input: TrainingPipelineInput;
  /** Default: timestamped. */
  id?: RunIdentity;
  /**
   * What the run changed of the registered spec. When that makes `spec` differ from the version,
   * the input gets the effective spec's hash and the overrides, so the lineage names what was trained.
   */
  overrides?: SpecOverrides;
  /** For the timestamped id; default: the current time. */
  now?: () => Date;
}

/** The options of a training run's start, shared by `workflow.start` and a Schedule's action. */
export interface TrainingRunStartOptions {
  workflowId: string;
  taskQueue: string;
  args: [TrainingPipelineInput];
  typedSearchAttributes: TypedSearchAttributes;
  memo: Record<string, string>;
  staticSummary: string;
  staticDetails: string;
}

/** The start options of a training run, the same for every trigger. */
export function trainingRunStartOptions(o: TrainingRunStart): TrainingRunStartOptions {
  const input = { ...withEffectiveSpec(o.input, o.overrides), trainTaskQueue: o.trainTaskQueue };
  const { spec } = input;
  return {
    workflowId: workflowIdOf(spec.name, o.id ?? { kind: 'timestamped' }, o.now ?? (() => new Date())),
    taskQueue: o.taskQueue,
    // The webhook URL is a secret: history gets the spec without it, and a reference to look it up.
    args: [withoutWebhookUrl(input)],
    typedSearchAttributes: new TypedSearchAttributes([
      { key: FerryModel, value: spec.model },
      { key: FerryStage, value: PipelineStage.Validate },
      { key: FerryTrigger, value: input.trigger },
      { key: FerryPipeline, value: spec.name },
    ]),
    memo: {
      pipeline: spec.name,
      specHash: input.specHash,
      triggeredBy: input.triggeredBy,
      ...(input.privilegedChangedBy ? { privilegedChangedBy: input.privilegedChangedBy } : {}),
    },
    staticSummary: `Train ${spec.model} (${spec.name}) · ${triggerText(input)}`.slice(0, 200),
    staticDetails: detailsOf(input),
  };
}

export interface StartRunOptions extends TrainingRunStart {
  client: Client;
}

/** Starts a training run; an idempotent (`request`) id returns the run already started. */
export async function startTrainingRun(
  o: StartRunOptions,
): Promise<WorkflowHandle<(i: TrainingPipelineInput) => Promise<PipelineResult>>> {
  return o.client.workflow.start('trainingPipelineWorkflow', {
    ...trainingRunStartOptions(o),
    ...(o.id?.kind === 'request'
      ? {
          workflowIdConflictPolicy: 'USE_EXISTING' as const,
          workflowIdReusePolicy: 'REJECT_DUPLICATE' as const,
        }
      : {}),
  });
}

/** The input as it may enter history: the spec's webhook URL replaced by a reference. */
export function withoutWebhookUrl(input: TrainingPipelineInput): TrainingPipelineInput {
  const webhook = input.webhook ?? webhookRefOf(input.spec, input.specHash);
  return { ...input, spec: specForHistory(input.spec), ...(webhook ? { webhook } : {}) };
}

/** Adds the effective spec's hash and the overrides when the overrides changed the spec. */
function withEffectiveSpec(input: TrainingPipelineInput, overrides?: SpecOverrides): TrainingPipelineInput {
  if (!overrides || Object.keys(overrides).length === 0) return input;
  const effective = specHash(input.spec);
  return effective === input.specHash ? input : { ...input, effectiveSpecHash: effective, overrides };
}

function workflowIdOf(pipeline: string, id: RunIdentity, now: () => Date): string {
  switch (id.kind) {
    case 'timestamped':
      return trainingRunId.timestamped(pipeline, now(), randomUUID().slice(0, 8));
    case 'request': {
      const hash = createHash('sha256').update(`${id.caller}\0${pipeline}\0${id.key}`).digest('hex');
      return trainingRunId.request(pipeline, hash.slice(0, 24));
    }
    case 'scheduled':
      return trainingRunId.scheduled(pipeline);
    case 'drift':
      return trainingRunId.drift(pipeline);
  }
}

/** "api by alice"; an actor named after its trigger reads "schedule ferry-train-churn". */
function triggerText(input: TrainingPipelineInput): string {
  const own = `${input.trigger}:`;
  return input.triggeredBy.startsWith(own)
    ? `${input.trigger} ${input.triggeredBy.slice(own.length)}`
    : `${input.trigger} by ${input.triggeredBy}`;
}

/** Markdown of what the run is for, shown in the Temporal UI from the start. */
function detailsOf(input: TrainingPipelineInput): string {
  const { spec } = input;
  const snapshot = input.datasetSnapshot ?? spec.dataset.snapshot;
  return [
    `**Pipeline** ${spec.name} → model \`${spec.model}\` (${spec.task})`,
    `**Dataset** ${spec.dataset.name}${snapshot ? ` @ ${snapshot.slice(0, 12)}` : ' (latest when the run starts)'}`,
    `**Approval** ${input.approvalPolicy ?? spec.approval.policy}`,
    `**Spec** ${input.specHash.slice(0, 12)}${input.effectiveSpecHash ? ` with overrides → ${input.effectiveSpecHash.slice(0, 12)}` : ''}`,
    `**Trigger** ${triggerText(input)}`,
    input.reason ? `**Reason** ${input.reason}` : '',
  ]
    .filter(Boolean)
    .join('\n\n');
}
