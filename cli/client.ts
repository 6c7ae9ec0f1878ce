// The CLI's HTTP client: openapi-fetch over the types generated from the API's OpenAPI document, with a
// bearer token, a friendly error when nothing listens, and problem+json answers turned into errors.
import createClient, { type Client } from 'openapi-fetch';
import type { paths } from '../core/contracts/http-api.js';
import { ApiProblemError, ApiUnreachableError, type ProblemBody } from './errors.js';

/** Where the API is and how to authenticate to it. */
export interface Connection {
  /** Base URL, no trailing slash. */
  url: string;
  token: string | undefined;
  /** Where the token came from, for `ferry whoami` and error messages. */
  tokenSource: string;
}

export type ApiClient = Client<paths>;

/** The reason a fetch never got an answer: the system error code when there is one. */
function networkReason(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err as Error).message;
}

/** fetch that reports a refused or failed connection as ApiUnreachableError naming the URL. */
function fetchReporting(baseUrl: string): (input: Request) => Promise<Response> {
  return async (input) => {
    try {
      return await fetch(input);
    } catch (err) {
      throw new ApiUnreachableError(baseUrl, networkReason(err));
    }
  };
}

export function createApiClient(c: Connection): ApiClient {
  return createClient<paths>({
    baseUrl: c.url,
    fetch: fetchReporting(c.url),
    headers: c.token ? { authorization: `Bearer ${c.token}` } : {},
  });
}

/** The answer's data, or the problem+json error it carried thrown as ApiProblemError. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) {
    throw new ApiProblemError(result.response.status, problemOf(result.error, result.response));
  }
  return result.data as T;
}

function problemOf(body: unknown, res: Response): ProblemBody {
  if (body && typeof body === 'object') return body as ProblemBody;
  return { title: res.statusText || 'error', detail: typeof body === 'string' ? body : undefined };
}

/**
 * A request outside openapi-fetch (streamed uploads, YAML bodies): the same auth, error and
 * unreachable handling. Answers the parsed JSON body, or undefined for 204.
 */
export async function rawRequest(
  c: Connection,
  method: string,
  path: string,
  init: { body?: RequestInit['body']; headers?: Record<string, string>; duplex?: 'half' } = {},
): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(c.url + path, {
      method,
      ...init,
      headers: { ...(c.token ? { authorization: `Bearer ${c.token}` } : {}), ...init.headers },
    } as RequestInit);
  } catch (err) {
    throw new ApiUnreachableError(c.url, networkReason(err));
  }
  const text = await res.text();
  const parsed: unknown = text ? safeJson(text) : undefined;
  if (!res.ok) throw new ApiProblemError(res.status, problemOf(parsed, res));
  return parsed;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
