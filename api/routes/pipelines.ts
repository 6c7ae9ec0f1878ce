// /v1/pipelines: list, read and register pipeline specs (the same schema as pipelines/*.yaml).
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { z } from 'zod';
import { pipelineSpecSchema } from '../../core/pipeline-spec/schema.js';
import type { SpecSource } from '../../core/pipelines/spec-store.js';
import { caller } from '../plugins/auth.js';
import { HttpProblem } from '../problem.js';
import { PrivilegedChangeRefusedError } from '../services/errors.js';
import type { PipelinesService } from '../services/pipelines.js';
import { requestValidatorCompiler } from '../validation.js';
import { acceptYamlBodies, yamlMediaTypes } from '../yaml-body.js';
import { bearer, bodyProblemResponses, PipelineParams, problemResponses } from '../schemas.js';

/** The spec schema as JSON Schema, for the OpenAPI document (validation itself is the zod schema). */
const SpecJsonSchema = z.toJSONSchema(pipelineSpecSchema, { io: 'input', unrepresentable: 'any' }) as Record<
  string,
  unknown
>;
delete SpecJsonSchema.$schema;

const SourceSchema = Type.Object({
  commit: Type.String(),
  path: Type.Union([Type.String(), Type.Null()]),
});

const PipelineRecordSchema = Type.Object({
  name: Type.String(),
  specHash: Type.String(),
  spec: Type.Unsafe<Record<string, unknown>>({ type: 'object', additionalProperties: true }),
  updatedAt: Type.String(),
  updatedBy: Type.String(),
  privilegedBy: Type.Optional(
    Type.Union([Type.String(), Type.Null()], {
      description: 'who last set or changed a privileged field (null: all at their defaults)',
    }),
  ),
  source: Type.Union([SourceSchema, Type.Null()], {
    description: 'the commit (and file) the current version was applied from; null when none was named',
  }),
});

/** What a PUT answers: the record (as it is, or would be on a dry run) and what the apply did. */
const ApplyResultSchema = Type.Object({
  ...PipelineRecordSchema.properties,
  outcome: Type.Union([Type.Literal('created'), Type.Literal('changed'), Type.Literal('unchanged')]),
  changedFields: Type.Array(Type.String(), {
    description:
      'dotted spec paths that differ from the current version, sorted; empty when created or unchanged',
  }),
  dryRun: Type.Boolean({ description: 'true: nothing was stored and no schedule was synced' }),
  warnings: Type.Array(Type.String(), {
    description: 'checks that could not be made now, e.g. against a dataset with no snapshot yet',
  }),
});

const SpecVersionSchema = Type.Object({
  specHash: Type.String(),
  updatedAt: Type.String(),
  updatedBy: Type.String(),
  source: Type.Union([SourceSchema, Type.Null()]),
  privilegedBy: Type.Union([Type.String(), Type.Null()]),
});

const ApplyQuery = Type.Object(
  {
    dryRun: Type.Optional(
      Type.Boolean({
        default: false,
        description: 'true: make every check and answer as an apply would, but store nothing (always 200)',
      }),
    ),
  },
  { additionalProperties: false },
);

const sourcePathPattern = '^[A-Za-z0-9_.@+-]+(/[A-Za-z0-9_.@+-]+)*$';
const ApplyHeaders = Type.Object({
  'ferry-source-commit': Type.Optional(
    Type.String({
      pattern: '^[0-9a-fA-F]{7,40}$',
      'x-rule': 'must be a commit id of 7 to 40 hex digits',
      description: 'the commit the spec comes from, recorded with the version it creates',
      examples: ['3f2c1ab'],
    }),
  ),
  'ferry-source-path': Type.Optional(
    Type.String({
      pattern: sourcePathPattern,
      maxLength: 1024,
      'x-rule': 'must be a relative path of letters, digits and "_.@+-" separated by "/"',
      description: "the spec file's path in that commit's tree (needs ferry-source-commit)",
      examples: ['pipelines/churn.yaml'],
    }),
  ),
});

export function pipelineRoutes(fastify: FastifyInstance, pipelines: PipelinesService): void {
  // Typed by the schemas: handlers get params, query, headers and body with no casts.
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/v1/pipelines',
    {
      config: { minRole: 'viewer' },
      schema: {
        tags: ['pipelines'],
        summary: 'List registered pipelines',
        security: bearer,
        response: { 200: Type.Object({ pipelines: Type.Array(PipelineRecordSchema) }), ...problemResponses },
      },
    },
    async () => ({ pipelines: (await pipelines.list()).map((r) => ({ ...r, source: r.source ?? null })) }),
  );

  app.get(
    '/v1/pipelines/:pipeline',
    {
      config: { minRole: 'viewer' },
      schema: {
        tags: ['pipelines'],
        summary: 'Read a pipeline and its current spec',
        security: bearer,
        params: PipelineParams,
        response: { 200: PipelineRecordSchema, ...problemResponses },
      },
    },
    async (req) => {
      const r = await pipelines.get(req.params.pipeline);
      return { ...r, source: r.source ?? null };
    },
  );

  app.get(
    '/v1/pipelines/:pipeline/versions',
    {
      config: { minRole: 'viewer' },
      schema: {
        tags: ['pipelines'],
        summary: "A pipeline's spec history, newest first: each change of its current version",
        security: bearer,
        params: PipelineParams,
        response: { 200: Type.Object({ versions: Type.Array(SpecVersionSchema) }), ...problemResponses },
      },
    },
    async (req) => ({ versions: await pipelines.versions(req.params.pipeline) }),
  );

  app.delete(
    '/v1/pipelines/:pipeline',
    {
      config: { minRole: 'approver' },
      schema: {
        tags: ['pipelines'],
        summary:
          'Unregister a pipeline and delete its schedules; its runs, models and spec versions stay (a spec in the pipelines directory returns at the next start-up)',
        security: bearer,
        params: PipelineParams,
        response: { 204: Type.Null({ description: 'unregistered' }), ...problemResponses },
      },
    },
    async (req, reply) => {
      const removed = await pipelines.remove(req.params.pipeline);
      req.auditDetail = {
        before: { specHash: removed.specHash },
        after: null,
        detail: 'unregistered; schedules deleted',
      };
      return reply.code(204).send(null);
    },
  );

  // The spec may come as YAML too; only this scope parses YAML bodies.
  void app.register(async (scope) => {
    acceptYamlBodies(scope);
    specPutRoute(scope, pipelines);
  });
}

