// How a failed activity becomes the run's failure. Deterministic (workflow code), kept apart so it is
// tested without a server.
import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/workflow';
import { FailureType } from '../core/contracts/index.js';

/**
 * The run's failure for an activity that failed: a non-retryable application failure as it is;
 * retries used up (or timed out) as a failure that names the activity, how often it was tried and
 * its last error. Undefined for anything else.
 */
export function failureOf(err: unknown): ApplicationFailure | undefined {
  if (!(err instanceof ActivityFailure)) return undefined;
  const cause = err.cause;
  if (err.retryState === 'MAXIMUM_ATTEMPTS_REACHED' || err.retryState === 'TIMEOUT') {
    const last = cause instanceof TimeoutFailure ? `${cause.timeoutType} timeout` : cause?.message;
    return ApplicationFailure.create({
      message: `${err.activityType} kept failing (${err.retryState === 'TIMEOUT' ? 'out of time' : 'out of attempts'}); last error: ${last ?? 'unknown'}`,
      type: FailureType.RetriesExhausted,
      nonRetryable: true,
      details: [{ activity: err.activityType, retryState: err.retryState, lastError: last ?? null }],
    });
  }
  if (cause instanceof ApplicationFailure)
    return ApplicationFailure.create({
      message: cause.message,
      type: cause.type ?? FailureType.InvalidInput,
      nonRetryable: true,
    });
  return undefined;
}
