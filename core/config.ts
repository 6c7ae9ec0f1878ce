// The one place that reads the environment: parses FERRY_* once into a typed, frozen object
// and fails fast naming every invalid variable and the rule it broke.
import { FailureType, typedError } from './errors.js';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

// Ferry supports Node 20; the AWS SDK's "Node 22 soon" notice on every process start is noise to users.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const port = z.coerce
  .number()
  .int('must be an integer')
  .min(1, 'must be 1–65535')
  .max(65535, 'must be 1–65535');
const host = z
  .string()
  .regex(/^[A-Za-z0-9.:-]+$/, 'must be a host name or IP address (letters, digits, ".", ":" and "-")');
const name = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/, 'must be 3–63 lowercase letters, digits or "-"');
const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);
/** "true"/"false" (also 1/0, yes/no, on/off); anything else is refused rather than read as false. */
const flag = z.stringbool({ error: 'must be true or false' });
const nonEmpty = z.string().min(1, 'must not be empty');
/** A whole number from 1 to `max`. */
const count = (max: number) =>
  z.coerce.number().int('must be an integer').min(1, 'must be ≥ 1').max(max, `must be ≤ ${max}`);
const duration = z.coerce
  .number()
  .int('must be a whole number of milliseconds')
  .min(100, 'must be at least 100 ms')
  .max(3_600_000, 'must be at most 1 hour');

/** Every variable Ferry reads, with its default. `.env.example` documents the same list. */
const envSchema = z.object({
  FERRY_HOME: nonEmpty.default(join(homedir(), '.ferry')),
  FERRY_CACHE_DIR: nonEmpty.default(join(homedir(), '.cache', 'ferry')),
  FERRY_BIND_HOST: host.default('127.0.0.1'),
  FERRY_LOG_LEVEL: logLevel.default('info'),

  FERRY_TEMPORAL_PORT: port.default(7233),
  FERRY_TEMPORAL_UI_PORT: port.default(8233),
  FERRY_TEMPORAL_HTTP_PORT: port.default(7243),
  FERRY_TEMPORAL_ADDRESS: z.string().optional(),
  FERRY_TEMPORAL_NAMESPACE: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{2,255}$/, 'must be 2–255 letters, digits, "_", "." or "-"')
    .default('default'),
  FERRY_TASK_QUEUE: name.default('ferry-pipeline'),

  FERRY_MINIO_PORT: port.default(9000),
  FERRY_MINIO_CONSOLE_PORT: port.default(9001),
  FERRY_S3_ENDPOINT: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://127.0.0.1:9000' })
    .optional(),
  FERRY_S3_REGION: nonEmpty.default('us-east-1'),
  FERRY_S3_BUCKET: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
      'must be a valid S3 bucket name (3–63 lowercase letters, digits, "." or "-")',
    )
    .default('ferry'),
  FERRY_S3_ACCESS_KEY: z.string().min(3, 'must be at least 3 characters').default('ferry-app'),
  FERRY_S3_SECRET_KEY: z.string().min(8, 'must be at least 8 characters').default('ferry-local-secret'),
  FERRY_S3_CONNECT_TIMEOUT_MS: duration.default(3_000),
  // The local stack's MinIO administrator: used by `npm run up` only, never passed to Ferry's processes.
  FERRY_MINIO_ROOT_USER: z.string().min(3, 'must be at least 3 characters').default('ferry-root'),
  FERRY_MINIO_ROOT_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  FERRY_S3_REQUEST_TIMEOUT_MS: duration.default(10_000),

  FERRY_API_PORT: port.default(8080),
  FERRY_API_TOKENS: z.string().optional(),
  FERRY_API_TOKENS_FILE: nonEmpty.optional(),
  FERRY_API_RATE_LIMIT_PER_MINUTE: count(1_000_000).default(1200),
  FERRY_API_MAX_UPLOAD_MB: count(102_400).default(1024),
  FERRY_API_METRICS_REQUIRE_TOKEN: flag.default(true),
  FERRY_API_DOCS_REQUIRE_TOKEN: flag.default(false),
  FERRY_SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  FERRY_SESSION_TTL: z
    .string()
    .regex(/^[1-9][0-9]{0,6}(s|m|h)$/, 'must be a whole number of s, m or h, such as 8h or 30m')
    .transform(
      (t) => Number(t.slice(0, -1)) * { s: 1000, m: 60_000, h: 3_600_000 }[t.slice(-1) as 's' | 'm' | 'h'],
    )
    .refine((ms) => ms >= 60_000 && ms <= 7 * 24 * 3_600_000, 'must be from 1m to 168h')
    .default(8 * 3_600_000),
  FERRY_API_SIGNIN_FAILURES_PER_MINUTE: count(10_000).default(10),
  FERRY_UI_DIR: nonEmpty.optional(),
  FERRY_PIPELINES_DIR: nonEmpty.optional(),
  FERRY_WORKER_PORT: port.default(8091),
  FERRY_STARTUP_TIMEOUT_MS: duration.default(60_000),
  FERRY_BINARY_BUILD_TIMEOUT_MS: duration.default(1_800_000),
  FERRY_SHUTDOWN_GRACE_MS: duration.default(10_000),
  FERRY_DEPENDENCY_TIMEOUT_MS: duration.default(1500),
  FERRY_DEPENDENCY_CALL_TIMEOUT_MS: duration.default(5000),

  FERRY_WEBHOOK_ALLOW: z
    .string()
    .regex(
      /^\s*([A-Za-z0-9.:\[\]-]+)(\s*,\s*[A-Za-z0-9.:\[\]-]+)*\s*$/,
      'must be a comma-separated list of host names, IP addresses or host:port',
    )
    .optional(),
  FERRY_WEBHOOK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  FERRY_API_TLS_CERT: nonEmpty.optional(),
  FERRY_API_TLS_KEY: nonEmpty.optional(),
  FERRY_TEMPORAL_TLS: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
  FERRY_TEMPORAL_TLS_CA: nonEmpty.optional(),
  FERRY_TEMPORAL_TLS_CERT: nonEmpty.optional(),
  FERRY_TEMPORAL_TLS_KEY: nonEmpty.optional(),
  FERRY_TEMPORAL_TLS_SERVER_NAME: host.optional(),
});

