// The signed-in session (POST/GET/DELETE /v1/session, an HttpOnly cookie): who the caller is, their
// role and the CSRF token that every mutating call must carry. A 401 anywhere ends the session.
import { signal } from '@preact/signals';
import type { paths } from '../../core/contracts/http-api.ts';

/** The session as GET /v1/session answers it. */
export type Session = paths['/v1/session']['get']['responses'][200]['content']['application/json'];
export type Role = Session['role'];

/** undefined: not known yet (asking the server); null: signed out. */
export const session = signal<Session | null | undefined>(undefined);

/** Why the sign-in page is shown, when it is not the first visit (expired, signed out). */
export const signInNotice = signal<string | null>(null);

const rank: Record<Role, number> = { viewer: 0, operator: 1, approver: 2, admin: 3 };

/** Whether the signed-in role may call a route needing `min` (the API decides; this hides controls). */
export function can(min: Role): boolean {
  const s = session.value;
  return !!s && rank[s.role] >= rank[min];
}

async function sessionCall(method: 'GET' | 'POST' | 'DELETE', body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const csrf = session.peek()?.csrfToken;
  if (method === 'DELETE' && csrf) headers['x-ferry-csrf'] = csrf;
  return fetch('/v1/session', {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? null : JSON.stringify(body),
  });
}

/** Asks the server whether the cookie is still a session. */
export async function loadSession(): Promise<void> {
  const res = await sessionCall('GET').catch(() => null);
  session.value = res?.ok ? ((await res.json()) as Session) : null;
}

/** Exchanges an API token for a session; answers the problem's detail when refused. */
export async function signIn(token: string): Promise<string | null> {
  const res = await sessionCall('POST', { token });
  if (res.ok) {
    session.value = (await res.json()) as Session;
    signInNotice.value = null;
    return null;
  }
  const problem = (await res.json().catch(() => ({}))) as { detail?: string; title?: string };
  return res.status === 401
    ? 'That token was not accepted: check it and try again.'
    : (problem.detail ?? problem.title ?? `sign-in failed (HTTP ${res.status})`);
}

export async function signOut(): Promise<void> {
  await sessionCall('DELETE').catch(() => null);
  signInNotice.value = 'You are signed out.';
  session.value = null;
}

/** Called on any 401 from the API: the session expired or was revoked. */
export function sessionEnded(): void {
  if (session.peek()) signInNotice.value = 'Your session has ended: sign in again.';
  session.value = null;
}