/** PUT /v1/pipelines/{pipeline}: the spec as JSON or YAML, the same rules either way. */
function specPutRoute(fastify: FastifyInstance, pipelines: PipelinesService): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const text = requestValidatorCompiler();
  app.put(
    '/v1/pipelines/:pipeline',
    {
      config: { minRole: 'operator' },
      schema: {
        tags: ['pipelines'],
        summary:
          'Register or update a pipeline spec (versioned by content hash); approval, evaluation thresholds, rollout and webhook fields need role approver',
        security: bearer,
        params: PipelineParams,
        querystring: ApplyQuery,
        headers: ApplyHeaders,
        consumes: ['application/json', ...yamlMediaTypes],
        description:
          "The body is a pipeline spec, as JSON or YAML (application/yaml, application/x-yaml or text/yaml; YAML that does not parse is a 400 invalid-spec naming line:column). Rules the schema cannot state are answered with 400 invalid-spec naming the field: `name` must equal the path's pipeline; ranges' min ≤ max; split test + validation < 0.9; rollout steps increase strictly and end at 100; drift warn ≤ fail; dataset.features must not hold the label, dataset.categorical ⊆ features, evaluation.slices ⊆ categorical; primaryMetric must suit the task; a webhook URL must be an allowed host (FERRY_WEBHOOK_ALLOW).",
        body: Type.Unsafe<Record<string, unknown>>({
          ...SpecJsonSchema,
          type: 'object',
          examples: [
            {
              name: 'churn',
              description: 'Predict whether a subscriber cancels within 30 days.',
              model: 'churn',
              dataset: { name: 'churn', label: 'churned', categorical: ['plan', 'region', 'payment_method'] },
              task: 'binary',
              training: { epochs: 12, batchSize: 128 },
            },
          ],
        }),
        response: {
          200: ApplyResultSchema,
          201: ApplyResultSchema,
          ...problemResponses,
          ...bodyProblemResponses,
        },
      },
      // The zod schema is the body's validator (it names every path and rule); its JSON Schema is
      // documentation. Params, query and headers are validated as on every route.
      validatorCompiler: (route) => (route.httpPart === 'body' ? (data) => ({ value: data }) : text(route)),
    },
    async (req, reply) => {
      const dryRun = req.query.dryRun === true;
      // A dry run's audit event says so: it stored nothing.
      if (dryRun) req.auditDetail = { detail: 'dry run: nothing stored' };
      const source = sourceOf(req.headers['ferry-source-commit'], req.headers['ferry-source-path']);
      try {
        // The audit event shows what changed where it matters: the privileged fields, before and after.
        const { put, warnings } = await pipelines.register(
          req.params.pipeline,
          req.body,
          caller(req),
          (audit) => {
            req.auditDetail = audit;
          },
          { dryRun, ...(source ? { source } : {}) },
        );
        return await reply.code(put.created && !dryRun ? 201 : 200).send({
          ...put.record,
          source: put.record.source ?? null,
          outcome: put.outcome,
          changedFields: put.changedFields,
          dryRun,
          warnings,
        });
      } catch (err) {
        // A refused privileged change is audited with the fields it tried to change.
        if (err instanceof PrivilegedChangeRefusedError) req.auditDetail = err.audit;
        throw err;
      }
    },
  );
}

/** The source headers as a record's source; a path needs a commit and may not climb out of the tree. */
function sourceOf(commit: string | undefined, path: string | undefined): SpecSource | undefined {
  if (path !== undefined && commit === undefined)
    throw new HttpProblem(400, 'invalid-source', 'ferry-source-path needs ferry-source-commit', [
      { field: 'headers.ferry-source-path', rule: 'needs header ferry-source-commit' },
    ]);
  if (path !== undefined && path.split('/').some((seg) => seg === '.' || seg === '..'))
    throw new HttpProblem(400, 'invalid-source', 'ferry-source-path must not hold "." or ".." segments', [
      { field: 'headers.ferry-source-path', rule: 'must not hold "." or ".." segments' },
    ]);
  return commit === undefined ? undefined : { commit: commit.toLowerCase(), path: path ?? null };
}
