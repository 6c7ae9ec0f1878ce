// Every workflow and schedule id Ferry makes, each from its one builder, so no caller joins an id by
// hand. Ids say what a run is in the Temporal UI; code that needs to know a run's pipeline reads its
// FerryPipeline search attribute instead (pipeline names may hold dashes, so an id cannot be split).

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

/** Workflow id of a run's rollout child. */
export const rolloutWorkflowId = (runId: string): string => `rollout-${runId}`;

/** Workflow id of the monitor Schedule's action (Temporal appends the scheduled time). */
export const monitorWorkflowId = (pipeline: string): string => `monitor-${pipeline}`;

/** Schedule id of a pipeline's retraining schedule. */
export const trainingScheduleId = (pipeline: string): string => `ferry-train-${pipeline}`;

/** Schedule id of a pipeline's drift monitor. */
export const monitorScheduleId = (pipeline: string): string => `ferry-monitor-${pipeline}`;
