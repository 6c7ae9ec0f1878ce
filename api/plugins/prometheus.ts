// Prometheus metrics of the API itself: request counts and durations by route and status.
import fp from 'fastify-plugin';
import type {} from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const prometheusPlugin = fp(
  async (app: FastifyInstance, opts: { requireToken: boolean }) => {
    // One registry per app, so tests that build many apps never collide on metric names.
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    const labelNames = ['method', 'route', 'status'] as const;
    const requests = new Counter({
      name: 'ferry_http_requests_total',
      help: 'HTTP requests by route and status',
      labelNames,
      registers: [registry],
    });
    const duration = new Histogram({
      name: 'ferry_http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
    app.addHook('onResponse', async (req, reply) => {
      const labels = {
        method: req.method,
        route: req.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      };
      requests.inc(labels);
      duration.observe(labels, reply.elapsedTime / 1000);
    });
    // A bearer token of any role unless configured open (FERRY_API_METRICS_REQUIRE_TOKEN=false).
    app.get(
      '/metrics',
      { schema: { hide: true }, config: { public: !opts.requireToken } },
      async (_req, reply) => {
        return reply.type(registry.contentType).send(await registry.metrics());
      },
    );
  },
  { name: 'ferry-prometheus' },
);
