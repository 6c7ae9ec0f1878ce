// /v1/pipelines/{pipeline}/runs and /v1/runs: trigger, list, read, approve, reject, cancel.
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { caller } from '../plugins/auth.js';
import {
  bearer,
  bodyProblemResponses,
  PipelineParams,
  problemResponses,
  RunId,
  RunParams,
  SafeName,
} from '../schemas.js';
import { runStatuses, type RunsService } from '../services/runs.js';

const Links = Type.Object({ self: Type.String(), temporalUi: Type.String() });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const TriggerBody = Type.Object(
  {
    dataset: Type.Optional(
      Type.String({
        pattern: '^([a-f0-9]{64}|[a-z0-9][a-z0-9_-]{0,62})$',
        description: 'a snapshot hash or a dataset name (its latest snapshot)',
      }),
    ),
    reason: Type.Optional(Type.String({ maxLength: 500 })),
    approval: Type.Optional(
      Type.Union([Type.Literal('manual'), Type.Literal('auto'), Type.Literal('auto-if-better')]),
    ),
    overrides: Type.Optional(
      Type.Object(
        {
          training: Type.Optional(
            Type.Object(
              {
                epochs: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
                learningRate: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
                batchSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 65536 })),
              },
              { additionalProperties: false },
            ),
          ),
          approval: Type.Optional(
            Type.Object(
              { timeout: Type.Optional(Type.String({ pattern: '^[0-9]+(ms|s|m|h|d)$', examples: ['2d'] })) },
              { additionalProperties: false },
            ),
          ),
        },
        { additionalProperties: false },
      ),
    ),
  },
  {
    additionalProperties: false,
    examples: [
      { dataset: 'churn', reason: 'retrain on the December snapshot', approval: 'manual' },
      { overrides: { training: { epochs: 5, learningRate: 0.005 } } },
    ],
  },
);

const RunSummary = Type.Object({
  runId: Type.String(),
  status: Type.String(),
  pipeline: Nullable(Type.String()),
  model: Nullable(Type.String()),
  stage: Nullable(Type.String()),
  trigger: Nullable(Type.String()),
  startedAt: Nullable(Type.String()),
  closedAt: Nullable(Type.String()),
});

const Decision = Type.Object({
  decision: Type.Union([Type.Literal('approve'), Type.Literal('reject')]),
  by: Type.String(),
  comment: Type.String(),
  at: Type.String(),
  via: Type.String(),
});

const RunView = Type.Object({
  runId: Type.String(),
  pipeline: Nullable(Type.String()),
  model: Nullable(Type.String()),
  status: Type.String(),
  stage: Nullable(Type.String()),
  trigger: Nullable(Type.String()),
  triggeredBy: Nullable(Type.String()),
  specHash: Nullable(Type.String()),
  datasetSha: Nullable(Type.String()),
  candidateVersion: Nullable(Type.Integer()),
  metrics: Nullable(Type.Record(Type.String(), Type.Number())),
  validation: Nullable(
    Type.Object({
      datasetSha: Type.String(),
      rowCount: Type.Integer(),
      passed: Type.Boolean(),
      errors: Type.Integer(),
      warnings: Type.Array(Type.String()),
      reportKey: Type.String(),
    }),
  ),
  evaluation: Nullable(
    Type.Object({
      passed: Type.Boolean(),
      reasons: Type.Array(Type.String()),
      primaryMetric: Type.String(),
      championVersion: Nullable(Type.Integer()),
    }),
  ),
  waitingFor: Nullable(Type.String()),
  approvalDeadline: Nullable(Type.String()),
  decision: Nullable(Decision),
  outcome: Nullable(Type.String()),
  failure: Nullable(Type.String()),
  rollout: Nullable(
    Type.Unsafe<Record<string, unknown>>({
      type: 'object',
      additionalProperties: true,
      description: 'phase, step, weights, shadow, paused, lastGuards, breach, reason',
    }),
  ),
  startedAt: Nullable(Type.String()),
  closedAt: Nullable(Type.String()),
  links: Links,
});

const ListQuery = Type.Object(
  {
    pipeline: Type.Optional(SafeName),
    model: Type.Optional(SafeName),
    status: Type.Optional(Type.Union(runStatuses.map((s) => Type.Literal(s)))),
    stage: Type.Optional(
      Type.Union(
        ['validate', 'train', 'evaluate', 'register', 'approval', 'rollout', 'done'].map((s) =>
          Type.Literal(s),
        ),
      ),
    ),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50, examples: [20] })),
    cursor: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9_-]{1,4096}$',
        description:
          "opaque: a previous page's `nextCursor`, unchanged (base64url); any other value is refused with 400 invalid-cursor",
      }),
    ),
  },
  { additionalProperties: false },
);

