// Liveness and readiness: /healthz says the process answers, /readyz that Temporal and storage do.
// `?scope=serving` asks only whether predictions can be served (storage, or models already loaded),
// so a load balancer keeps healthy serving in rotation during an object-storage outage;
// `?scope=pipelines` whether runs can be started and driven (Temporal and storage).
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../app.js';

type Scope = 'all' | 'serving' | 'pipelines';

export function healthRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const timeoutMs = deps.dependencyTimeoutMs ?? 1500;
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (req, reply) => {
    const asked = (req.query as { scope?: string }).scope ?? 'all';
    if (!['all', 'serving', 'pipelines'].includes(asked))
      return reply.code(400).send({ status: 'bad-request', scope: 'must be all, serving or pipelines' });
    const scope = asked as Scope;
    const storage = check('objectStore', () => deps.store.ping(), timeoutMs);
    const checks = await Promise.all([
      ...(scope === 'serving'
        ? []
        : [
            check(
              'temporal',
              () => deps.temporal.workflowService.getSystemInfo({}).then(() => undefined),
              timeoutMs,
            ),
          ]),
      storage,
    ]);
    // Loaded models keep answering without storage; only new versions wait for it.
    const loaded = deps.serving.state.status().length;
    const ready = scope === 'serving' ? checks.every((x) => x.ok) || loaded > 0 : checks.every((x) => x.ok);
    return reply.code(ready ? 200 : 503).send({
      status: ready ? 'ready' : 'not-ready',
      scope,
      checks: Object.fromEntries(checks.map((x) => [x.name, x.ok ? 'ok' : x.error])),
      ...(scope === 'serving' ? { loadedModels: loaded } : {}),
    });
  });
}

async function check(
  name: string,
  fn: () => Promise<void>,
  timeoutMs: number,
): Promise<{ name: string; ok: boolean; error?: string }> {
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs).unref(),
      ),
    ]);
    return { name, ok: true };
  } catch (err) {
    return { name, ok: false, error: (err as Error).message };
  }
}
