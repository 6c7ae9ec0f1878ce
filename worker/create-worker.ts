// Builds Ferry's Temporal workers, one per task queue a process serves; used by the worker process and by tests.
import { hostname } from 'node:os';
import { NativeConnection, Worker, type ActivityInterceptorsFactory } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities/index.js';
import { trainQueueActivities, type WorkerQueueKind } from '../core/contracts/index.js';
import { activityFailureInterceptor } from './activity-failures.js';
import { buildWorkflowBundle } from './bundle.js';
import { tracingActivityInterceptors, workflowSpanSinks } from './tracing.js';
import type { Tracing } from '../core/telemetry/setup.js';

/** Slot counts of each queue's worker (Temporal's defaults are sized for bigger machines). */
export interface WorkerLimits {
  maxConcurrentActivities: number;
  maxConcurrentWorkflowTasks: number;
  trainMaxConcurrentActivities: number;
}

export interface FerryWorkersOptions {
  connection: NativeConnection;
  namespace: string;
  /** The task queue of each kind this process serves; a kind left out gets no worker. */
  queues: Partial<Record<WorkerQueueKind, string>>;
  deps: ActivityDeps;
  shutdownGraceMs: number;
  limits?: WorkerLimits;
  /** Default: `ferry-worker-<kind>@<host>:<pid>`, so history tells which pool ran each task. */
  identity?: (kind: WorkerQueueKind) => string;
  /** A queue's activity interceptors after the failure translation (metrics, tracing). */
  activityInterceptors?: (kind: WorkerQueueKind) => ActivityInterceptorsFactory[];
  /** The process's tracing (default: off); workflow spans leave the sandbox through its sink. */
  tracing?: Tracing;
}

/** One queue's worker and what it serves. */
export interface QueueWorker {
  kind: WorkerQueueKind;
  taskQueue: string;
  identity: string;
  worker: Worker;
}

export const defaultWorkerIdentity = (kind: WorkerQueueKind): string =>
  `ferry-worker-${kind}@${hostname()}:${process.pid}`;

/** The process id in a default worker identity (what a fault test kills), or undefined for any other. */
export function workerPid(identity: string): number | undefined {
  const pid = /^ferry-worker-[a-z]+@.+:(\d+)$/.exec(identity)?.[1];
  return pid === undefined ? undefined : Number(pid);
}

/**
 * The workers of one process. The pipeline worker runs the workflows and registers every activity:
 * runs started before split pools schedule their training on the pipeline queue, and must still find
 * it there. The training worker registers only the heavy activities and runs no workflows.
 */
export async function createFerryWorkers(o: FerryWorkersOptions): Promise<QueueWorker[]> {
  const activities = createActivities(o.deps);
  const identityOf = o.identity ?? defaultWorkerIdentity;
  const common = (kind: WorkerQueueKind) => ({
    connection: o.connection,
    namespace: o.namespace,
    interceptors: {
      // Domain errors become Temporal failures here, once, instead of in each activity.
      activity: [
        activityFailureInterceptor,
        ...(o.tracing ? tracingActivityInterceptors(o.tracing) : []),
        ...(o.activityInterceptors?.(kind) ?? []),
      ],
    },
    shutdownGraceTime: o.shutdownGraceMs,
  });
  const workers: QueueWorker[] = [];
  if (o.queues.pipeline) {
    const bundle = await buildWorkflowBundle();
    const identity = identityOf('pipeline');
    workers.push({
      kind: 'pipeline',
      taskQueue: o.queues.pipeline,
      identity,
      worker: await Worker.create({
        ...common('pipeline'),
        taskQueue: o.queues.pipeline,
        identity,
        workflowBundle: { codePath: bundle.path },
        sinks: workflowSpanSinks(o.tracing),
        activities,
        // Bounded cache (sdk-typescript#2227).
        maxCachedWorkflows: 200,
        ...(o.limits
          ? {
              maxConcurrentActivityTaskExecutions: o.limits.maxConcurrentActivities,
              maxConcurrentWorkflowTaskExecutions: o.limits.maxConcurrentWorkflowTasks,
            }
          : {}),
      }),
    });
  }
  if (o.queues.train) {
    const identity = identityOf('train');
    workers.push({
      kind: 'train',
      taskQueue: o.queues.train,
      identity,
      worker: await Worker.create({
        ...common('train'),
        taskQueue: o.queues.train,
        identity,
        activities: Object.fromEntries(trainQueueActivities.map((name) => [name, activities[name]])),
        ...(o.limits ? { maxConcurrentActivityTaskExecutions: o.limits.trainMaxConcurrentActivities } : {}),
      }),
    });
  }
  return workers;
}

/** Runs the workers until all have stopped; one that fails shuts the others down (the process then exits). */
export async function runWorkers(workers: readonly QueueWorker[]): Promise<void> {
  const results = await Promise.allSettled(
    workers.map(({ worker }) =>
      worker.run().catch((err: unknown) => {
        for (const other of workers) if (other.worker.getState() === 'RUNNING') other.worker.shutdown();
        throw err;
      }),
    ),
  );
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
