// A serving replica on its own: health, readiness and the predict/feedback routes, nothing else. It
// keeps no state of its own (deployments and models come from object storage, logs go back there),
// so any number of replicas can sit behind a load balancer.
// Usage: tsx api/serve-main.ts [--port <n>]   (default: FERRY_API_PORT)
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import rateLimit from '@fastify/rate-limit';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { loadTokens, type StoredToken } from '../core/auth/tokens.js';
import { config } from '../core/config.js';
import { withinTimeout } from '../core/dependencies.js';
import { createLogger, type Logger } from '../core/logger.js';
import { startTracing } from '../core/telemetry/setup.js';
import { partSafe } from '../core/serving/prediction-log.js';
import { createServing, type Serving } from '../core/serving/service.js';
import { predictionLogLookup } from '../core/serving/feedback.js';
import { createWarehouse } from '../core/warehouse/store.js';
import { createObjectStore, type ObjectStore } from '../core/storage/object-store.js';
import { authPlugin } from './plugins/auth.js';
import { prometheusPlugin } from './plugins/prometheus.js';
import { tracingPlugin } from './plugins/tracing.js';
import { frameworkErrors, rateLimitedProblem, registerProblemHandlers } from './problem.js';
import { requestValidatorCompiler } from './validation.js';
import { predictRoutes } from './routes/predict.js';
import { registerSharedSchemas } from './schemas.js';
import { httpsOptionsOf, type HttpsOptions } from './tls.js';

/** What a serving replica needs. */
export interface ServingAppDeps {
  serving: Serving;
  store: ObjectStore;
  tokens: readonly StoredToken[];
  /** Whether /metrics needs a bearer token (default true); the serving routes always do. */
  requireToken?: { metrics: boolean };
  /** How long readiness waits on storage (default 1500 ms). */
  dependencyTimeoutMs?: number;
}

/** The serving replica's app: /healthz, /readyz, /metrics and the serving routes; closing it closes `serving`. */
export async function buildServingApp(
  deps: ServingAppDeps,
  options: {
    logger?: Logger | false;
    bodyLimitBytes?: number;
    https?: HttpsOptions;
    feedbackPerMinute?: number;
  } = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    // Typed as the HTTP server: routes and hooks do not depend on which one serves them.
    ...((options.https ? { https: options.https } : {}) as object),
    loggerInstance: (options.logger || undefined) as FastifyBaseLogger | undefined,
    bodyLimit: options.bodyLimitBytes ?? 1024 * 1024,
    genReqId: () => randomUUID(),
    frameworkErrors,
  });
  app.setValidatorCompiler(requestValidatorCompiler());
  const { answerUnmatched } = registerProblemHandlers(app);
  registerSharedSchemas(app);
  // First, so a request's span covers auth, limits and the handler.
  await app.register(tracingPlugin);
  await app.register(authPlugin, { tokens: deps.tokens });
  app.addHook('onRequest', answerUnmatched);
  // Only routes that ask for a limit (feedback) are limited here: predictions scale by replicas instead.
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: rateLimitedProblem,
  });
  await app.register(prometheusPlugin, { requireToken: deps.requireToken?.metrics ?? true });
  app.get('/healthz', { config: { public: true } }, async () => ({ status: 'ok' }));
  // Ready when storage answers, or (storage down) while models are loaded and keep answering from
  // memory; models load on their first request. Never hangs. Public for probes, but what is loaded
  // and why something failed is told only to a valid token.
  app.get('/readyz', { config: { public: true } }, async (req, reply) => {
    const models = deps.serving.state.status();
    const shown = req.identity ? { models } : {};
    try {
      await withinTimeout('object-storage', deps.dependencyTimeoutMs ?? 1500, deps.store.ping());
      return { status: 'ready', ...shown };
    } catch (err) {
      if (models.length > 0) return { status: 'ready', ...shown, objectStore: 'unavailable' };
      return reply
        .code(503)
        .send({ status: 'not-ready', ...(req.identity ? { error: (err as Error).message } : {}) });
    }
  });
  predictRoutes(app.withTypeProvider<TypeBoxTypeProvider>(), deps.serving, {
    feedbackPerMinute: options.feedbackPerMinute ?? 600,
  });
  app.addHook('onClose', async () => deps.serving.close());
  return app;
}

/** `--port <n>` or `--port=<n>` from the arguments, else undefined. */
export function portArgument(argv: readonly string[]): number | undefined {
  const i = argv.findIndex((a) => a === '--port' || a.startsWith('--port='));
  if (i < 0) return undefined;
  const text = argv[i]!.includes('=') ? argv[i]!.slice('--port='.length) : argv[i + 1];
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`--port must be an integer 1–65535, got ${JSON.stringify(text ?? null)}`);
  return port;
}

async function main(): Promise<void> {
  const c = config();
  const port = portArgument(process.argv.slice(2)) ?? c.api.port;
  const tracing = startTracing({ telemetry: c.telemetry, serviceName: 'ferry-serving' });
  const log = createLogger(c.logLevel, 'ferry-serve');
  const replicaId = partSafe(`${hostname()}-${port}-${process.pid}`);
  const store = createObjectStore(c.s3);
  const serving = createServing({
    store,
    logThread: { s3: c.s3, cacheDir: join(c.home, 'cache', `serve-${port}`) },
    // Feedback for ids another replica served: the log in object storage is the source of truth.
    predictionLookup: predictionLogLookup(
      createWarehouse({ store, cacheDir: join(c.home, 'cache', `serve-${port}-lookup`) }),
    ),
    replicaId,
    log,
  });
  const tokens = await loadTokens(c);
  if (tokens.length === 0)
    log.warn(
      `no API tokens configured: every /v1 call will be refused (set FERRY_API_TOKENS or ${c.api.tokensFile})`,
    );
  const https = await httpsOptionsOf(c.api);
  const app = await buildServingApp(
    { serving, store, tokens, requireToken: { metrics: c.api.requireToken.metrics } },
    { logger: log, feedbackPerMinute: c.api.rateLimitPerMinute, ...(https ? { https } : {}) },
  );
  await app.listen({ host: c.bindHost, port });
  log.info({ port, replicaId }, 'serving replica up');

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      log.info({ signal }, 'shutting down');
      // app.close() stops accepting, finishes in-flight requests, then flushes the prediction log.
      void app
        .close()
        .then(() => tracing.shutdown())
        .finally(() => process.exit(0));
    });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) await main();
