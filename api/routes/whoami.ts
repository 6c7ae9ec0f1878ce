// /v1/whoami: who the bearer token belongs to and its role, so a client can check its credentials
// (and what it may do) before it acts.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { apiRoles } from '../../core/config.js';
import { caller } from '../plugins/auth.js';
import { bearer, problemResponses } from '../schemas.js';

const Identity = Type.Object(
  {
    name: Type.String({ description: "the token's name, recorded as the caller in decisions and audit" }),
    role: Type.Union(
      apiRoles.map((r) => Type.Literal(r)),
      { description: 'each role includes the rights of those before it' },
    ),
  },
  { examples: [{ name: 'ada-approver', role: 'approver' }] },
);

export function whoamiRoutes(fastify: FastifyInstance): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/v1/whoami',
    {
      config: { minRole: 'viewer' },
      schema: {
        tags: ['auth'],
        summary: "The caller's token name and role",
        security: bearer,
        response: { 200: Identity, ...problemResponses },
      },
    },
    async (req) => {
      const { name, role } = caller(req);
      return { name, role };
    },
  );
}
