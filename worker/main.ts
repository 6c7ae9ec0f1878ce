// The worker process: connects to Temporal and object storage, runs workflows and activities,
// reports health on FERRY_WORKER_PORT and drains gracefully on SIGTERM.
import Fastify from 'fastify';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { config } from '../core/config.js';
import { createLogger } from '../core/logger.js';
import { temporalConnectOptions } from '../core/temporal-connection.js';
import { DependencyTimeoutError, withinTimeout, type Dependency } from '../core/dependencies.js';
import { createFerryWorker } from './create-worker.js';
import { createActivityDeps } from './deps.js';
import { temporalLogger } from './temporal-logger.js';

const c = config();
const log = createLogger(c.logLevel, 'ferry-worker');
Runtime.install({ logger: temporalLogger(log) });

// A client too: the drift monitor's activity starts retraining runs.
const connectOptions = await temporalConnectOptions(c.temporal);
const clientConnection = await Connection.connect(connectOptions);
const deps = {
  ...createActivityDeps(c),
  temporal: {
    client: new Client({ connection: clientConnection, namespace: c.temporal.namespace }),
    taskQueue: c.temporal.taskQueue,
  },
};
const { store } = deps;
await store.ensureBucket();
const connection = await NativeConnection.connect(connectOptions);
const worker = await createFerryWorker({
  connection,
  namespace: c.temporal.namespace,
  taskQueue: c.temporal.taskQueue,
  deps,
  shutdownGraceMs: c.shutdownGraceMs,
});

const health = Fastify({ logger: false });
health.get('/healthz', async () => ({ status: 'ok' }));
// Ready while the worker runs and Temporal and storage answer, each within the dependency timeout
// (a frozen Temporal or MinIO makes this answer 503 in about a second, never hang).
health.get('/readyz', async (_req, reply) => {
  const state = worker.getState();
  if (state !== 'RUNNING') return reply.code(503).send({ status: 'not-ready', worker: state });
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
    taskQueue: c.temporal.taskQueue,
    checks: { temporal, objectStore },
  });
});
await health.listen({ host: c.bindHost, port: c.worker.port });

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    log.info({ signal }, 'shutting down: draining the worker');
    worker.shutdown();
  });
}

log.info({ taskQueue: c.temporal.taskQueue, address: c.temporal.address }, 'worker running');
await worker.run();
await health.close();
await connection.close();
await clientConnection.close();
log.info('worker stopped');