const CommentBody = Type.Object(
  { comment: Type.String({ maxLength: 2000 }) },
  { additionalProperties: false, examples: [{ comment: 'holdout metrics and slices look good' }] },
);
const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,128}$', examples: ['nightly-2026-12-02'] }),
  ),
});

export function runRoutes(app: FastifyInstance, runs: RunsService): void {
  app.post(
    '/v1/pipelines/:pipeline/runs',
    {
      config: { minRole: 'operator', bodyOptional: true },
      schema: {
        tags: ['runs'],
        summary: 'Start a training run (Idempotency-Key: the same key returns the same run)',
        security: bearer,
        params: PipelineParams,
        headers: IdempotencyHeaders,
        body: TriggerBody,
        response: {
          202: Type.Object({ runId: Type.String(), status: Type.String(), links: Links }),
          ...problemResponses,
          ...bodyProblemResponses,
        },
      },
    },
    async (req, reply) => {
      const { pipeline } = req.params as Static<typeof PipelineParams>;
      const key = (req.headers as Static<typeof IdempotencyHeaders>)['idempotency-key'];
      const started = await runs.start(
        pipeline,
        (req.body ?? {}) as Static<typeof TriggerBody>,
        caller(req),
        key ? { idempotencyKey: key } : {},
      );
      return reply.code(202).header('location', started.links.self).send(started);
    },
  );

  app.get(
    '/v1/runs',
    {
      config: { minRole: 'viewer' },
      schema: {
        tags: ['runs'],
        summary: 'List runs (newest first), filtered and paginated',
        security: bearer,
        querystring: ListQuery,
        response: {
          200: Type.Object({ runs: Type.Array(RunSummary), nextCursor: Nullable(Type.String()) }),
          ...problemResponses,
        },
      },
    },
    async (req) => runs.list(req.query as Static<typeof ListQuery> & { pageSize: number }),
  );

  app.get(
    '/v1/runs/:runId',
    {
      config: { minRole: 'viewer' },
      schema: {
        tags: ['runs'],
        summary: 'A run: status, stage, candidate, metrics, what it waits for',
        security: bearer,
        params: RunParams,
        response: { 200: RunView, ...problemResponses },
      },
    },
    async (req) => runs.get((req.params as Static<typeof RunParams>).runId),
  );

  for (const action of ['approve', 'reject'] as const) {
    app.post(
      `/v1/runs/:runId/${action}`,
      {
        config: { minRole: 'approver' },
        schema: {
          tags: ['runs'],
          summary: `${action === 'approve' ? 'Approve' : 'Reject'} the run's candidate (identity from the token)`,
          security: bearer,
          params: RunParams,
          body: CommentBody,
          response: { 200: Decision, ...problemResponses, ...bodyProblemResponses },
        },
      },
      async (req) => {
        const { runId } = req.params as Static<typeof RunParams>;
        const { comment } = req.body as Static<typeof CommentBody>;
        const decision = await runs[action](runId, caller(req), comment, req.id);
        req.auditDetail = { before: { decision: null }, after: decision, detail: comment };
        return decision;
      },
    );
  }

  const RolloutAction = Type.Object(
    {
      runId: RunId,
      action: Type.Union(
        ['pause', 'resume', 'abort', 'promote-now'].map((a) => Type.Literal(a)),
        { examples: ['pause'] },
      ),
    },
    { additionalProperties: false },
  );
  app.post(
    '/v1/runs/:runId/rollout/:action',
    {
      config: { minRole: 'approver', bodyOptional: true },
      schema: {
        tags: ['runs'],
        summary: "Control the run's rollout: pause, resume, abort (roll back now) or promote-now",
        security: bearer,
        params: RolloutAction,
        body: Type.Object(
          { reason: Type.Optional(Type.String({ maxLength: 500 })) },
          { additionalProperties: false, examples: [{ reason: 'p99 latency is creeping up' }] },
        ),
        response: {
          200: Type.Object({
            runId: Type.String(),
            action: Type.String(),
            rollout: Type.Unsafe<Record<string, unknown>>({ type: 'object', additionalProperties: true }),
          }),
          ...problemResponses,
          ...bodyProblemResponses,
        },
      },
    },
    async (req) => {
      const { runId, action } = req.params as {
        runId: string;
        action: 'pause' | 'resume' | 'abort' | 'promote-now';
      };
      const reason =
        (req.body as { reason?: string } | undefined)?.reason ?? `${action} by ${caller(req).name}`;
      return runs.controlRollout(runId, action, caller(req), reason);
    },
  );

  app.post(
    '/v1/runs/:runId/cancel',
    {
      config: { minRole: 'operator' },
      schema: {
        tags: ['runs'],
        summary: 'Cancel a running run',
        security: bearer,
        params: RunParams,
        response: { 202: Type.Object({ runId: Type.String(), status: Type.String() }), ...problemResponses },
      },
    },
    async (req, reply) =>
      reply.code(202).send(await runs.cancel((req.params as Static<typeof RunParams>).runId)),
  );
}
