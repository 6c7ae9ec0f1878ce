// Refusals of the API services (runs, models, schedules, datasets, metrics), as domain errors: the problem
// table answers them (status and code by type, narrowed by `code`), so services run and test without HTTP.
import { codedError as refusal, FailureType, FerryError, type FieldError } from '../../core/errors.js';

const { Conflict, InvalidInput, NotFound, PrivilegedField } = FailureType;

/** Thrown when no training run has that id (or the id names another kind of workflow). */
export class RunNotFoundError extends refusal(NotFound, 'run-not-found') {
  constructor(readonly runId: string) {
    super(`run "${runId}" not found`);
  }
}

/** Thrown when an approval or rejection reaches a run that is not waiting for one; `reason` says why. */
export class RunNotWaitingError extends refusal(Conflict, 'run-not-waiting') {
  constructor(
    readonly runId: string,
    reason: string,
  ) {
    super(reason);
  }
}

/** Thrown when the four-eyes rule refuses a decision: its caller triggered the run or changed its privileged settings. */
export class FourEyesError extends refusal(FailureType.FourEyes, 'four-eyes') {
  constructor(
    readonly runId: string,
    readonly who: string,
    reason: string,
  ) {
    super(reason);
  }
}

/** Thrown when a rollout control reaches a run whose rollout is not running; `reason` says what it is instead. */
export class RolloutNotRunningError extends refusal(Conflict, 'rollout-not-running') {
  constructor(
    readonly runId: string,
    reason: string,
  ) {
    super(reason);
  }
}

/** Thrown when a run that has already closed is asked to cancel. */
export class RunNotRunningError extends refusal(Conflict, 'run-not-running') {
  constructor(
    readonly runId: string,
    readonly status: string,
  ) {
    super(`run "${runId}" is ${status} and cannot be cancelled`);
  }
}

/** Thrown when a list cursor is not one this API handed out. */
export class InvalidCursorError extends refusal(InvalidInput, 'invalid-cursor') {
  constructor() {
    super('cursor: not a cursor returned by this API', {
      fieldErrors: [{ field: 'querystring.cursor', rule: "must be a previous page's nextCursor, unchanged" }],
    });
  }
}

/** Thrown when a run's overrides make the pipeline spec invalid; `fieldErrors` names each overridden field. */
export class InvalidOverridesError extends refusal(InvalidInput, 'invalid-overrides') {
  constructor(message: string, fieldErrors: readonly FieldError[]) {
    super(message, { fieldErrors });
  }
}

/** Thrown when a caller below approver asks a run to be less strict than its spec's approval gate. */
export class ApprovalRelaxRefusedError extends refusal(PrivilegedField, 'privileged-field') {
  constructor(
    readonly role: string,
    fieldErrors: readonly FieldError[],
  ) {
    super(
      `role "${role}" may not relax the approval gate (${fieldErrors.map((e) => e.field).join(', ')}): it needs role "approver" or "admin"`,
      { fieldErrors },
    );
  }
}

/** Thrown when a rollback names a version that was rejected, or serving or the registry refuses it as champion. */
export class VersionRejectedError extends refusal(Conflict, 'version-rejected') {
  constructor(
    readonly model: string,
    readonly version: number,
    reason: string,
  ) {
    super(reason);
  }
}

/** Thrown when a rollback names the version that is already champion and already takes all traffic. */
export class AlreadyChampionError extends refusal(Conflict, 'already-champion') {
  constructor(
    readonly model: string,
    readonly version: number,
  ) {
    super(`version ${version} is already the champion of "${model}" and takes all traffic`);
  }
}

/** Thrown when a pipeline has no Temporal schedule. */
export class ScheduleMissingError extends refusal(NotFound, 'schedule-not-found') {
  constructor(
    readonly pipeline: string,
    readonly scheduleId: string,
  ) {
    super(`pipeline "${pipeline}" has no schedule (${scheduleId})`);
  }
}

/** Thrown when a schedule is asked for without a cron expression and the pipeline's spec has none either. */
export class NoScheduleInSpecError extends refusal(Conflict, 'no-schedule-in-spec') {
  constructor(readonly pipeline: string) {
    super(`pipeline "${pipeline}" has no schedule in its spec: send "cron" or add "schedule" to the spec`, {
      fieldErrors: [{ field: 'body.cron', rule: `required: the spec of "${pipeline}" has no schedule` }],
    });
  }
}

