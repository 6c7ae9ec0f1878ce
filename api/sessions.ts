// Web console sessions: a bearer token exchanged for a sealed cookie. The cookie is a JWE (direct key,
// A256GCM: encrypted and authenticated) under a key derived from FERRY_SESSION_SECRET, so it is
// stateless: any API replica with the same secret reads it, no session store is shared. It carries
// the token's hash (a token removed from the configuration ends its sessions, and the role is always
// the token's current one), the CSRF nonce and the expiry. Sign-out revokes the session's id in a
// list kept by this process until the session would have expired anyway.
import { hkdfSync, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { EncryptJWT, jwtDecrypt } from 'jose';
import type { Identity, StoredToken } from '../core/auth/tokens.js';

/** The session cookie's name. */
export const sessionCookie = 'ferry_session';
/** The header a cookie-authenticated mutating call carries the session's CSRF token in. */
export const csrfHeader = 'x-ferry-csrf';

/** A signed-in console session. */
export interface Session {
  readonly id: string;
  readonly identity: Identity;
  readonly csrfToken: string;
  readonly expiresAt: Date;
}

export interface Sessions {
  /** A new session for the holder of `token`, and the cookie value that carries it. */
  issue(token: StoredToken): Promise<{ cookie: string; session: Session }>;
  /** The session a cookie carries, or undefined when it is forged, expired, revoked or its token is gone. */
  open(cookie: string): Promise<Session | undefined>;
  /** Ends the session (sign-out): its cookie is refused from now on. */
  revoke(session: Session): void;
  /** Whether `presented` is the session's CSRF token (compared in constant time). */
  csrfMatches(session: Session, presented: string | string[] | undefined): boolean;
  readonly ttlMs: number;
}

const encryption = { alg: 'dir', enc: 'A256GCM' } as const;

export function createSessions(o: {
  /** FERRY_SESSION_SECRET (≥ 32 characters) or random bytes. */
  secret: string | Uint8Array;
  ttlMs: number;
  tokens: readonly StoredToken[];
  now: () => Date;
}): Sessions {
  // A key of its own for this use, whatever else the secret might be used for.
  const key = new Uint8Array(hkdfSync('sha256', o.secret, 'ferry', 'ferry session cookie v1', 32));
  /** Revoked session id → when its cookie would expire (after that it is refused anyway). */
  const revoked = new Map<string, number>();
  const forget = () => {
    const now = o.now().getTime();
    for (const [id, until] of revoked) if (until <= now) revoked.delete(id);
  };
  const identityOf = (sha256: string) => {
    const t = o.tokens.find((x) => x.sha256 === sha256);
    return t && { name: t.name, role: t.role };
  };

  return {
    ttlMs: o.ttlMs,
    async issue(token) {
      const now = o.now();
      const session: Session = {
        id: randomUUID(),
        identity: { name: token.name, role: token.role },
        csrfToken: randomBytes(24).toString('base64url'),
        // Whole seconds: a JWT's expiry is in seconds, and the body must say what the cookie holds.
        expiresAt: new Date(Math.floor((now.getTime() + o.ttlMs) / 1000) * 1000),
      };
      const cookie = await new EncryptJWT({ tok: token.sha256, csrf: session.csrfToken })
        .setProtectedHeader(encryption)
        .setJti(session.id)
        .setSubject(token.name)
        .setIssuedAt(Math.floor(now.getTime() / 1000))
        .setExpirationTime(session.expiresAt)
        .encrypt(key);
      return { cookie, session };
    },
    async open(cookie) {
      let payload;
      try {
        ({ payload } = await jwtDecrypt(cookie, key, {
          currentDate: o.now(),
          keyManagementAlgorithms: [encryption.alg],
          contentEncryptionAlgorithms: [encryption.enc],
          requiredClaims: ['jti', 'sub', 'exp'],
        }));
      } catch {
        // Forged, tampered, sealed under another key, malformed or expired: all the same to the caller.
        return undefined;
      }
      const { jti, sub, exp, tok, csrf } = payload;
      if (typeof tok !== 'string' || typeof csrf !== 'string' || revoked.has(jti!)) return undefined;
      const identity = identityOf(tok);
      if (!identity || identity.name !== sub) return undefined;
      return { id: jti!, identity, csrfToken: csrf, expiresAt: new Date(exp! * 1000) };
    },
    revoke(session) {
      forget();
      revoked.set(session.id, session.expiresAt.getTime());
    },
    csrfMatches(session, presented) {
      if (typeof presented !== 'string') return false;
      const a = Buffer.from(presented, 'utf8');
      const b = Buffer.from(session.csrfToken, 'utf8');
      return a.length === b.length && timingSafeEqual(a, b);
    },
  };
}
