// Liveness and readiness: /healthz says the process answers, /readyz that Temporal and storage do.
// Both are public (load balancers and probes carry no token); why a check failed is told only to
// a caller with a valid token, since error text names internal hosts and ports.
// `?scope=serving` asks only whether predictions can be served (storage, or models already loaded),
// so a load balancer keeps healthy serving in rotation during an object-storage outage;
// `?scope=pipelines` whether runs can be started and driven (Temporal and storage).
import { Type } from 'typebox';
import type { ApiDeps } from '../deps.js';
import { problem, type TypedApp } from '../schemas.js';

export const HealthSchema = Type.Object({ status: Type.Literal('ok') });

const ReadyQuery = Type.Object(
  {
    scope: Type.Optional(
      Type.Union([Type.Literal('all'), Type.Literal('serving'), Type.Literal('pipelines')], {
        examples: ['serving'],
      }),
    ),
  },
  { additionalProperties: false },
);

/** Each check: "ok", "failed" (anonymous caller) or the error text (authenticated caller). */
const ReadySchema = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not-ready')]),
  scope: Type.Union([Type.Literal('all'), Type.Literal('serving'), Type.Literal('pipelines')]),
  checks: Type.Record(Type.String(), Type.String()),
  loadedModels: Type.Optional(Type.Integer({ minimum: 0 })),
});

export function healthRoutes(app: TypedApp, deps: ApiDeps): void {
  const timeoutMs = deps.dependencyTimeoutMs ?? 1500;
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
        summary:
          'Readiness (all, serving or pipelines): its dependencies answer; why a check failed only with a valid token',
        security: [],
        querystring: ReadyQuery,
        response: {
          200: ReadySchema,
          400: problem('the query breaks a rule: `errors` names each field and rule'),
          503: ReadySchema,
        },
      },
    },
    async (req, reply) => {
      const scope = req.query.scope ?? 'all';
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
        check('objectStore', () => deps.store.ping(), timeoutMs),
      ]);
      // Loaded models keep answering without storage; only new versions wait for it.
      const loaded = deps.serving.state.status().length;
      const allOk = checks.every((x) => x.ok);
      const ready = scope === 'serving' ? allOk || loaded > 0 : allOk;
      return reply.code(ready ? 200 : 503).send({
        status: ready ? 'ready' : 'not-ready',
        scope,
        checks: Object.fromEntries(
          checks.map((x) => [x.name, x.ok ? 'ok' : req.identity ? (x.error ?? 'failed') : 'failed']),
        ),
        ...(scope === 'serving' ? { loadedModels: loaded } : {}),
      });
    },
  );
}

/** Runs one readiness check with a 2 s limit. */
export async function check(
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
