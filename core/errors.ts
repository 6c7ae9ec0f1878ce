// Ferry's one error vocabulary: failure types shared by activities, workflows and the API.
// Pure module (no I/O) so workflows may import it.

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
} as const;
export type FailureType = (typeof FailureType)[keyof typeof FailureType];

/** Failure types that no retry can fix. */
export const nonRetryableFailureTypes: readonly FailureType[] = [
  FailureType.InvalidInput,
  FailureType.ValidationFailed,
  FailureType.NotFound,
  FailureType.EvaluationFailed,
  FailureType.WebhookRefused,
];
