// The drift monitor of each pipeline whose spec has `monitoring`: a Temporal Schedule
// (`ferry-monitor-<pipeline>`) that starts `monitorWorkflow` every `monitoring.interval`.
import { ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import type { PipelineRecord } from '../../core/pipelines/spec-store.js';
import { specForHistory, webhookRefOf } from '../../core/webhooks/secrets.js';
import {
  monitorScheduleId,
  monitorWorkflowId,
  parseDurationMs,
  type MonitorInput,
} from '../../core/contracts/index.js';
import type { ApiDeps } from '../deps.js';

/** The monitor's input for a registered spec: no webhook URL, a reference to it instead. */
export function monitorInputOf(record: PipelineRecord): MonitorInput {
  const webhook = webhookRefOf(record.spec, record.specHash);
  return {
    spec: specForHistory(record.spec),
    windowMs: parseDurationMs(record.spec.monitoring?.window ?? '1h'),
    ...(webhook ? { webhook } : {}),
  };
}

/** Creates, updates or deletes the pipeline's monitor schedule to match its spec. */
export async function syncMonitorSchedule(
  deps: Pick<ApiDeps, 'client' | 'taskQueue'>,
  record: PipelineRecord,
): Promise<'created' | 'updated' | 'deleted' | 'none'> {
  const { spec } = record;
  const scheduleId = monitorScheduleId(spec.name);
  const handle = deps.client.schedule.getHandle(scheduleId);
  const monitoring = spec.monitoring;
  if (!monitoring?.enabled) {
    try {
      await handle.delete();
      return 'deleted';
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) return 'none';
      throw err;
    }
  }
  const action = {
    type: 'startWorkflow' as const,
    workflowType: 'monitorWorkflow',
    workflowId: monitorWorkflowId(spec.name),
    taskQueue: deps.taskQueue,
    args: [monitorInputOf(record)],
    staticSummary: `Monitor ${spec.model}: drift and online accuracy over ${monitoring.window}`,
  };
  const interval = { every: parseDurationMs(monitoring.interval) };
  try {
    await handle.update((previous) => ({ ...previous, spec: { intervals: [interval] }, action }));
    return 'updated';
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
  }
  // SKIP: a monitor pass still running makes the next tick pointless, not queued.
  await deps.client.schedule.create({
    scheduleId,
    spec: { intervals: [interval] },
    action,
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '10 minutes' },
  });
  return 'created';
}
