// The API as one Fastify app built from its dependencies; tests build it per test and use inject().
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Connection } from '@temporalio/client';
import type { Logger } from '../core/logger.js';
import type { ObjectStore } from '../core/storage/object-store.js';
import { registerProblemHandlers } from './problem.js';
import { healthRoutes } from './routes/health.js';

export interface ApiDeps {
  temporal: Connection;
  store: ObjectStore;
}

export async function buildApp(deps: ApiDeps, options: { logger?: Logger | false } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: (options.logger || undefined) as FastifyBaseLogger | undefined,
    bodyLimit: 1024 * 1024,
    requestIdHeader: 'x-request-id',
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true } },
  });
  registerProblemHandlers(app);
  healthRoutes(app, deps);
  return app;
}
