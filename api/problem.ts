// RFC 9457 problem details: the one error shape the API answers with.
import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifyServerOptions,
} from 'fastify';
import { unavailableDependency } from '../core/dependencies.js';
import { FailureType, FerryError, type FieldError } from '../core/errors.js';

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

/** How each failure type answers over HTTP: its status and the problem `code` unless the error names a narrower one. */
export const problemOfType: Readonly<Record<FailureType, { status: number; code: string }>> = {
  [FailureType.InvalidInput]: { status: 400, code: 'invalid-input' },
  [FailureType.ValidationFailed]: { status: 400, code: 'validation-failed' },
  [FailureType.NotFound]: { status: 404, code: 'not-found' },
  [FailureType.Conflict]: { status: 409, code: 'conflict' },
  [FailureType.EvaluationFailed]: { status: 409, code: 'evaluation-failed' },
  [FailureType.RetriesExhausted]: { status: 500, code: 'internal' },
  [FailureType.WebhookRefused]: { status: 400, code: 'webhook-refused' },
  [FailureType.WebhookTargetRefused]: { status: 400, code: 'webhook-target-refused' },
  [FailureType.PrivilegedField]: { status: 403, code: 'privileged-field' },
  [FailureType.FourEyes]: { status: 403, code: 'four-eyes' },
  [FailureType.Unauthenticated]: { status: 401, code: 'unauthenticated' },
  [FailureType.Forbidden]: { status: 403, code: 'forbidden' },
  [FailureType.RateLimited]: { status: 429, code: 'rate-limited' },
  [FailureType.TooLarge]: { status: 413, code: 'too-large' },
  [FailureType.UnsupportedMediaType]: { status: 415, code: 'unsupported-media-type' },
  // The caller's own work (a SQL query) ran too long: narrowing it is the fix, hence a 400.
  [FailureType.Timeout]: { status: 400, code: 'timeout' },
  [FailureType.Unavailable]: { status: 503, code: 'unavailable' },
  [FailureType.Contended]: { status: 409, code: 'conflict' },
  [FailureType.Superseded]: { status: 409, code: 'superseded' },
  [FailureType.Internal]: { status: 500, code: 'internal' },
};

/** Status codes whose answer keeps the error's own words out of the body (they stay in the log). */
const hidesDetail = (status: number) => status >= 500 && status !== 503;

/**
 * Thrown for a refusal that is the HTTP layer's own (a route's status and code with no domain error
 * behind it); its type follows from the status.
 */
export class HttpProblem extends FerryError {
  readonly type: FailureType;
  constructor(
    readonly status: number,
    override readonly code: string,
    message: string,
    readonly errors?: FieldError[],
  ) {
    super(message, errors !== undefined ? { fieldErrors: errors } : {});
    this.type = typeOfStatus(status);
  }
}

const typeOfStatus = (status: number): FailureType =>
  ({
    401: FailureType.Unauthenticated,
    403: FailureType.Forbidden,
    404: FailureType.NotFound,
    409: FailureType.Conflict,
    413: FailureType.TooLarge,
    415: FailureType.UnsupportedMediaType,
    429: FailureType.RateLimited,
    503: FailureType.Unavailable,
  })[status] ?? (status >= 500 ? FailureType.Internal : FailureType.InvalidInput);

/** The problem a FerryError answers with (before `instance` is set). */
export function problemOf(err: FerryError): Problem {
  const base = problemOfType[err.type];
  const status = err instanceof HttpProblem ? err.status : base.status;
  if (hidesDetail(status)) return internalProblem(status);
  return problemBody(status, err.code ?? base.code, err.message, err.fieldErrors && [...err.fieldErrors]);
}

/** A problem body, titled by its status. */
const problemBody = (status: number, code: string, detail: string, errors?: FieldError[]): Problem => ({
  type: 'about:blank',
  title: titles[status] ?? 'Error',
  status,
  code,
  detail,
  ...(errors !== undefined ? { errors } : {}),
});

/** Answers with `problem`, its `instance` the request's URL. */
const sendProblem = (req: { url: string }, reply: FastifyReply, problem: Problem) =>
  reply
    .code(problem.status)
    .type('application/problem+json')
    .send({ ...problem, instance: req.url });

/** The answer to a fault whose words stay in the log. */
const internalProblem = (status = 500) =>
  problemBody(status, 'internal', 'An internal error occurred; see the server log for the request id.');

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  414: 'URI Too Long',
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
  app.setErrorHandler((err: FastifyError | FerryError, req, reply) => {
    let problem: Problem;
    // A bare outage (object storage or a dependency timing out, no narrower code) is answered below, by dependency.
    if (err instanceof FerryError && (err.type !== FailureType.Unavailable || err.code !== undefined)) {
      problem = problemOf(err);
      if (hidesDetail(problem.status)) req.log.error({ err }, 'unhandled error');
    } else if ('validation' in err && err.validation) {
      const errors = err.validation.map((v) => ({
        field: `${err.validationContext ?? 'body'}${v.instancePath.replace(/\//g, '.')}${'missingProperty' in v.params ? `.${String(v.params.missingProperty)}` : ''}`,
        rule: ruleOf(v),
      }));
      const detail = errors.map((e) => `${e.field}: ${e.rule}`).join('; ');
      problem = problemBody(400, 'invalid-request', detail, errors);
    } else if (
      !(err instanceof FerryError) &&
      typeof err.statusCode === 'number' &&
      err.statusCode >= 400 &&
      err.statusCode < 500
    ) {
      problem = problemBody(err.statusCode, (err.code ?? 'client-error').toLowerCase(), err.message);
    } else if (unavailableDependency(err)) {
      // An outage, not a bug: say which dependency, and when to try again.
      const dependency = unavailableDependency(err)!;
      req.log.warn({ err, dependency }, 'dependency unavailable');
      reply.header('retry-after', String(retryAfterSeconds));
      const name = dependency === 'temporal' ? 'Temporal' : 'object storage';
      problem = problemBody(
        503,
        'dependency-unavailable',
        `${name} is unavailable; retry in ${retryAfterSeconds} s`,
      );
    } else {
      req.log.error({ err }, 'unhandled error');
      problem = internalProblem();
    }
    return sendProblem(req, reply, problem);
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
    if (allowed.length > 0 && !allowed.includes(req.method)) {
      const detail = `${req.method} is not allowed on ${path}: use ${allowed.join(', ')}`;
      return sendProblem(
        req,
        reply.header('allow', allowed.join(', ')),
        problemBody(405, 'method-not-allowed', detail),
      );
    }
    return sendProblem(req, reply, problemBody(404, 'route-not-found', `no route ${req.method} ${req.url}`));
  };
}

/** @fastify/rate-limit's `errorResponseBuilder`: the 429 says when to retry. */
export const rateLimitedProblem = (_req: unknown, context: { max: number; ttl: number }) =>
  new HttpProblem(
    429,
    'rate-limited',
    `rate limit of ${context.max} requests per minute exceeded; retry in ${Math.ceil(context.ttl / 1000)} s`,
  );

/** Fastify's `frameworkErrors`: router-level refusals (bad URL encoding, over-long path segments) as problem+json. */
export const frameworkErrors: NonNullable<FastifyServerOptions['frameworkErrors']> = (error, req, reply) => {
  const status = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400;
  return sendProblem(
    req,
    reply as unknown as FastifyReply,
    status === 414
      ? problemBody(414, 'path-segment-too-long', 'a path segment is longer than 100 characters')
      : problemBody(400, 'bad-url', 'the URL is not validly encoded'),
  );
};
