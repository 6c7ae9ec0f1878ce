// Bearer-token and session-cookie authentication, CSRF and role checks, decided from the route that
// matched and its config, never from the URL string: every route needs a token (or the session cookie
// a token was exchanged for) unless its config opts out with `public` or `signIn`.
import { FailureType, typedError } from '../../core/errors.js';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authenticate, type Identity, type StoredToken } from '../../core/auth/tokens.js';
import type { ApiRole } from '../../core/config.js';
import { HttpProblem } from '../problem.js';
import { csrfHeader, sessionCookie, type Session, type Sessions } from '../sessions.js';

declare module 'fastify' {
  interface FastifyRequest {
    identity?: Identity;
    /** The console session the call was authenticated by (absent with a bearer token). */
    session?: Session;
  }
  interface FastifyContextConfig {
    /** The least role that may call the route; absent = any authenticated caller (viewer). */
    minRole?: ApiRole;
    /**
     * true: the route answers without a token (health-type routes only, never under /v1). A valid
     * token is still recognised, so the route may tell an authenticated caller more.
     */
    public?: boolean;
    /** true: the route takes a token in its body and starts a session (POST /v1/session only). */
    signIn?: boolean;
  }
}

/** Roles in increasing power: each includes the rights of those before it. */
export const roleRank: Record<ApiRole, number> = { viewer: 0, operator: 1, approver: 2, admin: 3 };

/** The authenticated caller (every route that is not public has one). */
export function caller(req: FastifyRequest): Identity {
  if (!req.identity)
    throw new HttpProblem(401, 'unauthenticated', 'a valid bearer token or session is required');
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
  | { kind: 'none' }
  | { kind: 'malformed' }
  | { kind: 'invalid' }
  | { kind: 'invalid-session' }
  | { kind: 'valid'; identity: Identity; session?: Session };

function presented(tokens: readonly StoredToken[], header: string | string[] | undefined): Presented {
  if (header === undefined) return { kind: 'none' };
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (!match) return { kind: 'malformed' };
  const identity = authenticate(tokens, match[1]!);
  return identity ? { kind: 'valid', identity } : { kind: 'invalid' };
}

/** An Authorization header wins; without one, the session cookie (when sessions are on) is the credential. */
async function credentialOf(
  req: FastifyRequest,
  tokens: readonly StoredToken[],
  sessions: Sessions | undefined,
): Promise<Presented> {
  const bearer = presented(tokens, req.headers.authorization);
  const cookie = sessions && bearer.kind === 'none' ? req.cookies[sessionCookie] : undefined;
  if (cookie === undefined) return bearer;
  const session = await sessions!.open(cookie);
  return session ? { kind: 'valid', identity: session.identity, session } : { kind: 'invalid-session' };
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export const authPlugin = fp(
  async (app: FastifyInstance, opts: { tokens: readonly StoredToken[]; sessions?: Sessions }) => {
    app.decorateRequest('identity', undefined);
    app.decorateRequest('session', undefined);

    // Refuse, at start-up, a route that opts out of authentication where it must not.
    app.addHook('onRoute', (route) => {
      const name = `${String(route.method)} ${route.url}`;
      // The one route that takes no credential in headers is the sign-in itself.
      if (route.config?.signIn === true && (name !== 'POST /v1/session' || route.config.minRole))
        throw new RouteAuthConfigError(name, '`signIn` is for POST /v1/session alone, without a `minRole`');
      if (route.config?.public !== true) return;
      if (route.url === '/v1' || route.url.startsWith('/v1/'))
        throw new RouteAuthConfigError(name, 'routes under /v1 always need a token; remove `public`');
      if (route.config.minRole)
        throw new RouteAuthConfigError(name, 'a public route cannot also declare a `minRole`');
      if (route.config.signIn === true)
        throw new RouteAuthConfigError(name, 'a sign-in route takes its token in the body; remove `public`');
    });

    // onRequest runs after routing, so routeOptions is the route the router matched, however the
    // path was spelled. No matched route: the 404 handler answers; it tells a valid token (only) that
    // the path exists under other methods (405).
    app.addHook('onRequest', async (req) => {
      const config = req.routeOptions.config;
      // The sign-in route checks the token in its body itself (and counts failures); a cookie is ignored.
      if (req.routeOptions.url !== undefined && config.signIn === true) return;
      const token = await credentialOf(req, opts.tokens, opts.sessions);
      if (req.routeOptions.url === undefined) {
        if (token.kind === 'valid') req.identity = token.identity;
        return;
      }
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
      if (token.kind === 'invalid-session')
        throw new HttpProblem(
          401,
          'unauthenticated',
          'the session is not valid or has expired: sign in again (POST /v1/session)',
        );
      req.identity = token.identity;
      req.session = token.session;
      // A cookie is sent by the browser whoever made the page: a change needs proof the console made it.
      if (
        token.session &&
        !safeMethods.has(req.method) &&
        !opts.sessions!.csrfMatches(token.session, req.headers[csrfHeader])
      )
        throw new HttpProblem(
          403,
          'csrf',
          `a call authenticated by the session cookie that changes something must send header ${csrfHeader} with the session's csrfToken`,
        );
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
