// Liveness and readiness: /healthz says the process answers, /readyz that Temporal and storage do.
// Both are public (load balancers and probes carry no token); why a check failed is told only to
// a caller with a valid token, since error text names internal hosts and ports.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { ApiDeps } from '../app.js';

export const HealthSchema = Type.Object({ status: Type.Literal('ok') });

/** Each check: "ok", "failed" (anonymous caller) or the error text (authenticated caller). */
const ReadySchema = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not-ready')]),
  checks: Type.Record(Type.String(), Type.String()),
});

export function healthRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get(
    '/healthz',
    {
      config: { public: true },
      schema: {
        tags: ['health'],
        summary: 'Liveness: the process answers',
        security: [],
        response: { 200: HealthSchema },
      },
    },
    async () => ({ status: 'ok' as const }),
  );
  app.get(
    '/readyz',
    {
      config: { public: true },
      schema: {
        tags: ['health'],
        summary: 'Readiness: Temporal and object storage answer; why a check failed only with a valid token',
        security: [],
        response: { 200: ReadySchema, 503: ReadySchema },
      },
    },
    async (req, reply) => {
      const checks = await Promise.all([
        check('temporal', () => deps.temporal.workflowService.getSystemInfo({}).then(() => undefined)),
        check('objectStore', () => deps.store.ping()),
      ]);
      const ready = checks.every((x) => x.ok);
      return reply.code(ready ? 200 : 503).send({
        status: ready ? 'ready' : 'not-ready',
        checks: Object.fromEntries(
          checks.map((x) => [x.name, x.ok ? 'ok' : req.identity ? (x.error ?? 'failed') : 'failed']),
        ),
      });
    },
  );
}

/** Runs one readiness check with a 2 s limit. */
export async function check(
  name: string,
  fn: () => Promise<void>,
): Promise<{ name: string; ok: boolean; error?: string }> {
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timed out after 2 s')), 2000).unref()),
    ]);
    return { name, ok: true };
  } catch (err) {
    return { name, ok: false, error: (err as Error).message };
  }
}
