// The worker process: serves the pipeline queue, the training queue or both (`--queue`), reports
// health on FERRY_WORKER_PORT and drains gracefully on SIGTERM.
import { Command } from 'commander';
import Fastify from 'fastify';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry/lib/client/index.js';
import { ConfigError, loadConfig } from '../core/config.js';
import { createLogger } from '../core/logger.js';
import { startTracing } from '../core/telemetry/setup.js';
import { temporalConnectOptions } from '../core/temporal-connection.js';
import { DependencyTimeoutError, withinTimeout, type Dependency } from '../core/dependencies.js';
import { createFerryWorkers, runWorkers } from './create-worker.js';
import { createActivityDeps } from './deps.js';
import { createWorkerMetrics } from './metrics.js';
import { freeLoopbackPort, scrapeSdkMetrics, sdkMetricsTelemetry } from './sdk-metrics.js';
import { temporalLogger } from './temporal-logger.js';

const args = new Command('worker')
  .description("Runs Ferry's Temporal workers")
  .option(
    '--queue <kinds>',
    'queues to serve: pipeline, train or pipeline,train (default: FERRY_WORKER_QUEUES)',
  )
  .parse()
  .opts<{ queue?: string }>();

const c = (() => {
  try {
    return loadConfig(undefined, args.queue !== undefined ? { FERRY_WORKER_QUEUES: args.queue } : {});
  } catch (err) {
    // The flag wins over the variable, so a bad flag is named as the flag.
    if (err instanceof ConfigError && args.queue !== undefined)
      throw new ConfigError(
        err.problems.map((p) => (p.variable === 'FERRY_WORKER_QUEUES' ? { ...p, variable: '--queue' } : p)),
      );
    throw err;
  }
})();
const tracing = startTracing({ telemetry: c.telemetry, serviceName: 'ferry-worker' });
const log = createLogger(c.logLevel, 'ferry-worker');
const sdkMetricsPort = c.worker.sdkMetricsPort ?? (await freeLoopbackPort());
Runtime.install({ logger: temporalLogger(log), telemetryOptions: sdkMetricsTelemetry(sdkMetricsPort) });
const metrics = createWorkerMetrics();

// A client too: the drift monitor's activity starts retraining runs.
const connectOptions = await temporalConnectOptions(c.temporal);
const clientConnection = await Connection.connect(connectOptions);
const deps = {
  ...createActivityDeps(c, '', { onRegistryConflict: metrics.registryConflict }),
  temporal: {
    client: new Client({
      connection: clientConnection,
      namespace: c.temporal.namespace,
      interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] },
    }),
    taskQueue: c.temporal.taskQueue,
    trainTaskQueue: c.temporal.trainTaskQueue,
  },
};
const { store } = deps;
await store.ensureBucket();
const connection = await NativeConnection.connect(connectOptions);
const queueNames = { pipeline: c.temporal.taskQueue, train: c.temporal.trainTaskQueue };
const workers = await createFerryWorkers({
  connection,
  namespace: c.temporal.namespace,
  queues: Object.fromEntries(c.worker.queues.map((kind) => [kind, queueNames[kind]])),
  deps,
  shutdownGraceMs: c.shutdownGraceMs,
  limits: c.worker,
  activityInterceptors: (kind) => [metrics.interceptor(kind)],
  tracing,
});
const served = workers.map((w) => ({ kind: w.kind, taskQueue: w.taskQueue, identity: w.identity }));

const health = Fastify({ logger: false });
health.get('/healthz', async () => ({ status: 'ok' }));
// Ferry's metrics, then the Temporal SDK's (names never overlap: theirs start with temporal_).
health.get('/metrics', async (_req, reply) => {
  const [own, sdk] = await Promise.all([
    metrics.registry.metrics(),
    scrapeSdkMetrics(sdkMetricsPort, c.dependencyTimeoutMs),
  ]);
  return reply.type(metrics.registry.contentType).send(`${own}\n${sdk}`);
});
// Ready while every worker runs and Temporal and storage answer, each within the dependency timeout
// (a frozen Temporal or MinIO makes this answer 503 in about a second, never hang).
health.get('/readyz', async (_req, reply) => {
  const states = workers.map((w) => w.worker.getState());
  const state = states.every((s) => s === 'RUNNING') ? 'RUNNING' : states.find((s) => s !== 'RUNNING');
  const queues = served.map((q, i) => ({ ...q, state: states[i] }));
  if (state !== 'RUNNING') return reply.code(503).send({ status: 'not-ready', worker: state, queues });
  const timeout = c.dependencyTimeoutMs;
  const probe = async (dependency: Dependency, work: () => Promise<unknown>) => {
    try {
      await withinTimeout(dependency, timeout, work());
      return 'ok';
    } catch (err) {
      return err instanceof DependencyTimeoutError ? 'timed out' : 'unavailable';
    }
  };
  const [temporal, objectStore] = await Promise.all([
    probe('temporal', () =>
      clientConnection.withDeadline(Date.now() + timeout, () =>
        clientConnection.workflowService.getSystemInfo({}),
      ),
    ),
    probe('object-storage', () => store.ping()),
  ]);
  const ready = temporal === 'ok' && objectStore === 'ok';
  return reply.code(ready ? 200 : 503).send({
    status: ready ? 'ready' : 'not-ready',
    worker: state,
    queues,
    checks: { temporal, objectStore },
  });
});
await health.listen({ host: c.bindHost, port: c.worker.port });

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    log.info({ signal }, 'shutting down: draining the workers');
    for (const w of workers) if (w.worker.getState() === 'RUNNING') w.worker.shutdown();
  });
}

log.info({ queues: served, address: c.temporal.address }, 'worker running');
try {
  await runWorkers(workers);
} finally {
  await health.close();
  await connection.close();
  await clientConnection.close();
  await tracing.shutdown();
}
log.info('worker stopped');
