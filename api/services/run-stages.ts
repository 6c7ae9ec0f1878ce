// A run's stage timeline (validate → train → … → done) with each stage's start, end and duration,
// derived from the run's timeline (its Temporal history), so it is never a second copy to keep true.
import type { RunEvent } from './run-events.js';

/** One stage of a run: when it began, when the next one (or the run's end) began, how long it took. */
export interface StageSpan {
  stage: string;
  startedAt: string;
  /** null while the stage is current. */
  endedAt: string | null;
  ms: number | null;
}

/** Kinds of timeline entry that end the run itself. */
const endings = new Set(['completed', 'failed', 'canceled', 'terminated', 'timed-out', 'continued-as-new']);

/** The run workflow's stages in order; the last one ends with the run (or is still current). */
export function stageSpansOf(events: readonly RunEvent[]): StageSpan[] {
  const own = events.filter((e) => e.workflow === 'run');
  const end = own.find((e) => endings.has(e.kind))?.at ?? null;
  const stages = own.filter((e) => e.kind === 'stage');
  return stages.map((e, i) => {
    const endedAt = stages[i + 1]?.at ?? end;
    return {
      stage: e.detail,
      startedAt: e.at,
      endedAt,
      ms: endedAt === null ? null : Date.parse(endedAt) - Date.parse(e.at),
    };
  });
}

/** A timer's duration as the timeline writes it ("600s", "2h", "1d"), in ms. */
const durationMs = (text: string): number | undefined => {
  const m = /^(\d+)(s|h|d)$/.exec(text);
  return m ? Number(m[1]) * { s: 1000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'h' | 'd'] : undefined;
};

/**
 * The rollout's bake in progress: its timer that has neither fired nor been cancelled (a pause cancels
 * it, a resume starts one for what is left). Undefined when none runs (paused, between steps, done).
 */
export function pendingBakeOf(
  events: readonly RunEvent[],
): { startedAt: string; endsAt: string } | undefined {
  const timers = events.filter((e) => e.workflow === 'rollout' && e.kind.startsWith('timer-'));
  const last = timers.at(-1);
  const ms = last?.kind === 'timer-started' ? durationMs(last.detail) : undefined;
  if (!last || ms === undefined) return undefined;
  return { startedAt: last.at, endsAt: new Date(Date.parse(last.at) + ms).toISOString() };
}
