// Bearer-token authentication and role checks, decided from the route that matched and its config,
// never from the URL string: every route needs a token unless its config opts out with `public`.
import { FailureType, typedError } from '../../core/errors.js';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authenticate, type Identity, type StoredToken } from '../../core/auth/tokens.js';
import type { ApiRole } from '../../core/config.js';
import { HttpProblem } from '../problem.js';

declare module 'fastify' {
  interface FastifyRequest {
    identity?: Identity;
  }
  interface FastifyContextConfig {
    /** The least role that may call the route; absent = any authenticated caller (viewer). */
    minRole?: ApiRole;
    /**
     * true: the route answers without a token (health-type routes only, never under /v1). A valid
     * token is still recognised, so the route may tell an authenticated caller more.
     */
    public?: boolean;
  }
}

/** Roles in increasing power: each includes the rights of those before it. */
export const roleRank: Record<ApiRole, number> = { viewer: 0, operator: 1, approver: 2, admin: 3 };

/** The authenticated caller (every route that is not public has one). */
export function caller(req: FastifyRequest): Identity {
  if (!req.identity) throw new HttpProblem(401, 'unauthenticated', 'a valid bearer token is required');
  return req.identity;
}

/** Thrown at start-up when a route's auth config contradicts itself or opens a /v1 route. */
export class RouteAuthConfigError extends typedError(FailureType.Internal) {
  constructor(
    readonly route: string,
    readonly rule: string,
  ) {
    super(`route ${route}: ${rule}`);
  }
}

type Presented =
  { kind: 'none' } | { kind: 'malformed' } | { kind: 'invalid' } | { kind: 'valid'; identity: Identity };

function presented(tokens: readonly StoredToken[], header: string | string[] | undefined): Presented {
  if (header === undefined) return { kind: 'none' };
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (!match) return { kind: 'malformed' };
  const identity = authenticate(tokens, match[1]!);
  return identity ? { kind: 'valid', identity } : { kind: 'invalid' };
}

export const authPlugin = fp(
  async (app: FastifyInstance, opts: { tokens: readonly StoredToken[] }) => {
    app.decorateRequest('identity', undefined);

    // Refuse, at start-up, a route that opts out of authentication where it must not.
    app.addHook('onRoute', (route) => {
      const name = `${String(route.method)} ${route.url}`;
      if (route.config?.public !== true) return;
      if (route.url === '/v1' || route.url.startsWith('/v1/'))
        throw new RouteAuthConfigError(name, 'routes under /v1 always need a token; remove `public`');
      if (route.config.minRole)
        throw new RouteAuthConfigError(name, 'a public route cannot also declare a `minRole`');
    });

    // onRequest runs after routing, so routeOptions is the route the router matched, however the
    // path was spelled. No matched route: the 404 handler answers; it tells a valid token (only) that
    // the path exists under other methods (405).
    app.addHook('onRequest', async (req) => {
      const token = presented(opts.tokens, req.headers.authorization);
      if (req.routeOptions.url === undefined) {
        if (token.kind === 'valid') req.identity = token.identity;
        return;
      }
      const config = req.routeOptions.config;
      if (config.public === true) {
        // An invalid token on a public route is ignored: a probe with a stale token stays a probe.
        if (token.kind === 'valid') req.identity = token.identity;
        return;
      }
      if (token.kind === 'none' || token.kind === 'malformed')
        throw new HttpProblem(
          401,
          'unauthenticated',
          'missing bearer token: send "Authorization: Bearer <token>"',
        );
      if (token.kind === 'invalid')
        throw new HttpProblem(401, 'unauthenticated', 'the bearer token is not valid');
      req.identity = token.identity;
      // Roles are checked before the body is read or validated: a caller without the right learns nothing.
      const minRole = config.minRole ?? 'viewer';
      if (roleRank[token.identity.role] < roleRank[minRole])
        throw new HttpProblem(
          403,
          'forbidden',
          `role "${token.identity.role}" may not do this; it needs "${minRole}" or higher`,
        );
    });
  },
  { name: 'ferry-auth' },
);
