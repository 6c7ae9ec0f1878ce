// Nightly retraining as Temporal Schedules, one per pipeline (`ferry-train-<pipeline>`): created or
// updated from the spec at start-up and when a spec changes, and driven by operators through the API.
//
// The rule between spec and API: whenever a pipeline's spec changes, its `schedule` wins (timing and
// `enabled`); between spec changes, what operators set through the API (PUT, pause, unpause) stays,
// so a restart never silently unpauses a schedule someone paused.
import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type ScheduleDescription,
  type ScheduleOptionsStartWorkflowAction,
  type ScheduleUpdateOptions,
  type Workflow,
} from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import type { Identity } from '../../core/auth/tokens.js';
import {
  FerryPipeline,
  RunTrigger,
  trainingScheduleId,
  type TrainingPipelineInput,
} from '../../core/contracts/index.js';
import type { PipelineRecord } from '../../core/pipelines/spec-store.js';
import { trainingRunStartOptions } from '../../core/runs/start-run.js';
import type { ApiDeps } from '../deps.js';
import { HttpProblem } from '../problem.js';
import type { ScheduleRequest, ScheduleView } from '../schedule-schemas.js';
import { checkBackfillRange } from './backfill-range.js';
import {
  InvalidBackfillError,
  NoScheduleInSpecError,
  ScheduleMissingError,
  ScheduleRunInProgressError,
} from './errors.js';

/**
 * SKIP: a nightly run still going (or still waiting for a manual approval) means the next one is
 * dropped, not queued. Two runs of one pipeline would train on the same latest snapshot and race to
 * register and promote candidates; piling up candidates behind an undecided approval helps no one.
 * Manual triggers use it too (the SDK's `trigger()` default would be ALLOW_ALL).
 */
export const scheduleOverlap = ScheduleOverlapPolicy.SKIP;

/**
 * One hour: when Temporal was down at 02:00 and is back by 03:00, the night's run still happens;
 * after a longer outage (the server's default window is a year) the missed run is dropped rather
 * than retraining at an arbitrary time of day, possibly during working hours, and the next night
 * catches up anyway since every run takes the dataset's latest snapshot.
 */
export const scheduleCatchupWindow = '1 hour';

/**
 * Overlap policies a backfill may ask for: those that never run two of the pipeline's runs at once nor
 * cancel or terminate a run in progress.
 */
export const backfillOverlaps = [
  ScheduleOverlapPolicy.SKIP,
  ScheduleOverlapPolicy.BUFFER_ONE,
  ScheduleOverlapPolicy.BUFFER_ALL,
] as const;
export type BackfillOverlap = (typeof backfillOverlaps)[number];

/** What syncing one pipeline did: `refreshed` = only the spec its runs use changed. */
export type SyncOutcome = 'created' | 'updated' | 'refreshed' | 'unchanged' | 'no-schedule' | 'failed';

export interface SyncResult {
  pipeline: string;
  scheduleId: string;
  outcome: SyncOutcome;
  error?: string;
}

interface Timing {
  cron: string;
  timezone: string;
  paused: boolean;
  note: string;
}

/** Whether the IANA time zone database (Node's ICU copy, as the server's Go copy) knows `zone`. */
function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Where a timing value came from, to name it in a 400 answer. */
type Fields = Pick<Timing, 'cron' | 'timezone'>;

const inputOf = (d: ScheduleDescription): Partial<TrainingPipelineInput> | undefined =>
  d.action.args?.[0] as Partial<TrainingPipelineInput> | undefined;

