// The API as one Fastify app built from its dependencies: external plugins, then Ferry's plugins,
// then routes. Tests build it per test and use inject().
import { randomBytes, randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import rateLimit from '@fastify/rate-limit';
import type { Logger } from '../core/logger.js';
import type { ApiDeps } from './deps.js';
import { auditPlugin } from './plugins/audit.js';
import { authPlugin } from './plugins/auth.js';
import { consoleUiPlugin } from './plugins/console-ui.js';
import { prometheusPlugin } from './plugins/prometheus.js';
import { frameworkErrors, rateLimitedProblem, registerProblemHandlers } from './problem.js';
import { requestValidatorCompiler } from './validation.js';
import { approvalRoutes } from './routes/approvals.js';
import { auditRoutes } from './routes/audit.js';
import { datasetRoutes } from './routes/datasets.js';
import { draftSpecRoutes } from './routes/draft-spec.js';
import { healthRoutes } from './routes/health.js';
import { metricsRoutes } from './routes/metrics.js';
import { modelRoutes } from './routes/models.js';
import { pipelineRoutes } from './routes/pipelines.js';
import { predictRoutes } from './routes/predict.js';
import { runEventRoutes } from './routes/run-events.js';
import { runReportRoutes } from './routes/run-reports.js';
import { runRoutes } from './routes/runs.js';
import { scheduleRoutes } from './routes/schedules.js';
import { streamRoutes } from './routes/streams.js';
import { sessionRoutes } from './routes/session.js';
import { whoamiRoutes } from './routes/whoami.js';
import { registerSharedSchemas } from './schemas.js';
import { createApprovalsService } from './services/approvals.js';
import { createDatasetsService } from './services/datasets.js';
import { createDraftSpecService } from './services/draft-spec.js';
import { createMetricsService } from './services/metrics.js';
import { createModelsService } from './services/models.js';
import { createPipelinesService } from './services/pipelines.js';
import { createRunEventsService } from './services/run-events.js';
import { createRunReportsService } from './services/run-reports.js';
import { createRunsService } from './services/runs.js';
import { createSchedulesService } from './services/schedules.js';
import { createSessions } from './sessions.js';
import { closeAllEventStreams } from './event-stream.js';
import { createSharedPolls } from './shared-polls.js';
import type { HttpsOptions } from './tls.js';

export async function buildApp(
  deps: ApiDeps,
  options: {
    logger?: Logger | false;
    /** Serve HTTPS with this certificate and key. */ https?: HttpsOptions;
  } = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    // Typed as the HTTP server: routes and hooks do not depend on which one serves them.
    ...((options.https ? { https: options.https } : {}) as object),
    loggerInstance: (options.logger || undefined) as FastifyBaseLogger | undefined,
    bodyLimit: deps.limits.bodyLimitBytes,
    genReqId: () => randomUUID(),
    // Router-level refusals (bad URL encoding, over-long path segments) answer problem+json too.
    frameworkErrors,
  });
  app.setValidatorCompiler(requestValidatorCompiler());
  const { answerUnmatched } = registerProblemHandlers(app);
  registerSharedSchemas(app);
  // On a route whose body is optional, no body means "no options": validate it as {} rather than refuse it.
  app.addHook('preValidation', async (req) => {
    if (req.routeOptions.config.bodyOptional && req.body === undefined && !req.headers['content-type'])
      req.body = {};
  });
  // The document says so too: @fastify/swagger marks every body it is given as required.
  const optionalBodies = new Set<string>();
  app.addHook('onRoute', (route) => {
    if (route.config?.bodyOptional !== true) return;
    const path = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    for (const method of ([] as string[]).concat(route.method))
      optionalBodies.add(`${method.toLowerCase()} ${path}`);
  });
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Ferry API',
        version: '1',
        description:
          'Drive Ferry training pipelines: triggers, approvals, schedules, registry, datasets, metrics.',
      },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
      // Every operation needs a token unless it says otherwise (public routes declare `security: []`).
      security: [{ bearerAuth: [] }],
    },
    transformObject: (doc) => {
      if (!('openapiObject' in doc)) return doc.swaggerObject;
      const { openapiObject } = doc;
      for (const [path, item] of Object.entries(openapiObject.paths ?? {}))
        for (const [method, op] of Object.entries(
          item as Record<string, { requestBody?: { required?: boolean } }>,
        ))
          if (op.requestBody && optionalBodies.has(`${method} ${path}`)) op.requestBody.required = false;
      return openapiObject;
    },
  });
  // Without a configured secret (an API started outside the local stack), sessions last as long as the process.
  const sessions = createSessions({
    secret: deps.session.secret ?? randomBytes(32),
    ttlMs: deps.session.ttlMs,
    tokens: deps.tokens,
    now: deps.now,
  });
  if (!deps.session.secret)
    app.log.warn('FERRY_SESSION_SECRET is not set: console sessions end when this process stops');
  // Cookies are parsed before the auth hook reads the session cookie.
  await app.register(cookie);
  await app.register(authPlugin, { tokens: deps.tokens, sessions });
  app.addHook('onRequest', answerUnmatched);
  // The docs routes come from a plugin, so their auth config is set as they are registered.
  await app.register(async (docs) => {
    docs.addHook('onRoute', (route) => {
      route.config = { ...route.config, public: !deps.requireToken.docs };
    });
    await docs.register(swaggerUi, { routePrefix: '/docs' });
  });
  await app.register(rateLimit, {
    global: true,
    hook: 'preHandler',
    max: deps.limits.rateLimitPerMinute,
    timeWindow: 60_000,
    // Per token, so one noisy client cannot starve the others; calls without a valid token never get
    // here on a protected route, and unmatched paths are answered (404/405, no work) before it.
    keyGenerator: (req) => req.identity?.name ?? req.ip,
    allowList: (req) => req.routeOptions.config.public === true,
    errorResponseBuilder: rateLimitedProblem,
  });
  await app.register(consoleUiPlugin, { prefix: '/ui', uiDir: deps.uiDir, tls: options.https !== undefined });
  await app.register(prometheusPlugin, { requireToken: deps.requireToken.metrics });
  await app.register(auditPlugin, { audit: deps.audit });

  const routes = app.withTypeProvider<TypeBoxTypeProvider>();
  const polls = createSharedPolls({
    intervalMs: 1000,
    onError: (err, key) => app.log.warn({ err, key }, 'live stream poll failed; trying again'),
  });
  healthRoutes(routes, deps);
  whoamiRoutes(app);
  sessionRoutes(routes, {
    tokens: deps.tokens,
    sessions,
    failuresPerMinute: deps.session.signInFailuresPerMinute,
  });
  pipelineRoutes(app, createPipelinesService(deps));
  const runs = createRunsService(deps);
  const approvals = createApprovalsService(deps, runs);
  const metrics = createMetricsService(deps);
  // GET /v1/runs/stream is a static path: the router prefers it to /v1/runs/:runId.
  streamRoutes(routes, { runs, approvals, metrics, polls, heartbeatMs: 15_000 });
  runRoutes(routes, runs);
  approvalRoutes(app, approvals);
  const runEvents = createRunEventsService(deps);
  runEventRoutes(app, runEvents);
  runReportRoutes(routes, createRunReportsService(deps, runs, runEvents));
  modelRoutes(routes, createModelsService(deps));
  datasetRoutes(routes, createDatasetsService(deps));
  draftSpecRoutes(app, createDraftSpecService(deps));
  metricsRoutes(routes, metrics);
  auditRoutes(routes, deps.audit);
  scheduleRoutes(routes, createSchedulesService(deps));
  predictRoutes(routes, deps.serving, { feedbackPerMinute: deps.limits.rateLimitPerMinute });
  // Open event streams would hold the server's close forever: end them, and their pollers, first.
  app.addHook('preClose', async () => {
    closeAllEventStreams();
    polls.stop();
  });
  // Serving flushes its prediction log and frees its loaded models when the app closes.
  app.addHook('onClose', async () => deps.serving.close());
  return app;
}
