// Schemas shared by several routes. Types derive from schemas (Static), never the reverse.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Type } from 'typebox';

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

/** A problem answer as the OpenAPI document must show it: the media type the error handler sends. */
export const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: Type.Ref('Problem') } },
});

/** Responses every authenticated route may give besides its own. */
const problemResponses = {
  400: problem('the request breaks a rule: `errors` names each field and rule'),
  401: problem('no valid bearer token'),
  403: problem("the token's role may not do this"),
  404: problem('no such resource'),
  409: problem('the resource is not in a state that allows this'),
  429: problem('rate limit exceeded'),
  500: problem('internal error (details only in the server log)'),
  503: problem('a dependency (Temporal or object storage) is unavailable: retry after Retry-After seconds'),
};

/** Responses a route that reads a JSON body may give besides `problemResponses`. */
const bodyProblemResponses = {
  413: problem('the body is larger than the limit'),
  415: problem('the Content-Type is not one the operation accepts'),
};

/** The app the route modules add to: routes typed by their schemas get params, query, headers and body with no casts. */
export type TypedApp = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** `T` or null. */
export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) =>
  Type.Union([t, Type.Null()]);

/** Names that become object-key segments: no slashes, dots or traversal. */
export const SafeName = Type.String({
  pattern: '^[a-z0-9][a-z0-9_-]{0,62}$',
  description: 'lowercase letters, digits, "_" and "-", up to 63',
  examples: ['churn'],
});
export const RunId = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,200}$',
  description: 'a workflow id',
  examples: ['train-churn-20261202T020000Z-4437b4d6'],
});
export const Sha256 = Type.String({ pattern: '^[a-f0-9]{64}$' });

export const PipelineParams = Type.Object({ pipeline: SafeName }, { additionalProperties: false });
export const RunParams = Type.Object({ runId: RunId }, { additionalProperties: false });
export const ModelParams = Type.Object({ model: SafeName }, { additionalProperties: false });

/**
 * Adds the shared schemas to an app, and states once what every /v1 route declares alike (its routes are
 * added after): a bearer token, `problemResponses`, and `bodyProblemResponses` if it reads a body.
 * A route's own responses win.
 */
export function registerSharedSchemas(app: FastifyInstance): void {
  app.addSchema(ProblemSchema);
  app.addHook('onRoute', ({ url, schema }) => {
    if (!url.startsWith('/v1/') || !schema) return;
    schema.security ??= [{ bearerAuth: [] }];
    schema.response = {
      ...problemResponses,
      ...(schema.body ? bodyProblemResponses : {}),
      ...(schema.response as object | undefined),
    };
  });
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * true: the body may be left out (no body and no Content-Type), and is then validated and handled as
     * `{}`; the OpenAPI document marks it not required.
     */
    bodyOptional?: boolean;
  }
}
