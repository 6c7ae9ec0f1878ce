// Liveness and readiness: /healthz says the process answers, /readyz that Temporal and storage do.
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../app.js';

export function healthRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    const checks = await Promise.all([
      check('temporal', () => deps.temporal.workflowService.getSystemInfo({}).then(() => undefined)),
      check('objectStore', () => deps.store.ping()),
    ]);
    const ready = checks.every((x) => x.ok);
    return reply.code(ready ? 200 : 503).send({
      status: ready ? 'ready' : 'not-ready',
      checks: Object.fromEntries(checks.map((x) => [x.name, x.ok ? 'ok' : x.error])),
    });
  });
}

async function check(
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