/** Ferry's configuration, parsed once from the environment. */
export interface FerryConfig {
  readonly home: string;
  readonly cacheDir: string;
  readonly bindHost: string;
  readonly logLevel: z.infer<typeof logLevel>;
  readonly temporal: {
    readonly port: number;
    readonly uiPort: number;
    readonly httpPort: number;
    readonly address: string;
    readonly uiUrl: string;
    readonly namespace: string;
    readonly taskQueue: string;
    /** TLS to the frontend (Temporal Cloud, a production cluster); absent: plaintext (the local dev server). */
    readonly tls?: {
      /** PEM file of the CA that signed the server's certificate; absent: the system's roots. */
      readonly caFile?: string;
      /** PEM files of the client certificate and key (mTLS). */
      readonly certFile?: string;
      readonly keyFile?: string;
      readonly serverName?: string;
    };
  };
  readonly s3: {
    readonly endpoint: string;
    readonly region: string;
    readonly bucket: string;
    readonly accessKey: string;
    readonly secretKey: string;
    /** Time allowed to open a TCP connection to the endpoint. */
    readonly connectTimeoutMs: number;
    /** Time a request may go without any byte moving before it is abandoned (and retried by the SDK). */
    readonly requestTimeoutMs: number;
    readonly minioPort: number;
    readonly consolePort: number;
    readonly consoleUrl: string;
    /**
     * The local MinIO's root user, for the stack alone: it creates the bucket and the bucket-scoped
     * user (`accessKey`) that Ferry's processes use. Without a password one is generated under FERRY_HOME.
     */
    readonly minioRoot: { readonly user: string; readonly password?: string };
  };
  readonly api: {
    readonly port: number;
    readonly url: string;
    /** Tokens given in FERRY_API_TOKENS (plaintext secrets; hashed before use). */
    readonly tokens: readonly ApiTokenConfig[];
    /** JSON file of hashed tokens (generated for local dev by `npm run up` when none are configured). */
    readonly tokensFile: string;
    readonly rateLimitPerMinute: number;
    readonly maxUploadBytes: number;
    /** Whether `/metrics` (Prometheus) and `/docs` (OpenAPI document and UI) need a bearer token of any role. */
    readonly requireToken: { readonly metrics: boolean; readonly docs: boolean };
    /** PEM files: with both, the API serves HTTPS. */
    readonly tls?: { readonly certFile: string; readonly keyFile: string };
    /** Cookie sessions of the web console (a bearer token exchanged at POST /v1/session). */
    readonly session: {
      /** Key material of the sealed session cookie; absent: a random one per API process (local tests). */
      readonly secret?: string;
      readonly ttlMs: number;
      /** Failed sign-ins one address may make per minute before it is answered 429. */
      readonly signInFailuresPerMinute: number;
    };
    /** The built web console (`npm run build:ui`), served at /ui. */
    readonly uiDir: string;
  };
  readonly webhooks: {
    /** Hosts (or host:port) webhooks may reach although they are loopback, private or Ferry's own. */
    readonly allow: readonly string[];
    /** HMAC-SHA256 key of the `ferry-signature` header; without it no webhook is sent. */
    readonly secret?: string;
  };
  /** Pipeline specs loaded (and registered) at API start-up. */
  readonly pipelinesDir: string;
  readonly worker: { readonly port: number; readonly url: string };
  readonly startupTimeoutMs: number;
  /** A first-time `go install` of a pinned server that takes longer is stopped and reported. */
  readonly binaryBuildTimeoutMs: number;
  readonly shutdownGraceMs: number;
  /** How long a readiness check waits on Temporal or object storage before reporting it unavailable. */
  readonly dependencyTimeoutMs: number;
  /**
   * How long one of a request's calls to Temporal or object storage may take (retries included)
   * before the API answers 503 with Retry-After; long polls (a run's result, an update) are exempt.
   * Longer than readiness's: a write on a busy server can take seconds without anything being down.
   */
  readonly dependencyCallTimeoutMs: number;
}

