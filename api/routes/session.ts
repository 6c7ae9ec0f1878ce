// /v1/session: the web console's sign-in (an API token exchanged for a sealed HttpOnly cookie), the
// current session (with its CSRF token, which the page cannot read from the cookie) and sign-out.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { authenticate, hashSecret, type StoredToken } from '../../core/auth/tokens.js';
import { apiRoles, type ApiRole } from '../../core/config.js';
import { HttpProblem } from '../problem.js';
import { problem, type TypedApp } from '../schemas.js';
import { sessionCookie, type Session, type Sessions } from '../sessions.js';

const SessionView = Type.Object(
  {
    identity: Type.String({ description: "the token's name, recorded as the caller in decisions and audit" }),
    role: Type.Unsafe<ApiRole>(Type.Union(apiRoles.map((r) => Type.Literal(r)))),
    csrfToken: Type.String({
      description: 'send it as header x-ferry-csrf on every call that changes something',
    }),
    expiresAt: Type.String({ format: 'date-time' }),
  },
  {
    examples: [
      {
        identity: 'ada-approver',
        role: 'approver',
        csrfToken: 'Qm9vdHN0cmFwcGVkLWNzcmYtdG9rZW4',
        expiresAt: '2026-12-04T20:00:00.000Z',
      },
    ],
  },
);

const view = (s: Session) => ({
  identity: s.identity.name,
  role: s.identity.role,
  csrfToken: s.csrfToken,
  expiresAt: s.expiresAt.toISOString(),
});

/** The cookie's attributes: never readable by scripts, never sent cross-site, Secure over TLS. */
const cookieOptions = (req: FastifyRequest) =>
  ({ httpOnly: true, sameSite: 'strict', path: '/', secure: req.protocol === 'https' }) as const;

const noSession = () => new HttpProblem(401, 'unauthenticated', 'no session: sign in with POST /v1/session');

export function sessionRoutes(
  app: TypedApp,
  o: { tokens: readonly StoredToken[]; sessions: Sessions; failuresPerMinute: number },
): void {
  // Failed sign-ins are counted per address; a success costs nothing, so a person who mistypes is not locked out by colleagues.
  const failures = app.createRateLimit({
    max: o.failuresPerMinute,
    timeWindow: 60_000,
    keyGenerator: (req) => req.ip,
  });
  const refuseIfLimited = async (req: FastifyRequest, reply: FastifyReply) => {
    const state = await failures(req, { increment: false });
    if (state.isAllowed || state.remaining > 0) return;
    reply.header('retry-after', String(state.ttlInSeconds));
    throw new HttpProblem(
      429,
      'rate-limited',
      `too many failed sign-ins from this address; retry in ${state.ttlInSeconds} s`,
    );
  };

  app.post(
    '/v1/session',
    {
      config: { signIn: true },
      schema: {
        tags: ['auth'],
        summary: 'Sign in: exchange an API token for a session cookie (the web console)',
        description:
          'Sets the HttpOnly, SameSite=Strict cookie `ferry_session`. Calls that change something with it must send header `x-ferry-csrf` with `csrfToken`.',
        security: [],
        body: Type.Object(
          { token: Type.String({ minLength: 1, maxLength: 512, description: 'an API bearer token' }) },
          { additionalProperties: false, examples: [{ token: 'ferry_…' }] },
        ),
        response: { 200: SessionView, 401: problem('the token is not valid') },
      },
    },
    async (req, reply) => {
      await refuseIfLimited(req, reply);
      const identity = authenticate(o.tokens, req.body.token);
      if (!identity) {
        await failures(req);
        throw new HttpProblem(401, 'unauthenticated', 'the token is not valid');
      }
      const { cookie, session } = await o.sessions.issue({
        ...identity,
        sha256: hashSecret(req.body.token).toString('hex'),
      });
      // The audit event names who signed in (the auth hook set nobody: the token came in the body).
      req.identity = identity;
      req.auditDetail = {
        detail: `signed in; session ${session.id} until ${session.expiresAt.toISOString()}`,
      };
      reply.setCookie(sessionCookie, cookie, {
        ...cookieOptions(req),
        maxAge: Math.floor(o.sessions.ttlMs / 1000),
      });
      return view(session);
    },
  );

  app.get(
    '/v1/session',
    {
      config: { minRole: 'viewer' },
      schema: {
        tags: ['auth'],
        summary: 'The current session (cookie), with its CSRF token',
        response: { 200: SessionView },
      },
    },
    async (req) => {
      if (!req.session) throw noSession();
      return view(req.session);
    },
  );

  app.delete(
    '/v1/session',
    {
      config: { minRole: 'viewer' },
      schema: {
        tags: ['auth'],
        summary: 'Sign out: the session cookie is cleared and refused from now on',
        response: { 204: Type.Null({ description: 'signed out' }) },
      },
    },
    async (req, reply) => {
      if (!req.session) throw noSession();
      o.sessions.revoke(req.session);
      req.auditDetail = { detail: `signed out; session ${req.session.id}` };
      return reply.clearCookie(sessionCookie, cookieOptions(req)).code(204).send(null);
    },
  );
}
