// Ferry's one error vocabulary: failure types shared by activities, workflows and the API, and the
// base class of every domain error. Pure module (no I/O) so workflows may import it.

/** Failure `type`s carried by ApplicationFailure; retry policies and the API match on these. */
export const FailureType = {
  /** Input that will never become valid by retrying (bad spec, bad dataset reference). */
  InvalidInput: 'FerryInvalidInput',
  /** The dataset failed one or more hard validation checks. */
  ValidationFailed: 'FerryValidationFailed',
  /** A referenced object, dataset, model or version does not exist. */
  NotFound: 'FerryNotFound',
  /** A state conflict: already decided, wrong stage, version taken. */
  Conflict: 'FerryConflict',
  /** The candidate failed evaluation thresholds. */
  EvaluationFailed: 'FerryEvaluationFailed',
  /** An activity kept failing until its retry policy gave up; the message names it and its last error. */
  RetriesExhausted: 'FerryRetriesExhausted',
  /** A webhook target that the policy refuses, or a receiver that refused or redirected. */
  WebhookRefused: 'FerryWebhookRefused',
  /** A webhook URL (or the address it resolves to) that is not an allowed target, found before sending. */
  WebhookTargetRefused: 'FerryWebhookTargetRefused',
  /** A caller without an approver's role set or changed privileged spec fields. */
  PrivilegedField: 'FerryPrivilegedField',
  /** The four-eyes rule: who triggered a run or changed its privileged settings may not also decide it. */
  FourEyes: 'FerryFourEyes',
  /** The caller presented no valid credentials. */
  Unauthenticated: 'FerryUnauthenticated',
  /** The caller is known but may not do this. */
  Forbidden: 'FerryForbidden',
  /** Too many requests or queries at once; retry later. */
  RateLimited: 'FerryRateLimited',
  /** A request body or upload over its size limit. */
  TooLarge: 'FerryTooLarge',
  /** A request body in a media type this route does not take. */
  UnsupportedMediaType: 'FerryUnsupportedMediaType',
  /** Work that ran past its time limit and was stopped. */
  Timeout: 'FerryTimeout',
  /** A dependency (object storage, Temporal, a model's artifacts) cannot be used right now; a retry may succeed. */
  Unavailable: 'FerryUnavailable',
  /** A conditional write lost a race (the object exists or changed): re-read and try again. */
  Contended: 'FerryContended',
  /** This attempt lost its claim to the work to a newer attempt and must stop. */
  Superseded: 'FerrySuperseded',
  /** A fault of Ferry itself or of its set-up (configuration, wiring, tooling), not of the caller. */
  Internal: 'FerryInternal',
} as const;
export type FailureType = (typeof FailureType)[keyof typeof FailureType];

/** Failure types that no retry can fix: the retry policies' `nonRetryableErrorTypes` (recorded in history, keep stable). */
export const nonRetryableFailureTypes: readonly FailureType[] = [
  FailureType.InvalidInput,
  FailureType.ValidationFailed,
  FailureType.NotFound,
  FailureType.EvaluationFailed,
  FailureType.WebhookRefused,
];

/**
 * Whether an activity that throws a FerryError of this type fails at once (true) or is retried by its
 * retry policy (false). Conflicts are permanent for the activity that met them (a rejected version, a lost
 * revision); the workflow decides what to do next.
 */
export const failsWithoutRetry: Readonly<Record<FailureType, boolean>> = {
  [FailureType.InvalidInput]: true,
  [FailureType.ValidationFailed]: true,
  [FailureType.NotFound]: true,
  [FailureType.Conflict]: true,
  [FailureType.EvaluationFailed]: true,
  [FailureType.RetriesExhausted]: true,
  [FailureType.WebhookRefused]: true,
  [FailureType.WebhookTargetRefused]: true,
  [FailureType.PrivilegedField]: true,
  [FailureType.FourEyes]: true,
  [FailureType.Unauthenticated]: true,
  [FailureType.Forbidden]: true,
  [FailureType.RateLimited]: false,
  [FailureType.TooLarge]: true,
  [FailureType.UnsupportedMediaType]: true,
  [FailureType.Timeout]: false,
  [FailureType.Unavailable]: false,
  [FailureType.Contended]: false,
  [FailureType.Superseded]: false,
  [FailureType.Internal]: false,
};

/** One broken rule, named by where it broke (`rows[3].age`, `body.sql`). */
export interface FieldError {
  field: string;
  rule: string;
}

/**
 * Base of every Ferry domain error. `type` is stable and what callers, retry policies and the API's
 * problem table match on; `code` optionally narrows it to a stable problem code (`model-not-found`);
 * `fieldErrors` names the input fields at fault. Subclasses add readonly context fields.
 */
export abstract class FerryError extends Error {
  /** The concrete class's name, as an own property like a class field would make it. */
  override readonly name: string = this.constructor.name;
  abstract readonly type: FailureType;
  /** A stable, more specific problem code than the type's; undefined means the type's own. */
  declare readonly code?: string;
  /** The input fields at fault and the rule each broke, when the error is about named fields. */
  declare readonly fieldErrors?: readonly FieldError[];

  constructor(message?: string, options?: ErrorOptions & { fieldErrors?: readonly FieldError[] }) {
    super(message, options);
    if (options?.fieldErrors !== undefined) this.fieldErrors = options.fieldErrors;
  }
}

/** The base of a FerryError class of one `type`. */
export const typedError = <T extends FailureType>(type: T) =>
  class extends FerryError {
    readonly type = type;
  };

/** The base of a FerryError class of one `type` and problem `code`. */
export const codedError = <T extends FailureType, C extends string>(type: T, code: C) =>
  class extends typedError(type) {
    override readonly code = code;
  };

/** The first line of an error's message (or of its text when it is not an Error). */
export function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
}

/** True for a FerryError of the given type (or of any type when none is given). */
export function isFerryError(err: unknown, type?: FailureType): err is FerryError {
  return err instanceof FerryError && (type === undefined || err.type === type);
}
