// Every workflow and schedule id Ferry makes, each with its builder and its parser, so no caller
// joins or splits an id by hand. Ids say what a run is in the Temporal UI; code that needs to know a
// run's pipeline reads its FerryPipeline search attribute instead (pipeline names may hold dashes).

/** What started a training run, as its id tells it. */
export type TrainingRunIdKind = 'timestamped' | 'request' | 'scheduled' | 'drift';

const trainingPrefix = 'train-';

/** Builders of training-run ids: `train-<pipeline>-<what started it>`. */
export const trainingRunId = {
  /** A one-off start: `train-<pipeline>-<UTC yyyymmddThhmmssZ>-<random>`. */
  timestamped: (pipeline: string, at: Date, random: string): string =>
    `${trainingPrefix}${pipeline}-${at
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z')}-${random}`,
  /** An idempotent start: the same request key gives the same id (`train-<pipeline>-req-<hash>`). */
  request: (pipeline: string, keyHash: string): string => `${trainingPrefix}${pipeline}-req-${keyHash}`,
  /** A Schedule's action; Temporal appends `-<scheduled time, RFC 3339>` to each run's id. */
  scheduled: (pipeline: string): string => `${trainingPrefix}${pipeline}-scheduled`,
  /** The drift monitor's retraining run: one fixed id, so at most one runs at a time per pipeline. */
  drift: (pipeline: string): string => `${trainingPrefix}${pipeline}-drift`,
} as const;

const trainingRunIdPattern =
  /^train-([a-z0-9][a-z0-9_-]*?)-(?:(\d{8}T\d{6}Z)|(req)|(scheduled)|(drift))(?:-|$)/;

/**
 * The pipeline and kind of a training-run id this module built, or undefined. The pipeline is the
 * shortest name that fits, so for display only: FerryPipeline is the authority.
 */
export function parseTrainingRunId(id: string): { pipeline: string; kind: TrainingRunIdKind } | undefined {
  const m = trainingRunIdPattern.exec(id);
  if (!m) return undefined;
  const kind: TrainingRunIdKind = m[2] ? 'timestamped' : m[3] ? 'request' : m[4] ? 'scheduled' : 'drift';
  return { pipeline: m[1]!, kind };
}

/** Workflow id of a run's rollout child. */
export const rolloutWorkflowId = (runId: string): string => `rollout-${runId}`;

/** The training run whose rollout child this id is, or undefined. */
export const parseRolloutWorkflowId = (id: string): { runId: string } | undefined =>
  id.startsWith('rollout-') && id.length > 'rollout-'.length
    ? { runId: id.slice('rollout-'.length) }
    : undefined;

/** Workflow id of the monitor Schedule's action (Temporal appends the scheduled time). */
export const monitorWorkflowId = (pipeline: string): string => `monitor-${pipeline}`;

/** Schedule id of a pipeline's retraining schedule. */
export const trainingScheduleId = (pipeline: string): string => `ferry-train-${pipeline}`;

/** Schedule id of a pipeline's drift monitor. */
export const monitorScheduleId = (pipeline: string): string => `ferry-monitor-${pipeline}`;

/** Which pipeline's schedule this id is, and which kind, or undefined. */
export function parseScheduleId(id: string): { pipeline: string; kind: 'train' | 'monitor' } | undefined {
  const m = /^ferry-(train|monitor)-(.+)$/.exec(id);
  return m ? { kind: m[1] as 'train' | 'monitor', pipeline: m[2]! } : undefined;
}
