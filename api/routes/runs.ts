// /v1/pipelines/{pipeline}/runs and /v1/runs: trigger, list, read, approve, reject, cancel.
import { Type } from 'typebox';
import type { RolloutStatus } from '../../core/contracts/index.js';
import { caller } from '../plugins/auth.js';
import { Nullable, PipelineParams, RunId, RunParams, SafeName, type TypedApp } from '../schemas.js';
import { Decision, Links, RunSummary, RunView, TriggerBody } from '../run-schemas.js';
import { runStatuses, type RunsService } from '../services/runs.js';

/** Runs per page when the query names no `pageSize` (the schema's default, which Ajv fills in). */
export const defaultPageSize = 50;

export const ListQuery = Type.Object(
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
    pageSize: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 200, default: defaultPageSize, examples: [20] }),
    ),
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

export function runRoutes(app: TypedApp, runs: RunsService): void {
  app.post(
    '/v1/pipelines/:pipeline/runs',
    {
      config: { minRole: 'operator', bodyOptional: true },
      schema: {
        tags: ['runs'],
        summary: 'Start a training run (Idempotency-Key: the same key returns the same run)',
        params: PipelineParams,
        headers: IdempotencyHeaders,
        body: TriggerBody,
        response: {
          202: Type.Object({ runId: Type.String(), status: Type.String(), links: Links }),
        },
      },
    },
    async (req, reply) => {
      const { pipeline } = req.params;
      const key = req.headers['idempotency-key'];
      const started = await runs.start(
        pipeline,
        req.body ?? {},
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
        querystring: ListQuery,
        response: {
          200: Type.Object({ runs: Type.Array(RunSummary), nextCursor: Nullable(Type.String()) }),
        },
      },
    },
    async (req) => runs.list({ ...req.query, pageSize: req.query.pageSize ?? defaultPageSize }),
  );

  app.get(
    '/v1/runs/:runId',
    {
      config: { minRole: 'viewer' },
      schema: {
        tags: ['runs'],
        summary: 'A run: status, stage, candidate, metrics, what it waits for',
        params: RunParams,
        response: { 200: RunView },
      },
    },
    async (req) => runs.get(req.params.runId),
  );

  for (const action of ['approve', 'reject'] as const) {
    app.post(
      `/v1/runs/:runId/${action}`,
      {
        config: { minRole: 'approver' },
        schema: {
          tags: ['runs'],
          summary: `${action === 'approve' ? 'Approve' : 'Reject'} the run's candidate (identity from the token)`,
          params: RunParams,
          body: CommentBody,
          response: { 200: Decision },
        },
      },
      async (req) => {
        const { runId } = req.params;
        const { comment } = req.body;
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
        (['pause', 'resume', 'abort', 'promote-now'] as const).map((a) => Type.Literal(a)),
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
        params: RolloutAction,
        body: Type.Object(
          { reason: Type.Optional(Type.String({ maxLength: 500 })) },
          { additionalProperties: false, examples: [{ reason: 'p99 latency is creeping up' }] },
        ),
        response: {
          200: Type.Object({
            runId: Type.String(),
            action: Type.String(),
            rollout: Type.Unsafe<RolloutStatus>({ type: 'object', additionalProperties: true }),
          }),
        },
      },
    },
    async (req) => {
      const { runId, action } = req.params;
      const reason = req.body?.reason ?? `${action} by ${caller(req).name}`;
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
        params: RunParams,
        response: { 202: Type.Object({ runId: Type.String(), status: Type.String() }) },
      },
    },
    async (req, reply) => reply.code(202).send(await runs.cancel(req.params.runId)),
  );
}