export const apiRoles = ['viewer', 'operator', 'approver', 'admin'] as const;
export type ApiRole = (typeof apiRoles)[number];

/** One configured API token. */
export interface ApiTokenConfig {
  readonly name: string;
  readonly role: ApiRole;
  readonly secret: string;
}

/** Parses FERRY_API_TOKENS ("name:role:secret,…"); returns the tokens or the rule each bad entry broke. */
function parseTokens(text: string | undefined): { tokens: ApiTokenConfig[]; problems: string[] } {
  const tokens: ApiTokenConfig[] = [];
  const problems: string[] = [];
  if (!text) return { tokens, problems };
  text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)
    .forEach((entry, i) => {
      const [name, role, ...rest] = entry.split(':');
      const secret = rest.join(':');
      if (!name || !/^[A-Za-z0-9_.@-]{1,64}$/.test(name))
        problems.push(`entry ${i + 1}: name must be 1–64 letters, digits, "_", ".", "@" or "-"`);
      else if (!apiRoles.includes(role as ApiRole))
        problems.push(`entry ${i + 1} (${name}): role must be one of ${apiRoles.join(', ')}`);
      else if (secret.length < 16)
        problems.push(`entry ${i + 1} (${name}): secret must be at least 16 characters`);
      else tokens.push({ name, role: role as ApiRole, secret });
    });
  return { tokens, problems };
}

