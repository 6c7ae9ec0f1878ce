// /v1/pipelines: list, read and register pipeline specs (the same schema as pipelines/*.yaml).
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { z } from 'zod';
import type { PipelineRecord } from '../../core/pipelines/catalog.js';
import { parseSpec, SpecError } from '../../core/spec/load.js';
import { PrivilegedFieldError, privilegedRoles } from '../../core/spec/privileged.js';
import { pipelineSpecSchema } from '../../core/spec/schema.js';
import { redactedUrl, redactSpec } from '../../core/webhooks/secrets.js';
import { checkWebhookUrl, WebhookTargetRefusedError } from '../../core/webhooks/target.js';
import { caller } from '../plugins/auth.js';
import { syncMonitorSchedule } from '../services/monitor-schedules.js';
import { onPipelineChanged } from '../services/schedules.js';
import { HttpProblem } from '../problem.js';
import { bearer, bodyProblemResponses, PipelineParams, problemResponses } from '../schemas.js';
import type { ApiDeps } from '../deps.js';

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

/** A record as answers show it: webhook URLs are secrets. */
const redacted = (r: PipelineRecord): PipelineRecord => ({ ...r, spec: redactSpec(r.spec) });

/** A privileged field's value as the audit log records it: a webhook URL only as set or not. */
const audited = (field: string, v: unknown): unknown =>
  field === 'monitoring.webhookUrl' && v !== null ? redactedUrl : v;

export function pipelineRoutes(fastify: FastifyInstance, deps: ApiDeps): void {
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
    async () => ({
      pipelines: (await deps.pipelines.list()).sort((a, b) => a.name.localeCompare(b.name)).map(redacted),
    }),
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
      const { pipeline } = req.params;
      return redacted(await deps.pipelines.get(pipeline));
    },
  );

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
        description:
          "The body is a pipeline spec. Rules the schema cannot state are answered with 400 invalid-spec naming the field: `name` must equal the path's pipeline; ranges' min ≤ max; split test + validation < 0.9; rollout steps increase strictly and end at 100; drift warn ≤ fail; dataset.features must not hold the label, dataset.categorical ⊆ features, evaluation.slices ⊆ categorical; primaryMetric must suit the task; a webhook URL must be an allowed host (FERRY_WEBHOOK_ALLOW).",
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
      // The zod schema is the validator (it names every path and rule); the JSON Schema is documentation.
      validatorCompiler: () => (data) => ({ value: data }),
    },
    async (req, reply) => {
      const { pipeline } = req.params;
      let spec;
      try {
        spec = parseSpec(req.body, 'request body');
      } catch (err) {
        if (err instanceof SpecError) {
          throw new HttpProblem(
            400,
            'invalid-spec',
            err.message,
            err.issues.map((i) => ({ field: `body.${i.path}`, rule: i.rule })),
          );
        }
        throw err;
      }
      if (spec.name !== pipeline)
        throw new HttpProblem(
          400,
          'invalid-spec',
          `body.name "${spec.name}" must equal the path's pipeline "${pipeline}"`,
          [{ field: 'body.name', rule: `must equal "${pipeline}"` }],
        );
      const webhookUrl = spec.monitoring?.webhookUrl;
      if (webhookUrl) {
        try {
          await checkWebhookUrl(deps.webhookPolicy, webhookUrl, { resolve: 'if-possible' });
        } catch (err) {
          if (err instanceof WebhookTargetRefusedError)
            throw new HttpProblem(400, 'invalid-spec', `body.monitoring.webhookUrl: ${err.rule}`, [
              { field: 'body.monitoring.webhookUrl', rule: `${err.rule} (see FERRY_WEBHOOK_ALLOW)` },
            ]);
          throw err;
        }
      }
      const who = caller(req);
      let put;
      try {
        put = await deps.pipelines.put(spec, { name: who.name, role: who.role });
      } catch (err) {
        if (err instanceof PrivilegedFieldError) {
          req.auditDetail = {
            before: Object.fromEntries(err.changes.map((c) => [c.field, audited(c.field, c.before)])),
            after: Object.fromEntries(err.changes.map((c) => [c.field, audited(c.field, c.after)])),
          };
          throw new HttpProblem(
            403,
            'privileged-field',
            err.message,
            err.changes.map((c) => ({
              field: `body.${c.field}`,
              rule: `may only be set or changed by role "${privilegedRoles.join('" or "')}"`,
            })),
          );
        }
        throw err;
      }
      const { record, created } = put;
      // The audit event shows what changed where it matters: the privileged fields, before and after.
      req.auditDetail = {
        before: {
          specHash: put.previous?.specHash ?? null,
          privileged: Object.fromEntries(
            put.privilegedChanges.map((c) => [c.field, audited(c.field, c.before)]),
          ),
        },
        after: {
          specHash: record.specHash,
          privileged: Object.fromEntries(
            put.privilegedChanges.map((c) => [c.field, audited(c.field, c.after)]),
          ),
        },
      };
      await onPipelineChanged(deps, record);
      await syncMonitorSchedule(deps, record);
      return reply.code(created ? 201 : 200).send(redacted(record));
    },
  );
}