/** Thrown when a schedule is triggered while its last run is still in progress (its overlap policy skips). */
export class ScheduleRunInProgressError extends refusal(Conflict, 'run-in-progress') {
  constructor(
    readonly scheduleId: string,
    readonly runId: string,
  ) {
    super(`schedule ${scheduleId} already has a run in progress (${runId}); its overlap policy is SKIP`);
  }
}

/** Thrown when a pipeline spec sent to the API is invalid; `fieldErrors` names each field of the body and its rule. */
export class InvalidSpecError extends refusal(InvalidInput, 'invalid-spec') {
  constructor(message: string, fieldErrors: readonly FieldError[]) {
    super(message, { fieldErrors });
  }
}

/**
 * Thrown when a caller below approver sets or changes privileged spec fields; `audit` holds those fields
 * before and after (webhook URLs only as set or not) for the refusal's audit event.
 */
export class PrivilegedChangeRefusedError extends refusal(PrivilegedField, 'privileged-field') {
  constructor(
    message: string,
    fieldErrors: readonly FieldError[],
    readonly audit: { before: Record<string, unknown>; after: Record<string, unknown> },
  ) {
    super(message, { fieldErrors });
  }
}

/** Thrown when a model's metric is asked for without naming one and the model has no recorded primary metric. */
export class MetricRequiredError extends refusal(InvalidInput, 'metric-required') {
  constructor(readonly model: string) {
    super(`model "${model}" has no recorded primary metric: name one with ?metric=`, {
      fieldErrors: [{ field: 'querystring.metric', rule: 'is required for this model' }],
    });
  }
}

/**
 * Thrown when an admin's SQL query is refused, fails or runs out of time; keeps the cause's type, code
 * and words, and names the request's `sql` field with `rule`.
 */
export class InvalidQueryError extends FerryError {
  readonly type: FailureType;
  override readonly code: string;
  constructor(cause: FerryError & { code: string }, rule: string) {
    super(cause.message, { cause, fieldErrors: [{ field: 'body.sql', rule }] });
    this.type = cause.type;
    this.code = cause.code;
  }
}

/** Thrown when an upload is (or announces itself as) larger than the limit. */
export class UploadTooLargeError extends refusal(FailureType.TooLarge, 'upload-too-large') {
  constructor(readonly limitBytes: number) {
    super(`the upload is larger than the limit of ${limitBytes} bytes`);
  }
}

/** Thrown when an upload's body ends early or breaks off; `reason` says how. */
export class UploadIncompleteError extends refusal(InvalidInput, 'upload-incomplete') {
  constructor(reason: string) {
    super(`the upload did not arrive whole: ${reason}`);
  }
}

/** Thrown when an uploaded file is not usable as its declared format; says the rule, never the scratch path. */
export class UnusableUploadError extends refusal(InvalidInput, 'unsupported-dataset-file') {
  constructor(
    readonly format: 'csv' | 'parquet',
    readonly rule: string,
  ) {
    super(`the upload is not a usable ${format === 'csv' ? 'CSV' : 'Parquet'} file: ${rule}`, {
      fieldErrors: [{ field: 'body', rule }],
    });
  }
}

/** Thrown when an upload names a dataset that breaks the naming rule; names the path's `name` field. */
export class UploadDatasetNameError extends refusal(InvalidInput, 'invalid-dataset-name') {
  constructor(cause: { message: string; rule: string }) {
    super(cause.message, { cause, fieldErrors: [{ field: 'params.name', rule: cause.rule }] });
  }
}

/** Thrown when a dataset asked for by name has no snapshots. */
export class UnknownDatasetError extends refusal(NotFound, 'dataset-not-found') {
  constructor(readonly dataset: string) {
    super(`dataset "${dataset}" not found`);
  }
}

/** Thrown when a schedule backfill's time range breaks a rule; `fieldErrors` names each field and rule. */
export class InvalidBackfillError extends FerryError {
  override readonly name = 'InvalidBackfillError';
  readonly type = FailureType.InvalidInput;
  override readonly code = 'invalid-backfill';
  constructor(fieldErrors: readonly FieldError[]) {
    super(fieldErrors.map((e) => `${e.field}: ${e.rule}`).join('; '), { fieldErrors });
  }
}

/** Thrown when a run exists but has not been evaluated (yet, or ever: it stopped before evaluation). */
export class RunNotEvaluatedError extends refusal(NotFound, 'run-not-evaluated') {
  constructor(readonly runId: string) {
    super(`run "${runId}" has no evaluation report (it has not reached or passed the evaluate stage)`);
  }
}