/** Thrown when one or more FERRY_* variables are invalid; `problems` lists each one. */
export class ConfigError extends typedError(FailureType.Internal) {
  constructor(readonly problems: readonly { variable: string; rule: string }[]) {
    super(
      `Invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.rule}`).join('\n')}\n` +
        'See .env.example for every variable and its default.',
    );
  }
}

/** An IPv6 address goes in brackets in a URL. */
const urlHost = (h: string): string => (h.includes(':') ? `[${h}]` : h);

/** Parses the given environment (default: the process's, plus `overrides`) into a frozen config, or throws ConfigError. */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  overrides: Record<string, string> = {},
): FerryConfig {
  const ferryVars = Object.fromEntries(
    Object.entries({ ...env, ...overrides }).filter(
      ([k, v]) => k.startsWith('FERRY_') && v !== undefined && v !== '',
    ),
  );
  const parsed = envSchema.safeParse(ferryVars);
  if (!parsed.success)
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? '(env)'),
        rule: issue.message,
      })),
    );
  const e = parsed.data;
  const tokens = parseTokens(e.FERRY_API_TOKENS);
  if (tokens.problems.length > 0)
    throw new ConfigError(tokens.problems.map((rule) => ({ variable: 'FERRY_API_TOKENS', rule })));
  const pairs = [
    ['FERRY_API_TLS_CERT', 'FERRY_API_TLS_KEY'],
    ['FERRY_TEMPORAL_TLS_CERT', 'FERRY_TEMPORAL_TLS_KEY'],
  ] as const;
  const unpaired = pairs.flatMap(([a, b]): { variable: string; rule: string }[] =>
    e[a] && !e[b]
      ? [{ variable: b, rule: `must be set with ${a}` }]
      : !e[a] && e[b]
        ? [{ variable: a, rule: `must be set with ${b}` }]
        : [],
  );
  if (unpaired.length > 0) throw new ConfigError(unpaired);
  if (e.FERRY_S3_ACCESS_KEY === e.FERRY_MINIO_ROOT_USER)
    throw new ConfigError([
      {
        variable: 'FERRY_S3_ACCESS_KEY',
        rule: 'must differ from FERRY_MINIO_ROOT_USER (Ferry uses a bucket-scoped user, not the root)',
      },
    ]);
  const temporalTls =
    e.FERRY_TEMPORAL_TLS === 'false'
      ? false
      : e.FERRY_TEMPORAL_TLS === 'true' ||
        [e.FERRY_TEMPORAL_TLS_CA, e.FERRY_TEMPORAL_TLS_CERT, e.FERRY_TEMPORAL_TLS_SERVER_NAME].some(Boolean);
  const h = urlHost(e.FERRY_BIND_HOST);
  const config: FerryConfig = {
    home: resolve(e.FERRY_HOME),
    cacheDir: resolve(e.FERRY_CACHE_DIR),
    bindHost: e.FERRY_BIND_HOST,
    logLevel: e.FERRY_LOG_LEVEL,
    temporal: {
      port: e.FERRY_TEMPORAL_PORT,
      uiPort: e.FERRY_TEMPORAL_UI_PORT,
      httpPort: e.FERRY_TEMPORAL_HTTP_PORT,
      address: e.FERRY_TEMPORAL_ADDRESS ?? `${h}:${e.FERRY_TEMPORAL_PORT}`,
      uiUrl: `http://${h}:${e.FERRY_TEMPORAL_UI_PORT}`,
      namespace: e.FERRY_TEMPORAL_NAMESPACE,
      taskQueue: e.FERRY_TASK_QUEUE,
      ...(temporalTls
        ? {
            tls: {
              ...(e.FERRY_TEMPORAL_TLS_CA ? { caFile: resolve(e.FERRY_TEMPORAL_TLS_CA) } : {}),
              ...(e.FERRY_TEMPORAL_TLS_CERT && e.FERRY_TEMPORAL_TLS_KEY
                ? { certFile: resolve(e.FERRY_TEMPORAL_TLS_CERT), keyFile: resolve(e.FERRY_TEMPORAL_TLS_KEY) }
                : {}),
              ...(e.FERRY_TEMPORAL_TLS_SERVER_NAME ? { serverName: e.FERRY_TEMPORAL_TLS_SERVER_NAME } : {}),
            },
          }
        : {}),
    },
    s3: {
      endpoint: e.FERRY_S3_ENDPOINT ?? `http://${h}:${e.FERRY_MINIO_PORT}`,
      region: e.FERRY_S3_REGION,
      bucket: e.FERRY_S3_BUCKET,
      accessKey: e.FERRY_S3_ACCESS_KEY,
      secretKey: e.FERRY_S3_SECRET_KEY,
      connectTimeoutMs: e.FERRY_S3_CONNECT_TIMEOUT_MS,
      requestTimeoutMs: e.FERRY_S3_REQUEST_TIMEOUT_MS,
      minioPort: e.FERRY_MINIO_PORT,
      consolePort: e.FERRY_MINIO_CONSOLE_PORT,
      consoleUrl: `http://${h}:${e.FERRY_MINIO_CONSOLE_PORT}`,
      minioRoot: {
        user: e.FERRY_MINIO_ROOT_USER,
        ...(e.FERRY_MINIO_ROOT_PASSWORD ? { password: e.FERRY_MINIO_ROOT_PASSWORD } : {}),
      },
    },
    api: {
      port: e.FERRY_API_PORT,
      url: `${e.FERRY_API_TLS_CERT ? 'https' : 'http'}://${h}:${e.FERRY_API_PORT}`,
      tokens: tokens.tokens,
      tokensFile: resolve(e.FERRY_API_TOKENS_FILE ?? join(resolve(e.FERRY_HOME), 'api-tokens.json')),
      rateLimitPerMinute: e.FERRY_API_RATE_LIMIT_PER_MINUTE,
      maxUploadBytes: e.FERRY_API_MAX_UPLOAD_MB * 1024 * 1024,
      requireToken: { metrics: e.FERRY_API_METRICS_REQUIRE_TOKEN, docs: e.FERRY_API_DOCS_REQUIRE_TOKEN },
      ...(e.FERRY_API_TLS_CERT && e.FERRY_API_TLS_KEY
        ? { tls: { certFile: resolve(e.FERRY_API_TLS_CERT), keyFile: resolve(e.FERRY_API_TLS_KEY) } }
        : {}),
      session: {
        ...(e.FERRY_SESSION_SECRET ? { secret: e.FERRY_SESSION_SECRET } : {}),
        ttlMs: e.FERRY_SESSION_TTL,
        signInFailuresPerMinute: e.FERRY_API_SIGNIN_FAILURES_PER_MINUTE,
      },
      uiDir: resolve(e.FERRY_UI_DIR ?? fileURLToPath(new URL('../ui/dist', import.meta.url))),
    },
    webhooks: {
      allow: (e.FERRY_WEBHOOK_ALLOW ?? '')
        .split(',')
        .map((x) => x.trim().toLowerCase())
        .filter(Boolean),
      ...(e.FERRY_WEBHOOK_SECRET ? { secret: e.FERRY_WEBHOOK_SECRET } : {}),
    },
    pipelinesDir: resolve(e.FERRY_PIPELINES_DIR ?? fileURLToPath(new URL('../pipelines', import.meta.url))),
    worker: { port: e.FERRY_WORKER_PORT, url: `http://${h}:${e.FERRY_WORKER_PORT}` },
    startupTimeoutMs: e.FERRY_STARTUP_TIMEOUT_MS,
    binaryBuildTimeoutMs: e.FERRY_BINARY_BUILD_TIMEOUT_MS,
    shutdownGraceMs: e.FERRY_SHUTDOWN_GRACE_MS,
    dependencyTimeoutMs: e.FERRY_DEPENDENCY_TIMEOUT_MS,
    dependencyCallTimeoutMs: e.FERRY_DEPENDENCY_CALL_TIMEOUT_MS,
  };
  // Every FERRY_*_PORT, in the schema's order.
  const ports = Object.entries(e).filter(([v]) => v.endsWith('_PORT'));
  const clashes = ports.filter(([, p], i) => ports.findIndex(([, q]) => q === p) !== i);
  if (clashes.length > 0)
    throw new ConfigError(
      clashes.map(([v, p]) => ({ variable: v, rule: `port ${p} is already used by another FERRY_*_PORT` })),
    );
  return deepFreeze(config);
}

