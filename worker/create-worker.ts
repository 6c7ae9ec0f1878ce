// Builds a Ferry worker from its dependencies; used by the worker process and by tests.
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities/index.js';
import { activityFailureInterceptor } from './activity-failures.js';
import { buildWorkflowBundle } from './bundle.js';

export interface FerryWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  shutdownGraceMs: number;
  identity?: string;
}

/** A worker running the pre-built workflow bundle and every Ferry activity. */
export async function createFerryWorker(o: FerryWorkerOptions): Promise<Worker> {
  const bundle = await buildWorkflowBundle();
  return Worker.create({
    connection: o.connection,
    namespace: o.namespace,
    taskQueue: o.taskQueue,
    workflowBundle: { codePath: bundle.path },
    activities: createActivities(o.deps),
    // Domain errors become Temporal failures here, once, instead of in each activity.
    interceptors: { activity: [activityFailureInterceptor] },
    ...(o.identity ? { identity: o.identity } : {}),
    // Bounded cache (sdk-typescript#2227) and a grace period so a SIGTERM lets activities finish.
    maxCachedWorkflows: 200,
    shutdownGraceTime: o.shutdownGraceMs,
  });
}
