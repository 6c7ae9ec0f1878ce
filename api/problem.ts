// RFC 9457 problem details: the one error shape the API answers with.
import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifyServerOptions,
} from 'fastify';
import { unavailableDependency } from '../core/dependencies.js';

/** A problem+json body. `code` is stable and meant for machines; `detail` for people. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  instance?: string;
  errors?: { field: string; rule: string }[];
}

/** Thrown by routes and services to answer with a specific problem. */
export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors?: { field: string; rule: string }[],
  ) {
    super(message);
  }
}

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  405: 'Method Not Allowed',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** The rule a validation error names: the schema's `x-rule` for a refused pattern, else Ajv's message. */
function ruleOf(v: NonNullable<FastifyError['validation']>[number]): string {
  const rule = (v as { parentSchema?: { 'x-rule'?: unknown } }).parentSchema?.['x-rule'];
  if (v.keyword === 'pattern' && typeof rule === 'string') return rule;
  return v.message ?? v.keyword;
}

/** Seconds a caller should wait before retrying after a dependency outage. */
const retryAfterSeconds = 2;

/** Installs the error and not-found handlers; 5xx details stay in the log, never in the answer. */
export function registerProblemHandlers(app: FastifyInstance): {
  /**
   * An onRequest hook, to add after the auth plugin: a request no route matched is answered (404, or 405
   * with Allow) before any body is read, so a QUERY or a body-less POST to a known path is a 405, not a
   * content-type error.
   */
  answerUnmatched: (req: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>;
} {
  app.setErrorHandler((err: FastifyError | HttpProblem, req, reply) => {
    let problem: Problem;
    if (err instanceof HttpProblem) {
      problem = {
        type: 'about:blank',
        title: titles[err.status] ?? 'Error',
        status: err.status,
        code: err.code,
        detail: err.message,
        errors: err.errors,
      };
    } else if ('validation' in err && err.validation) {
      const errors = err.validation.map((v) => ({
        field: `${err.validationContext ?? 'body'}${v.instancePath.replace(/\//g, '.')}${'missingProperty' in v.params ? `.${String(v.params.missingProperty)}` : ''}`,
        rule: ruleOf(v),
      }));
      problem = {
        type: 'about:blank',
        title: 'Bad Request',
        status: 400,
        code: 'invalid-request',
        detail: errors.map((e) => `${e.field}: ${e.rule}`).join('; '),
        errors,
      };
    } else if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
      problem = {
        type: 'about:blank',
        title: titles[err.statusCode] ?? 'Error',
        status: err.statusCode,
        code: (err.code ?? 'client-error').toLowerCase(),
        detail: err.message,
      };
    } else if (unavailableDependency(err)) {
      // An outage, not a bug: say which dependency, and when to try again.
      const dependency = unavailableDependency(err)!;
      req.log.warn({ err, dependency }, 'dependency unavailable');
      reply.header('retry-after', String(retryAfterSeconds));
      problem = {
        type: 'about:blank',
        title: 'Service Unavailable',
        status: 503,
        code: 'dependency-unavailable',
        detail: `${dependency === 'temporal' ? 'Temporal' : 'object storage'} is unavailable; retry in ${retryAfterSeconds} s`,
      };
    } else {
      req.log.error({ err }, 'unhandled error');
      problem = {
        type: 'about:blank',
        title: 'Internal Server Error',
        status: 500,
        code: 'internal',
        detail: 'An internal error occurred; see the server log for the request id.',
      };
    }
    problem.instance = req.url;
    return reply.code(problem.status).type('application/problem+json').send(problem);
  });
  // A path that exists under other methods answers 405 with Allow (RFC 9110 §15.5.6), not 404, to a caller
  // with a valid token (the auth plugin sets req.identity for unmatched paths too).
  const routes: { pattern: RegExp; methods: string[] }[] = [];
  app.addHook('onRoute', (route) => {
    const segments = route.url
      .split('/')
      .map((seg) =>
        seg.startsWith(':') ? '[^/]+' : seg === '*' ? '.*' : seg.replace(/[^A-Za-z0-9_-]/g, (c) => `\\${c}`),
      );
    const pattern = new RegExp(`^${segments.join('/')}/?$`);
    routes.push({ pattern, methods: ([] as string[]).concat(route.method) });
  });
  const answer = unmatchedAnswerer(routes);
  app.setNotFoundHandler((req, reply) => answer(req, reply));
  return {
    answerUnmatched: async (req, reply) =>
      req.routeOptions.url === undefined ? answer(req, reply) : undefined,
  };
}

/**
 * Makes the answer to a request no route matched: 405 with Allow when the path exists under other
 * methods (told only to a caller with a valid token), else 404.
 */
function unmatchedAnswerer(
  routes: readonly { pattern: RegExp; methods: string[] }[],
): (req: FastifyRequest, reply: FastifyReply) => FastifyReply {
  return (req, reply) => {
    const path = req.url.split('?')[0]!;
    const allowed = req.identity
      ? [...new Set(routes.filter((r) => r.pattern.test(path)).flatMap((r) => r.methods))]
      : [];
    // The method is allowed but the router did not match this spelling (a trailing slash): not a 405.
    if (allowed.length > 0 && !allowed.includes(req.method))
      return reply
        .code(405)
        .header('allow', allowed.join(', '))
        .type('application/problem+json')
        .send({
          type: 'about:blank',
          title: 'Method Not Allowed',
          status: 405,
          code: 'method-not-allowed',
          detail: `${req.method} is not allowed on ${path}: use ${allowed.join(', ')}`,
          instance: req.url,
        } satisfies Problem);
    return reply
      .code(404)
      .type('application/problem+json')
      .send({
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        code: 'route-not-found',
        detail: `no route ${req.method} ${req.url}`,
        instance: req.url,
      } satisfies Problem);
  };
}

/** Fastify's `frameworkErrors`: router-level refusals (bad URL encoding, over-long path segments) as problem+json. */
export const frameworkErrors: NonNullable<FastifyServerOptions['frameworkErrors']> = (error, req, reply) => {
  const status = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400;
  return (reply as unknown as FastifyReply)
    .code(status)
    .type('application/problem+json')
    .send({
      type: 'about:blank',
      title: status === 414 ? 'URI Too Long' : 'Bad Request',
      status,
      code: status === 414 ? 'path-segment-too-long' : 'bad-url',
      detail:
        status === 414 ? 'a path segment is longer than 100 characters' : 'the URL is not validly encoded',
      instance: req.url,
    } satisfies Problem);
};
