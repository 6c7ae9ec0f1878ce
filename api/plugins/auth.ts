// Bearer-token authentication for /v1 and role checks per route (`config: { minRole }`).
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authenticate, type Identity } from '../../core/auth/tokens.js';
import type { ApiRole } from '../../core/config.js';
import { HttpProblem } from '../problem.js';

declare module 'fastify' {
  interface FastifyRequest {
    identity?: Identity;
  }
  interface FastifyContextConfig {
    /** The least role that may call the route; absent = any authenticated caller. */
    minRole?: ApiRole;
  }
}

/** Roles in increasing power: each includes the rights of those before it. */
export const roleRank: Record<ApiRole, number> = { viewer: 0, operator: 1, approver: 2, admin: 3 };

/** The authenticated caller (routes under /v1 always have one). */
export function caller(req: FastifyRequest): Identity {
  if (!req.identity) throw new HttpProblem(401, 'unauthenticated', 'a valid bearer token is required');
  return req.identity;
}

export const authPlugin = fp(
  async (
    app: FastifyInstance,
    opts: { tokens: readonly import('../../core/auth/tokens.js').StoredToken[] },
  ) => {
    app.decorateRequest('identity', undefined);
    app.addHook('onRequest', async (req) => {
      if (!req.url.startsWith('/v1/') && req.url !== '/v1') return;
      const header = req.headers.authorization;
      const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
      if (!match)
        throw new HttpProblem(
          401,
          'unauthenticated',
          'missing bearer token: send "Authorization: Bearer <token>"',
        );
      const identity = authenticate(opts.tokens, match[1]!);
      if (!identity) throw new HttpProblem(401, 'unauthenticated', 'the bearer token is not valid');
      req.identity = identity;
    });
    app.addHook('preHandler', async (req) => {
      const minRole = req.routeOptions.config?.minRole;
      if (!minRole || !req.identity) return;
      if (roleRank[req.identity.role] < roleRank[minRole]) {
        throw new HttpProblem(
          403,
          'forbidden',
          `role "${req.identity.role}" may not do this; it needs "${minRole}" or higher`,
        );
      }
    });
  },
  { name: 'ferry-auth' },
);
