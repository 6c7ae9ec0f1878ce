// A training run's timeline for `ferry runs logs`: its Temporal history (and its rollout child's), read
// through the client and mapped to compact events — stage changes, activities with their attempts,
// timers, signals and updates (decisions, rollout controls), the child rollout, how it ended.
import { status as grpcStatus } from '@grpc/grpc-js';
import { isGrpcServiceError } from '@temporalio/client';
import type { PayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { FerryStage, rolloutWorkflowId } from '../../core/contracts/index.js';
import type { ApiDeps } from '../deps.js';
import { RunNotFoundError } from './errors.js';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
type Payloads = temporal.api.common.v1.IPayloads | null | undefined;

/** One entry of a run's timeline. `workflow` says whether the run itself or its rollout child recorded it. */
export interface RunEvent {
  at: string;
  kind: string;
  detail: string;
  workflow: 'run' | 'rollout';
}

/** Most entries one answer holds (the newest are kept); `limit` picks fewer. */
export const maxRunEvents = 1000;
export const defaultRunEvents = 500;

/** Events read per history page. */
const historyPageSize = 1000;

const timeOf = (t: { seconds?: unknown; nanos?: number | null } | null | undefined): string =>
  new Date(Number(t?.seconds ?? 0) * 1000 + Math.floor((t?.nanos ?? 0) / 1e6)).toISOString();

const seconds = (d: { seconds?: unknown } | null | undefined): string => {
  const s = Number(d?.seconds ?? 0);
  return s % 86_400 === 0 && s > 0 ? `${s / 86_400}d` : s % 3600 === 0 && s > 0 ? `${s / 3600}h` : `${s}s`;
};

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Who and why of a message's argument (`{ by, decision, comment, reason }`), as short text. */
function messageSummary(arg: unknown): string {
  if (!arg || typeof arg !== 'object') return '';
  const a = arg as Record<string, unknown>;
  const parts = [text(a.decision), text(a.by) && `by ${String(a.by)}`].filter(Boolean);
  const why = text(a.comment) ?? text(a.reason);
  return `${parts.join(' ')}${why ? `: ${why}` : ''}`;
}

/** What a completed training run or rollout returned, as short text. */
function resultSummary(result: unknown): string {
  if (!result || typeof result !== 'object') return '';
  const r = result as Record<string, unknown>;
  const version = typeof r.version === 'number' ? ` v${r.version}` : '';
  const reason = text(r.reason) ?? (r.rollout as { reason?: unknown } | undefined)?.reason;
  return `${text(r.outcome) ?? 'completed'}${version}${typeof reason === 'string' ? ` (${reason})` : ''}`;
}

/** How a run started: its trigger and who, or (for the rollout) what it rolls out. */
function startSummary(input: unknown): string {
  if (!input || typeof input !== 'object') return '';
  const i = input as Record<string, unknown>;
  if (typeof i.trigger === 'string')
    return `trigger ${i.trigger} by ${String(i.triggeredBy)}${text(i.reason) ? `: ${String(i.reason)}` : ''}`;
  const strategy = (i.rollout as { strategy?: unknown } | undefined)?.strategy;
  if (typeof i.model === 'string' && typeof i.candidate === 'number')
    return `${i.model} v${i.candidate}${typeof strategy === 'string' ? ` (${strategy})` : ''}`;
  return '';
}

const failureText = (f: temporal.api.failure.v1.IFailure | null | undefined): string =>
  f ? (f.cause?.message ? `${f.message ?? ''}: ${f.cause.message}` : (f.message ?? '')) : '';

/**
 * Maps one workflow's history to timeline entries, oldest first. Pure: `decode` turns payloads into
 * values (the client's payload converter). Workflow tasks, markers and other bookkeeping are left out.
 */
export function timelineOf(
  events: readonly HistoryEvent[],
  decode: (payloads: Payloads) => unknown[],
  workflow: RunEvent['workflow'],
): RunEvent[] {
  const out: RunEvent[] = [];
  const activities = new Map<string, { type: string; attempt: number }>();
  const updates = new Map<string, string>();
  const timers = new Map<string, string>();
  const first = (p: Payloads): unknown => {
    try {
      return decode(p)[0];
    } catch {
      return undefined;
    }
  };
  const push = (e: HistoryEvent, kind: string, detail: string) =>
    out.push({ at: timeOf(e.eventTime), kind, detail, workflow });
  const activity = (id: unknown) => activities.get(String(id)) ?? { type: 'activity', attempt: 1 };

  for (const e of events) {
    if (e.workflowExecutionStartedEventAttributes) {
      const a = e.workflowExecutionStartedEventAttributes;
      push(e, 'started', `${a.workflowType?.name ?? 'workflow'} ${startSummary(first(a.input))}`.trim());
    } else if (e.upsertWorkflowSearchAttributesEventAttributes) {
      const stage =
        e.upsertWorkflowSearchAttributesEventAttributes.searchAttributes?.indexedFields?.[FerryStage.name];
      const value = stage ? first({ payloads: [stage] }) : undefined;
      const name = Array.isArray(value) ? value[0] : value;
      if (typeof name === 'string') push(e, 'stage', name);
    } else if (e.activityTaskScheduledEventAttributes) {
      const type = e.activityTaskScheduledEventAttributes.activityType?.name ?? 'activity';
      activities.set(String(e.eventId), { type, attempt: 1 });
      push(e, 'activity-scheduled', type);
    } else if (e.activityTaskStartedEventAttributes) {
      const a = e.activityTaskStartedEventAttributes;
      const act = activity(a.scheduledEventId);
      act.attempt = a.attempt ?? 1;
      const after = act.attempt > 1 && a.lastFailure ? ` after: ${failureText(a.lastFailure)}` : '';
      push(e, 'activity-started', `${act.type} attempt ${act.attempt}${after}`);
    } else if (e.activityTaskCompletedEventAttributes) {
      const act = activity(e.activityTaskCompletedEventAttributes.scheduledEventId);
      push(e, 'activity-completed', `${act.type} attempt ${act.attempt}`);
    } else if (e.activityTaskFailedEventAttributes) {
      const a = e.activityTaskFailedEventAttributes;
      const act = activity(a.scheduledEventId);
      push(e, 'activity-failed', `${act.type} attempt ${act.attempt}: ${failureText(a.failure)}`);
    } else if (e.activityTaskTimedOutEventAttributes) {
      const a = e.activityTaskTimedOutEventAttributes;
      const act = activity(a.scheduledEventId);
      push(e, 'activity-timed-out', `${act.type} attempt ${act.attempt}: ${failureText(a.failure)}`);
    } else if (e.activityTaskCanceledEventAttributes) {
      push(e, 'activity-canceled', activity(e.activityTaskCanceledEventAttributes.scheduledEventId).type);
    } else if (e.timerStartedEventAttributes) {
      const duration = seconds(e.timerStartedEventAttributes.startToFireTimeout);
      timers.set(e.timerStartedEventAttributes.timerId ?? '', duration);
      push(e, 'timer-started', duration);
    } else if (e.timerFiredEventAttributes) {
      push(e, 'timer-fired', timers.get(e.timerFiredEventAttributes.timerId ?? '') ?? '');
    } else if (e.timerCanceledEventAttributes) {
      push(e, 'timer-canceled', timers.get(e.timerCanceledEventAttributes.timerId ?? '') ?? '');
    } else if (e.workflowExecutionSignaledEventAttributes) {
      const a = e.workflowExecutionSignaledEventAttributes;
      push(e, 'signal', `${a.signalName ?? ''} ${messageSummary(first(a.input))}`.trim());
    } else if (e.workflowExecutionUpdateAcceptedEventAttributes) {
      const input = e.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest?.input;
      const id = e.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest?.meta?.updateId ?? '';
      updates.set(id, input?.name ?? 'update');
      push(e, 'update', `${input?.name ?? ''} ${messageSummary(first(input?.args))}`.trim());
    } else if (e.workflowExecutionUpdateCompletedEventAttributes) {
      const a = e.workflowExecutionUpdateCompletedEventAttributes;
      const name = updates.get(a.meta?.updateId ?? '') ?? 'update';
      const detail = a.outcome?.failure
        ? `${name} failed: ${failureText(a.outcome.failure)}`
        : `${name} ${messageSummary(first(a.outcome?.success))}`.trim();
      push(e, 'update-completed', detail);
    } else if (e.startChildWorkflowExecutionInitiatedEventAttributes) {
      const a = e.startChildWorkflowExecutionInitiatedEventAttributes;
      push(e, 'child-started', `${a.workflowType?.name ?? 'workflow'} ${a.workflowId ?? ''}`.trim());
    } else if (e.childWorkflowExecutionCompletedEventAttributes) {
      const a = e.childWorkflowExecutionCompletedEventAttributes;
      push(e, 'child-completed', resultSummary(first(a.result)));
    } else if (e.childWorkflowExecutionFailedEventAttributes) {
      push(e, 'child-failed', failureText(e.childWorkflowExecutionFailedEventAttributes.failure));
    } else if (e.childWorkflowExecutionCanceledEventAttributes) {
      push(e, 'child-canceled', '');
    } else if (e.childWorkflowExecutionTerminatedEventAttributes) {
      push(e, 'child-terminated', '');
    } else if (e.childWorkflowExecutionTimedOutEventAttributes) {
      push(e, 'child-timed-out', '');
    } else if (e.workflowExecutionCancelRequestedEventAttributes) {
      push(e, 'cancel-requested', text(e.workflowExecutionCancelRequestedEventAttributes.cause) ?? '');
    } else if (e.workflowExecutionCompletedEventAttributes) {
      push(e, 'completed', resultSummary(first(e.workflowExecutionCompletedEventAttributes.result)));
    } else if (e.workflowExecutionFailedEventAttributes) {
      push(e, 'failed', failureText(e.workflowExecutionFailedEventAttributes.failure));
    } else if (e.workflowExecutionCanceledEventAttributes) {
      push(e, 'canceled', '');
    } else if (e.workflowExecutionTerminatedEventAttributes) {
      push(e, 'terminated', text(e.workflowExecutionTerminatedEventAttributes.reason) ?? '');
    } else if (e.workflowExecutionTimedOutEventAttributes) {
      push(e, 'timed-out', '');
    } else if (e.workflowExecutionContinuedAsNewEventAttributes) {
      push(e, 'continued-as-new', '');
    }
  }
  return out;
}

export function createRunEventsService(deps: ApiDeps) {
  const { client } = deps;
  const converter: PayloadConverter = client.options.loadedDataConverter.payloadConverter;
  const decode = (p: Payloads): unknown[] => (p?.payloads ?? []).map((x) => converter.fromPayload(x));

  /** Every event of a workflow's history, page by page; undefined when there is no such workflow. */
  async function history(workflowId: string): Promise<HistoryEvent[] | undefined> {
    const events: HistoryEvent[] = [];
    let nextPageToken: Uint8Array | undefined;
    do {
      let page;
      try {
        page = await client.workflowService.getWorkflowExecutionHistory({
          namespace: deps.namespace,
          execution: { workflowId },
          maximumPageSize: historyPageSize,
          nextPageToken,
        });
      } catch (err) {
        if (isGrpcServiceError(err) && err.code === grpcStatus.NOT_FOUND) return undefined;
        throw err;
      }
      events.push(...(page.history?.events ?? []));
      nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
    } while (nextPageToken);
    return events;
  }

  return {
    /**
     * The run's timeline, oldest first: its own history and, once it started one, its rollout child's,
     * merged by time. Only the newest `limit` entries are answered; `omitted` counts the older ones.
     */
    async list(runId: string, limit: number): Promise<{ events: RunEvent[]; omitted: number }> {
      const events = await history(runId);
      const type = events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name;
      if (!events || type !== 'trainingPipelineWorkflow') throw new RunNotFoundError(runId);
      const timeline = timelineOf(events, decode, 'run');
      const childId = rolloutWorkflowId(runId);
      const startedChild = events.some(
        (e) => e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId === childId,
      );
      const child = startedChild ? await history(childId) : undefined;
      // Stable: entries with the same time keep their history order, the run's before its child's.
      const merged = child
        ? [...timeline, ...timelineOf(child, decode, 'rollout')].sort((a, b) => a.at.localeCompare(b.at))
        : timeline;
      const omitted = Math.max(0, merged.length - limit);
      return { events: merged.slice(omitted), omitted };
    },
  };
}

export type RunEventsService = ReturnType<typeof createRunEventsService>;