function deepFreeze<T extends object>(o: T): T {
  for (const v of Object.values(o)) if (v && typeof v === 'object') deepFreeze(v as object);
  return Object.freeze(o);
}

/** Process-wide config for entry points (worker, API, scripts); libraries take config as an argument. */
let cached: FerryConfig | undefined;
export function config(): FerryConfig {
  cached ??= loadConfig();
  return cached;
}

/**
 * Environment variables a child process needs to see the same configuration. Secrets are not in it:
 * pass {@link secretEnv} only to the processes that use them.
 */
export function configEnv(c: FerryConfig): Record<string, string> {
  const t = c.temporal.tls;
  return {
    ...(t
      ? {
          FERRY_TEMPORAL_TLS: 'true',
          ...(t.caFile ? { FERRY_TEMPORAL_TLS_CA: t.caFile } : {}),
          ...(t.certFile && t.keyFile
            ? { FERRY_TEMPORAL_TLS_CERT: t.certFile, FERRY_TEMPORAL_TLS_KEY: t.keyFile }
            : {}),
          ...(t.serverName ? { FERRY_TEMPORAL_TLS_SERVER_NAME: t.serverName } : {}),
        }
      : {}),
    ...(c.api.tls ? { FERRY_API_TLS_CERT: c.api.tls.certFile, FERRY_API_TLS_KEY: c.api.tls.keyFile } : {}),
    ...(c.webhooks.allow.length > 0 ? { FERRY_WEBHOOK_ALLOW: c.webhooks.allow.join(',') } : {}),
    FERRY_HOME: c.home,
    FERRY_CACHE_DIR: c.cacheDir,
    FERRY_BIND_HOST: c.bindHost,
    FERRY_LOG_LEVEL: c.logLevel,
    FERRY_TEMPORAL_PORT: String(c.temporal.port),
    FERRY_TEMPORAL_UI_PORT: String(c.temporal.uiPort),
    FERRY_TEMPORAL_HTTP_PORT: String(c.temporal.httpPort),
    FERRY_TEMPORAL_ADDRESS: c.temporal.address,
    FERRY_TEMPORAL_NAMESPACE: c.temporal.namespace,
    FERRY_TASK_QUEUE: c.temporal.taskQueue,
    FERRY_MINIO_PORT: String(c.s3.minioPort),
    FERRY_MINIO_CONSOLE_PORT: String(c.s3.consolePort),
    FERRY_S3_ENDPOINT: c.s3.endpoint,
    FERRY_S3_REGION: c.s3.region,
    FERRY_S3_BUCKET: c.s3.bucket,
    FERRY_S3_ACCESS_KEY: c.s3.accessKey,
    FERRY_S3_SECRET_KEY: c.s3.secretKey,
    FERRY_S3_CONNECT_TIMEOUT_MS: String(c.s3.connectTimeoutMs),
    FERRY_S3_REQUEST_TIMEOUT_MS: String(c.s3.requestTimeoutMs),
    FERRY_API_PORT: String(c.api.port),
    FERRY_API_TOKENS: c.api.tokens.map((t) => `${t.name}:${t.role}:${t.secret}`).join(','),
    FERRY_API_TOKENS_FILE: c.api.tokensFile,
    FERRY_API_RATE_LIMIT_PER_MINUTE: String(c.api.rateLimitPerMinute),
    FERRY_API_MAX_UPLOAD_MB: String(Math.round(c.api.maxUploadBytes / 1024 / 1024)),
    FERRY_API_METRICS_REQUIRE_TOKEN: String(c.api.requireToken.metrics),
    FERRY_API_DOCS_REQUIRE_TOKEN: String(c.api.requireToken.docs),
    FERRY_SESSION_TTL: `${Math.round(c.api.session.ttlMs / 1000)}s`,
    FERRY_API_SIGNIN_FAILURES_PER_MINUTE: String(c.api.session.signInFailuresPerMinute),
    FERRY_UI_DIR: c.api.uiDir,
    FERRY_PIPELINES_DIR: c.pipelinesDir,
    FERRY_WORKER_PORT: String(c.worker.port),
    FERRY_STARTUP_TIMEOUT_MS: String(c.startupTimeoutMs),
    FERRY_BINARY_BUILD_TIMEOUT_MS: String(c.binaryBuildTimeoutMs),
    FERRY_DEPENDENCY_TIMEOUT_MS: String(c.dependencyTimeoutMs),
    FERRY_DEPENDENCY_CALL_TIMEOUT_MS: String(c.dependencyCallTimeoutMs),
    FERRY_SHUTDOWN_GRACE_MS: String(c.shutdownGraceMs),
  };
}

/** The process environment minus FERRY_* (so a child sees exactly the config we pass). */
export function baseEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (e): e is [string, string] => !e[0].startsWith('FERRY_') && e[1] !== undefined,
    ),
  );
}
