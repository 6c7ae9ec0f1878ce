// The typed API client (types generated from the OpenAPI document into core/contracts/http-api.ts): same-origin,
// the session cookie for auth, the CSRF header on every mutating call, and a 401 ending the session.
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from '../../core/contracts/http-api.ts';
import { session, sessionEnded } from './session.ts';

const mutating = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const sessionMiddleware: Middleware = {
  onRequest({ request }) {
    const csrf = session.peek()?.csrfToken;
    if (csrf && mutating.has(request.method)) request.headers.set('x-ferry-csrf', csrf);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401) sessionEnded();
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(sessionMiddleware);

/** A problem+json answer as the API sends it (api/problem.ts). */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  errors?: { field: string; rule: string }[];
}

/** A sentence for the user out of an error answer. */
export function problemText(error: unknown): string {
  const p = (error ?? {}) as Problem;
  const fields = p.errors?.map((e) => [e.field, e.rule].filter(Boolean).join(': ')).join('; ');
  return [p.detail ?? p.title ?? 'The request failed.', fields].filter(Boolean).join(' — ');
}

/** Throws the problem as an Error (for useAsync), or answers the data. */
export function must<T>(r: { data?: T; error?: unknown; response: Response }): T {
  if (r.data === undefined) throw new ApiError(r.response.status, r.error as Problem | undefined);
  return r.data;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | undefined,
  ) {
    super(problemText(problem));
  }
}
