// Keeps an activity heartbeating while it works: a dead worker is then noticed within the heartbeat
// timeout (not the start-to-close one), and a timed-out or superseded attempt learns that it was
// cancelled, which Temporal tells an activity only in the answer to a heartbeat.
import { CancelledFailure, Context } from '@temporalio/activity';

/** How often the last details are re-sent while nothing new is reported (the SDK throttles further). */
export const heartbeatIntervalMs = 3_000;

/** Starts heartbeating `details` now and every `intervalMs` until stopped; `stop()` it when the work ends. */
export function startHeartbeat(details: unknown, intervalMs = heartbeatIntervalMs) {
  const context = Context.current();
  let last = details;
  context.heartbeat(last);
  const timer = setInterval(() => context.heartbeat(last), intervalMs);
  // A forgotten heartbeat must not keep a worker process alive on shutdown.
  timer.unref();
  return {
    /** Records new progress details and heartbeats them at once. */
    beat(next: unknown): void {
      last = next;
      context.heartbeat(last);
    },
    /** Throws the attempt's cancellation (timed out, superseded, run cancelled) if it came. */
    throwIfCancelled(): void {
      const signal = context.cancellationSignal;
      if (!signal.aborted) return;
      throw signal.reason instanceof CancelledFailure
        ? signal.reason
        : new CancelledFailure(`activity ${context.info.activityType} was cancelled`);
    },
    stop() {
      clearInterval(timer);
    },
  };
}

/** A running heartbeat. */
export type Heartbeat = ReturnType<typeof startHeartbeat>;

/** Runs `work` with a heartbeat of `details` going; the heartbeat stops when it settles. */
export async function withHeartbeat<T>(details: unknown, work: (hb: Heartbeat) => Promise<T>): Promise<T> {
  const hb = startHeartbeat(details);
  try {
    return await work(hb);
  } finally {
    hb.stop();
  }
}
