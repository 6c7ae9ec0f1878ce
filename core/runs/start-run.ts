// Starting a training run the one way every caller (API, CLI, demo, schedules, tests) should:
// a self-describing workflow id, Ferry's search attributes and a summary for the Temporal UI.
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import { trainingWorkflowId, type PipelineResult, type TrainingPipelineInput } from '../messages.js';
import { FerryModel, FerryStage, FerryTrigger } from '../search-attributes.js';
import { specForHistory, webhookRefOf } from '../webhooks/secrets.js';

export interface StartRunOptions {
  client: Client;
  taskQueue: string;
  input: TrainingPipelineInput;
  /** Distinguishes runs of one pipeline; default: a timestamp plus a short random suffix. */
  idSuffix?: string;
  /** With an idempotency-derived id: return the run already started instead of failing. */
  reuseExisting?: boolean;
}

export async function startTrainingRun(
  o: StartRunOptions,
): Promise<WorkflowHandle<(i: TrainingPipelineInput) => Promise<PipelineResult>>> {
  const { spec } = o.input;
  const suffix =
    o.idSuffix ??
    `${new Date()
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z')}-${randomUUID().slice(0, 8)}`;
  return o.client.workflow.start('trainingPipelineWorkflow', {
    taskQueue: o.taskQueue,
    workflowId: trainingWorkflowId(spec.name, suffix),
    // The webhook URL is a secret: history gets the spec without it, and a reference to look it up.
    args: [withoutWebhookUrl(o.input)],
    ...(o.reuseExisting
      ? {
          workflowIdConflictPolicy: 'USE_EXISTING' as const,
          workflowIdReusePolicy: 'REJECT_DUPLICATE' as const,
        }
      : {}),
    typedSearchAttributes: new TypedSearchAttributes([
      { key: FerryModel, value: spec.model },
      { key: FerryStage, value: 'validate' },
      { key: FerryTrigger, value: o.input.trigger },
    ]),
    memo: {
      pipeline: spec.name,
      specHash: o.input.specHash,
      triggeredBy: o.input.triggeredBy,
      ...(o.input.privilegedChangedBy ? { privilegedChangedBy: o.input.privilegedChangedBy } : {}),
    },
    staticSummary: `Train ${spec.model} (${spec.name}) · ${o.input.trigger} by ${o.input.triggeredBy}`.slice(
      0,
      200,
    ),
    staticDetails: [
      `**Pipeline** ${spec.name} → model \`${spec.model}\` (${spec.task})`,
      `**Dataset** ${spec.dataset.name}${o.input.datasetSnapshot ? ` @ ${o.input.datasetSnapshot.slice(0, 12)}` : ' (latest)'}`,
      `**Approval** ${o.input.approvalPolicy ?? spec.approval.policy}`,
      o.input.reason ? `**Reason** ${o.input.reason}` : '',
    ]
      .filter(Boolean)
      .join('\n\n'),
  });
}

/** The input as it may enter history: the spec's webhook URL replaced by a reference. */
export function withoutWebhookUrl(input: TrainingPipelineInput): TrainingPipelineInput {
  const webhook = input.webhook ?? webhookRefOf(input.spec, input.specHash);
  return { ...input, spec: specForHistory(input.spec), ...(webhook ? { webhook } : {}) };
}
