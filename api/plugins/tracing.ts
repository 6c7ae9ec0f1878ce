// One server span per HTTP request, continuing a caller's W3C trace context, active while the route
// handler runs so Temporal starts and S3 calls made for the request join its trace. A no-op (no hooks)
// unless the process turned tracing on.
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { context, propagation, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { isTracingEnabled } from '../../core/telemetry/tracing.js';

const spans = new WeakMap<FastifyRequest, Span>();

export const tracingPlugin = fp(
  async (app: FastifyInstance) => {
    if (!isTracingEnabled()) return;
    const tracer = trace.getTracer('ferry-http');
    app.addHook('onRequest', async (req) => {
      const parent = propagation.extract(context.active(), req.headers);
      const route = req.routeOptions.url ?? 'unmatched';
      spans.set(
        req,
        tracer.startSpan(
          `${req.method} ${route}`,
          {
            kind: SpanKind.SERVER,
            attributes: {
              'http.request.method': req.method,
              'http.route': route,
              'ferry.request_id': req.id,
            },
          },
          parent,
        ),
      );
    });
    // After body parsing, right before the handler: whatever the handler awaits runs in the span.
    app.addHook('preHandler', (req, _reply, done) => {
      const span = spans.get(req);
      if (!span) return done();
      context.with(trace.setSpan(context.active(), span), done);
    });
    app.addHook('onResponse', async (req, reply) => {
      const span = spans.get(req);
      if (!span) return;
      span.setAttribute('http.response.status_code', reply.statusCode);
      if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
  },
  { name: 'ferry-tracing' },
);
