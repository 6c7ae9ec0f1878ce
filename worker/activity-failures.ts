// The one translation of domain errors to Temporal failures: an activity inbound interceptor that turns a
// thrown FerryError whose type no retry can fix into a non-retryable ApplicationFailure of that type.
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityInboundCallsInterceptor, ActivityInterceptorsFactory } from '@temporalio/worker';
import { failsWithoutRetry, FerryError } from '../core/errors.js';

/**
 * The failure an activity's error becomes. A FerryError of a permanent type fails the activity at once
 * with its type (what retry policies and workflows match on); anything else is left as it is, so
 * Temporal retries it and names it by its class, as for any other error.
 */
export function activityFailureOf(err: unknown): unknown {
  if (err instanceof FerryError && failsWithoutRetry[err.type])
    return ApplicationFailure.create({ message: err.message, type: err.type, nonRetryable: true });
  return err;
}

const translateFailures: ActivityInboundCallsInterceptor = {
  async execute(input, next) {
    try {
      return await next(input);
    } catch (err) {
      throw activityFailureOf(err);
    }
  },
};

/** Worker `interceptors.activity` entry installing the translation for every activity. */
export const activityFailureInterceptor: ActivityInterceptorsFactory = () => ({ inbound: translateFailures });