export function createSchedulesService(deps: ApiDeps) {
  const { client } = deps;
  const handleOf = (pipeline: string) => client.schedule.getHandle(trainingScheduleId(pipeline));
  const notFound = (pipeline: string) => new ScheduleMissingError(pipeline, trainingScheduleId(pipeline));

  // A missing pipeline is a PipelineNotFoundError: 404 pipeline-not-found through the problem table.
  const record = (pipeline: string): Promise<PipelineRecord> => deps.pipelines.get(pipeline);

  const describeOrUndefined = (pipeline: string): Promise<ScheduleDescription | undefined> =>
    handleOf(pipeline)
      .describe()
      .catch((err: unknown) => {
        if (err instanceof ScheduleNotFoundError) return undefined;
        throw err;
      });

  async function describe(pipeline: string): Promise<ScheduleDescription> {
    const d = await describeOrUndefined(pipeline);
    if (!d) throw notFound(pipeline);
    return d;
  }

  function view(pipeline: string, d: ScheduleDescription): ScheduleView {
    const scheduleId = trainingScheduleId(pipeline);
    return {
      scheduleId,
      pipeline,
      cron: d.spec.calendars?.[0]?.comment ?? null,
      timezone: d.spec.timezone || 'UTC',
      paused: d.state.paused,
      note: d.state.note ?? null,
      nextRuns: d.state.paused ? [] : d.info.nextActionTimes.slice(0, 5).map((t) => t.toISOString()),
      recentRuns: d.info.recentActions
        .map((a) => ({
          runId: a.action.workflow.workflowId,
          scheduledAt: a.scheduledAt.toISOString(),
          startedAt: a.takenAt.toISOString(),
        }))
        .reverse(),
      // describe() reports the server's default (SKIP) for an unset policy; the type still allows undefined.
      overlap: d.policies.overlap ?? ScheduleOverlapPolicy.SKIP,
      catchupWindowMs: d.policies.catchupWindow,
      specHash: inputOf(d)?.specHash ?? null,
      links: {
        self: `/v1/pipelines/${pipeline}/schedule`,
        temporalUi: `${deps.temporalUiUrl}/namespaces/${deps.namespace}/schedules/${encodeURIComponent(scheduleId)}`,
      },
    };
  }

  /** The start a scheduled run gets: the same input and options as a manual run, minus a pinned snapshot. */
  function action(r: PipelineRecord): ScheduleOptionsStartWorkflowAction<Workflow> {
    const input: TrainingPipelineInput = {
      spec: r.spec,
      specHash: r.specHash,
      trigger: RunTrigger.Schedule,
      triggeredBy: `schedule:${trainingScheduleId(r.name)}`,
      ...(r.privilegedBy ? { privilegedChangedBy: r.privilegedBy } : {}),
    };
    return {
      type: 'startWorkflow',
      workflowType: 'trainingPipelineWorkflow',
      ...trainingRunStartOptions({
        taskQueue: deps.taskQueue,
        trainTaskQueue: deps.trainTaskQueue,
        input,
        id: { kind: 'scheduled' },
      }),
    };
  }

  function options(
    r: PipelineRecord,
    t: Timing,
  ): ScheduleUpdateOptions<ScheduleOptionsStartWorkflowAction<Workflow>> {
    return {
      // The server compiles cron strings into calendars; the comment is how describe() gives the expression back.
      spec: { cronExpressions: [`${t.cron} # ${t.cron}`], timezone: t.timezone },
      action: action(r),
      policies: { overlap: scheduleOverlap, catchupWindow: scheduleCatchupWindow },
      state: { paused: t.paused, note: t.note },
    };
  }

  /** Creates the schedule or replaces it; an invalid cron or time zone is a 400 naming its source. */
  async function upsert(r: PipelineRecord, t: Timing, fields: Fields): Promise<'created' | 'updated'> {
    const o = options(r, t);
    const handle = handleOf(r.name);
    try {
      try {
        await handle.update(() => o);
        return 'updated';
      } catch (err) {
        if (!(err instanceof ScheduleNotFoundError)) throw err;
      }
      try {
        await client.schedule.create({ scheduleId: trainingScheduleId(r.name), ...o });
        return 'created';
      } catch (err) {
        // Another API process created it between our update and create.
        if (!(err instanceof ScheduleAlreadyRunning)) throw err;
        await handle.update(() => o);
        return 'updated';
      }
    } catch (err) {
      // The SDK turns the server's "Invalid schedule spec: …" into a TypeError carrying the reason; the field
      // at fault is the time zone when the zone database does not know it, else the cron expression.
      if (err instanceof TypeError) {
        const field = isKnownTimeZone(t.timezone) ? fields.cron : fields.timezone;
        throw new HttpProblem(400, 'invalid-schedule', `${field}: ${err.message}`, [
          { field, rule: err.message },
        ]);
      }
      throw err;
    }
  }

  /** Brings the schedule in line with the pipeline's current spec (see the rule at the top). */
  async function reconcile(r: PipelineRecord, fieldPrefix: string): Promise<SyncOutcome> {
    const current = await describeOrUndefined(r.name);
    const upToDate =
      current !== undefined &&
      inputOf(current)?.specHash === r.specHash &&
      current.action.taskQueue === deps.taskQueue &&
      // Schedules made before split pools (or with another training queue) start runs on the current one.
      inputOf(current)?.trainTaskQueue === deps.trainTaskQueue &&
      // Schedules made before runs carried FerryPipeline are brought up to date once.
      current.action.typedSearchAttributes instanceof TypedSearchAttributes &&
      current.action.typedSearchAttributes.get(FerryPipeline) === r.name;
    const s = r.spec.schedule;
    if (s) {
      if (upToDate) return 'unchanged';
      const note = `from spec ${r.specHash.slice(0, 12)}${s.enabled ? '' : ' (enabled: false)'}`;
      return upsert(
        r,
        { cron: s.cron, timezone: s.timezone, paused: !s.enabled, note },
        { cron: `${fieldPrefix}schedule.cron`, timezone: `${fieldPrefix}schedule.timezone` },
      );
    }
    // No schedule in the spec: never create one, never delete one made through the API, but keep
    // its runs on the current spec.
    if (!current) return 'no-schedule';
    if (upToDate) return 'unchanged';
    await handleOf(r.name).update((prev) => ({
      spec: prev.spec,
      action: action(r),
      policies: { overlap: prev.policies.overlap, catchupWindow: prev.policies.catchupWindow },
      state: { paused: prev.state.paused, note: prev.state.note },
    }));
    return 'refreshed';
  }

  /** Pauses or unpauses the schedule; its note names the caller (and their note). */
  async function setPaused(pipeline: string, action: 'pause' | 'unpause', who: Identity, note?: string) {
    await record(pipeline);
    await describe(pipeline);
    await handleOf(pipeline)[action](`${action}d by ${who.name}${note ? `: ${note}` : ''}`);
    return view(pipeline, await describe(pipeline));
  }

  const failed = (pipeline: string) => (err: Error) => ({
    pipeline,
    scheduleId: trainingScheduleId(pipeline),
    outcome: 'failed' as const,
    error: err.message,
  });

  /** Start-up's sync of one registered pipeline; a failure is reported in the result, not thrown. */
  const sync = (r: PipelineRecord): Promise<SyncResult> =>
    reconcile(r, 'spec.').then(
      (outcome) => ({ pipeline: r.name, scheduleId: trainingScheduleId(r.name), outcome }),
      failed(r.name),
    );

  return {
    async get(pipeline: string): Promise<ScheduleView> {
      await record(pipeline);
      return view(pipeline, await describe(pipeline));
    },

    /** Sets the schedule from the spec's, overridden by the body; `created` tells 201 from 200. */
    async put(
      pipeline: string,
      body: ScheduleRequest,
      who: Identity,
    ): Promise<{ created: boolean; schedule: ScheduleView }> {
      const r = await record(pipeline);
      const fromSpec = r.spec.schedule;
      const cron = body.cron ?? fromSpec?.cron;
      if (cron === undefined) throw new NoScheduleInSpecError(pipeline);
      const timing: Timing = {
        cron,
        timezone: body.timezone ?? fromSpec?.timezone ?? 'UTC',
        paused: body.paused ?? !(fromSpec?.enabled ?? true),
        note: `set by ${who.name}`,
      };
      const outcome = await upsert(r, timing, {
        cron: body.cron !== undefined ? 'body.cron' : 'spec.schedule.cron',
        timezone: body.timezone !== undefined || !fromSpec ? 'body.timezone' : 'spec.schedule.timezone',
      });
      return { created: outcome === 'created', schedule: view(pipeline, await describe(pipeline)) };
    },

    /** Deletes the Temporal schedule; a spec with `schedule` brings it back at the next start-up. */
    async remove(pipeline: string): Promise<void> {
      await record(pipeline);
      try {
        await handleOf(pipeline).delete();
      } catch (err) {
        if (err instanceof ScheduleNotFoundError) throw notFound(pipeline);
        throw err;
      }
    },

    pause: (pipeline: string, who: Identity, note?: string) => setPaused(pipeline, 'pause', who, note),
    unpause: (pipeline: string, who: Identity, note?: string) => setPaused(pipeline, 'unpause', who, note),

    /**
     * Starts the scheduled action now, with overlap SKIP. A run of the schedule still going is a 409
     * (SKIP would drop the trigger silently). `runId` is null when the run is not visible within 5 s.
     */
    async trigger(pipeline: string): Promise<{ scheduleId: string; runId: string | null; overlap: string }> {
      await record(pipeline);
      const before = await describe(pipeline);
      const running = before.info.runningActions[0];
      if (running)
        throw new ScheduleRunInProgressError(trainingScheduleId(pipeline), running.workflow.workflowId);
      await handleOf(pipeline).trigger(scheduleOverlap);
      let runId: string | null = null;
      const deadline = Date.now() + 5000;
      while (runId === null && Date.now() < deadline) {
        const d = await describe(pipeline);
        if (d.info.numActionsTaken > before.info.numActionsTaken)
          runId = d.info.recentActions.at(-1)?.action.workflow.workflowId ?? null;
        else await new Promise((r) => setTimeout(r, 100));
      }
      return { scheduleId: trainingScheduleId(pipeline), runId, overlap: scheduleOverlap };
    },

    /**
     * Runs the schedule's actions for the times it would have started in [from, to] (e.g. nights missed in
     * an outage longer than the catch-up window). Overlap defaults to the schedule's SKIP: while one
     * backfilled run goes, the others are dropped (each run takes the latest snapshot anyway); BUFFER_ALL
     * runs them one after another.
     */
    async backfill(
      pipeline: string,
      req: { from: string; to: string; overlap?: BackfillOverlap },
    ): Promise<{ scheduleId: string; from: string; to: string; overlap: BackfillOverlap }> {
      const range = checkBackfillRange(req.from, req.to, deps.now());
      if (!range.ok) throw new InvalidBackfillError(range.errors);
      await record(pipeline);
      await describe(pipeline);
      const overlap = req.overlap ?? scheduleOverlap;
      try {
        await handleOf(pipeline).backfill({ start: range.start, end: range.end, overlap });
      } catch (err) {
        if (err instanceof ScheduleNotFoundError) throw notFound(pipeline);
        throw err;
      }
      return {
        scheduleId: trainingScheduleId(pipeline),
        from: range.start.toISOString(),
        to: range.end.toISOString(),
        overlap,
      };
    },

    /**
     * Start-up: creates or updates the schedule of each named pipeline whose spec has `schedule`.
     * Idempotent; one pipeline's failure is reported in its result and does not stop the others.
     */
    async syncFromSpecs(pipelines: readonly string[]): Promise<SyncResult[]> {
      const results: SyncResult[] = [];
      for (const pipeline of pipelines)
        results.push(await deps.pipelines.get(pipeline).then(sync, failed(pipeline)));
      return results;
    },

    sync,

    /** After PUT /v1/pipelines/{pipeline}: keeps the schedule on the new spec (a no-op when unchanged). */
    async onPipelineChanged(r: PipelineRecord): Promise<SyncOutcome> {
      try {
        return await reconcile(r, 'body.');
      } catch (err) {
        if (err instanceof HttpProblem && err.status === 400)
          throw new HttpProblem(
            400,
            err.code,
            `pipeline "${r.name}" was registered (spec ${r.specHash.slice(0, 12)}), but its schedule was not updated: ${err.message}`,
            err.errors,
          );
        throw err;
      }
    },
  };
}

export type SchedulesService = ReturnType<typeof createSchedulesService>;
