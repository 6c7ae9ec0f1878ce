// Outages of Temporal or object storage noticed in about a second and named: a Temporal connection
// whose calls have deadlines and few retries, and one classifier of "a dependency is unavailable"
// by gRPC status code or the store's typed error (never by message text), for 503 answers.
import { FailureType, typedError } from './errors.js';
import { defaultGrpcRetryOptions, isGrpcServiceError, makeGrpcRetryInterceptor } from '@temporalio/client';
import { InterceptingCall, status as grpcStatus, type Interceptor } from '@grpc/grpc-js';
import { StorageUnavailableError } from './storage/errors.js';

/** Which dependency failed. */
export type Dependency = 'temporal' | 'object-storage';

// Calls that legitimately wait long on the server: a run's result, an update's outcome.
const longPolls = new Set([
  'GetWorkflowExecutionHistory',
  'PollWorkflowExecutionUpdate',
  'UpdateWorkflowExecution',
  'ExecuteMultiOperation',
]);

/** Gives every call that is not a long poll a deadline, unless the caller set one. */
function deadlineInterceptor(timeoutMs: number): Interceptor {
  return (options, nextCall) => {
    const method = options.method_definition.path.split('/').at(-1) ?? '';
    if (options.deadline !== undefined || longPolls.has(method))
      return new InterceptingCall(nextCall(options));
    return new InterceptingCall(nextCall({ ...options, deadline: Date.now() + timeoutMs }));
  };
}

/**
 * Temporal connection options for request paths: calls time out after `timeoutMs` (long polls
 * excepted) and an unreachable server is retried 3 times (~0.5 s), not the SDK's 10 (~20 s).
 */
export function fastTemporalOptions(address: string, timeoutMs: number) {
  return {
    address,
    // The deadline comes first so that it bounds the retries too.
    interceptors: [
      deadlineInterceptor(timeoutMs),
      makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 3 })),
    ],
  };
}

/** The dependency whose unavailability caused `err` (through its causes), or undefined for any other error. */
export function unavailableDependency(err: unknown): Dependency | undefined {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++) {
    if (e instanceof StorageUnavailableError) return 'object-storage';
    if (
      isGrpcServiceError(e) &&
      (e.code === grpcStatus.UNAVAILABLE || e.code === grpcStatus.DEADLINE_EXCEEDED)
    )
      return 'temporal';
  }
  return undefined;
}

/** Thrown when a readiness probe or other bounded wait on a dependency takes longer than allowed. */
export class DependencyTimeoutError extends typedError(FailureType.Unavailable) {
  constructor(
    readonly dependency: Dependency,
    readonly timeoutMs: number,
  ) {
    super(`${dependency} did not answer within ${timeoutMs} ms`);
  }
}

/** Resolves as `work` does, or rejects with DependencyTimeoutError after `timeoutMs` (the work itself is left to finish). */
export async function withinTimeout<T>(
  dependency: Dependency,
  timeoutMs: number,
  work: Promise<T>,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new DependencyTimeoutError(dependency, timeoutMs)), timeoutMs);
        timer.unref();
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
