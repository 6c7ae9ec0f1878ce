// Schemas shared by several routes. Types derive from schemas (Static), never the reverse.
import { Type, type Static } from 'typebox';

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String(),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), rule: Type.String() }))),
  },
  { $id: 'Problem', description: 'RFC 9457 problem details' },
);
export type ProblemBody = Static<typeof ProblemSchema>;

/** Responses every authenticated route may give besides its own. */
export const problemResponses = {
  400: Type.Ref('Problem'),
  401: Type.Ref('Problem'),
  403: Type.Ref('Problem'),
  404: Type.Ref('Problem'),
  409: Type.Ref('Problem'),
  429: Type.Ref('Problem'),
  500: Type.Ref('Problem'),
};

/** Names that become object-key segments: no slashes, dots or traversal. */
export const SafeName = Type.String({
  pattern: '^[a-z0-9][a-z0-9_-]{0,62}$',
  description: 'lowercase letters, digits, "_" and "-", up to 63',
});
export const RunId = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,200}$',
  description: 'a workflow id',
});
export const Sha256 = Type.String({ pattern: '^[a-f0-9]{64}$' });

export const PipelineParams = Type.Object({ pipeline: SafeName }, { additionalProperties: false });
export const RunParams = Type.Object({ runId: RunId }, { additionalProperties: false });
export const ModelParams = Type.Object({ model: SafeName }, { additionalProperties: false });

export const bearer = [{ bearerAuth: [] }];
