// GET /v1/datasets/{name}/draft-spec: a first pipeline spec inferred from a dataset (for `ferry init`).
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { DraftSpecService } from '../services/draft-spec.js';
import { bearer, problemResponses, SafeName } from '../schemas.js';

const ColumnName = Type.String({
  pattern: '^[A-Za-z_][A-Za-z0-9_]{0,127}$',
  'x-rule': 'must be a plain column name (letters, digits, "_", not starting with a digit)',
  examples: ['churned'],
});

export function draftSpecRoutes(fastify: FastifyInstance, drafts: DraftSpecService): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/v1/datasets/:name/draft-spec',
    {
      config: { minRole: 'viewer' },
      schema: {
        tags: ['datasets', 'pipelines'],
        summary: "Draft a pipeline spec from the dataset's latest snapshot, predicting `label`",
        description:
          "The task follows from the label's values (2 distinct → binary, numeric with many → regression, else multiclass), categorical columns from type and cardinality, validation ranges and domains from the data's profile, training from its size. Privileged fields stay at their defaults, so the spec can be applied as is by an operator. `notes` say why each choice was made. A label that is not a column, or has fewer than 2 values, is a 400 naming querystring.label.",
        security: bearer,
        params: Type.Object({ name: SafeName }, { additionalProperties: false }),
        querystring: Type.Object(
          {
            label: ColumnName,
            pipeline: Type.Optional(SafeName),
            model: Type.Optional(SafeName),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            spec: Type.Unsafe<Record<string, unknown>>({
              type: 'object',
              additionalProperties: true,
              description: 'a pipeline spec (the body of PUT /v1/pipelines/{pipeline})',
            }),
            notes: Type.Array(Type.String()),
          }),
          ...problemResponses,
        },
      },
    },
    async (req) => drafts.draft(req.params.name, req.query),
  );
}
