// /v1/pipelines: list, read and register pipeline specs (the same schema as pipelines/*.yaml).
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { z } from 'zod';
import { pipelineSpecSchema } from '../../core/pipeline-spec/schema.js';
import { caller } from '../plugins/auth.js';
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
    async () => ({ pipelines: await pipelines.list() }),
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
    async (req) => pipelines.get(req.params.pipeline),
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
          200: PipelineRecordSchema,
          201: PipelineRecordSchema,
          ...problemResponses,
          ...bodyProblemResponses,
        },
      },
      // The zod schema is the body's validator (it names every path and rule); its JSON Schema is
      // documentation. Params, query and headers are validated as on every route.
      validatorCompiler: (route) => (route.httpPart === 'body' ? (data) => ({ value: data }) : text(route)),
    },
    async (req, reply) => {
      try {
        // The audit event shows what changed where it matters: the privileged fields, before and after.
        const { record, created } = await pipelines.register(
          req.params.pipeline,
          req.body,
          caller(req),
          (audit) => {
            req.auditDetail = audit;
          },
        );
        return await reply.code(created ? 201 : 200).send(record);
      } catch (err) {
        // A refused privileged change is audited with the fields it tried to change.
        if (err instanceof PrivilegedChangeRefusedError) req.auditDetail = err.audit;
        throw err;
      }
    },
  );
}
