// The local stack: Temporal dev server, MinIO, the Ferry worker and the API, each a background
// process with a pid file and a log under FERRY_HOME, started in order and health-checked.
import { FailureType, typedError } from '../../core/errors.js';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Connection } from '@temporalio/client';
import { configEnv, type FerryConfig } from '../../core/config.js';
import { ensureLocalTokens } from '../../core/auth/tokens.js';
import { createObjectStore } from '../../core/storage/object-store.js';
import { registerSearchAttributes } from '../../core/temporal-setup.js';
import { resolveBinary } from './binaries.js';
import { bucketPolicy, createMinioAdmin } from './minio-admin.js';
import {
  isPortFree,
  isRunning,
  readPidFile,
  sleep,
  startDetached,
  stopProcess,
  tail,
  type PidRecord,
} from './processes.js';
import { MINIO, TEMPORAL_CLI } from './versions.js';
import { buildWorkflowBundle } from '../../worker/bundle.js';
import { temporalConnectOptions } from '../../core/temporal-connection.js';

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export const componentNames = ['temporal', 'minio', 'worker', 'api'] as const;
export type ComponentName = (typeof componentNames)[number];

/** Thrown when a component cannot start or become healthy; names the component and its log. */
export class StackError extends typedError(FailureType.Internal) {
  constructor(
    readonly component: ComponentName | 'binaries',
    message: string,
    readonly logFile?: string,
  ) {
    super(message);
  }
}

interface Component {
  name: ComponentName;
  ports: { port: number; what: string }[];
  urls: Record<string, string>;
  command(): Promise<{ command: string; args: string[]; env: Record<string, string> }>;
  /** Resolves true once healthy; may also finish set-up (search attributes). */
  healthy(): Promise<boolean>;
  /** Idempotent set-up once healthy (MinIO's bucket and Ferry's user); run on every `up`. */
  setUp?(): Promise<void>;
}

export interface StackOptions {
  config: FerryConfig;
  /** The caller's environment (PATH, GOPROXY …) without FERRY_* variables. */
  env: Record<string, string>;
  log?: (line: string) => void;
}

export interface ComponentStatus {
  name: ComponentName;
  state: 'running' | 'stopped' | 'stale-pid' | 'unhealthy';
  pid?: number;
  urls: Record<string, string>;
  logFile: string;
}

/** The local stack as a set of components; `up`, `down` and `status` act on them. */
export function createStack(o: StackOptions) {
  const c = o.config;
  const log = o.log ?? ((line: string) => console.log(line));
  const runDir = join(c.home, 'run');
  const logDir = join(c.home, 'logs');
  const pidFile = (n: ComponentName) => join(runDir, `${n}.pid`);
  const logFile = (n: ComponentName) => join(logDir, `${n}.log`);
  const childEnv = { ...o.env, ...configEnv(c) };
  // Each process gets the secrets it uses and no others: API tokens to the API, the webhook key to the worker.
  const { FERRY_API_TOKENS: _tokens, ...workerEnv } = childEnv;
  /** A configured secret, or one generated once into FERRY_HOME (mode 0600) and read back after. */
  async function stackSecret(
    configured: string | undefined,
    fileName: string,
    variable: string,
  ): Promise<string> {
    if (configured) return configured;
    const file = join(c.home, fileName);
    if (!existsSync(file)) {
      await mkdir(c.home, { recursive: true });
      await writeFile(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
      log(`  no ${variable} configured: generated one → ${file} (mode 0600)`);
    }
    return (await readFile(file, 'utf8')).trim();
  }
  const webhookSecret = () => stackSecret(c.webhooks.secret, 'webhook-secret', 'FERRY_WEBHOOK_SECRET');
  const minioRootPassword = () =>
    stackSecret(c.s3.minioRoot.password, 'minio-root-password', 'FERRY_MINIO_ROOT_PASSWORD');
  const sessionSecret = () => stackSecret(c.api.session.secret, 'session-secret', 'FERRY_SESSION_SECRET');
  const nodeArgs = (entry: string) => ['--import', 'tsx', join(repoRoot, entry)];

  const components: Component[] = [
    {
      name: 'temporal',
      ports: [
        { port: c.temporal.port, what: 'Temporal gRPC' },
        { port: c.temporal.uiPort, what: 'Temporal UI' },
        { port: c.temporal.httpPort, what: 'Temporal HTTP API' },
      ],
      urls: { grpc: c.temporal.address, ui: c.temporal.uiUrl },
      async command() {
        const bin = await binary('temporal');
        await mkdir(join(c.home, 'temporal'), { recursive: true });
        return {
          command: bin,
          args: [
            'server',
            'start-dev',
            ...flags({
              ip: c.bindHost,
              'ui-ip': c.bindHost,
              port: c.temporal.port,
              'ui-port': c.temporal.uiPort,
              'http-port': c.temporal.httpPort,
              'db-filename': join(c.home, 'temporal', 'temporal.db'),
              namespace: c.temporal.namespace,
              'log-level': 'warn',
              // Orchestration latency: activities dispatched eagerly to the worker that scheduled them,
              // and SQLite in WAL mode without a sync on every commit (the dev server is single-node).
              'dynamic-config-value': 'system.enableActivityEagerExecution=true',
            }),
            ...flags({ 'sqlite-pragma': 'journal_mode=wal' }),
            ...flags({ 'sqlite-pragma': 'synchronous=normal' }),
          ],
          env: o.env,
        };
      },
      async healthy() {
        let connection: Connection | undefined;
        try {
          connection = await Connection.connect({
            ...(await temporalConnectOptions(c.temporal)),
            connectTimeout: 1000,
          });
          await connection.workflowService.describeNamespace({ namespace: c.temporal.namespace });
          const added = await registerSearchAttributes(connection, c.temporal.namespace);
          if (added.length > 0) log(`  registered search attributes: ${added.join(', ')}`);
          return await httpOk(c.temporal.uiUrl);
        } catch {
          return false;
        } finally {
          await connection?.close();
        }
      },
    },
    {
      name: 'minio',
      ports: [
        { port: c.s3.minioPort, what: 'MinIO S3 API' },
        { port: c.s3.consolePort, what: 'MinIO console' },
      ],
      urls: { s3: c.s3.endpoint, console: c.s3.consoleUrl },
      async command() {
        const bin = await binary('minio');
        const dataDir = join(c.home, 'minio');
        await mkdir(dataDir, { recursive: true });
        return {
          command: bin,
          args: [
            'server',
            dataDir,
            ...flags({
              address: `${c.bindHost}:${c.s3.minioPort}`,
              'console-address': `${c.bindHost}:${c.s3.consolePort}`,
            }),
            '--quiet',
          ],
          env: {
            ...o.env,
            // Only MinIO and the stack know the root: Ferry's processes get the bucket-scoped user.
            MINIO_ROOT_USER: c.s3.minioRoot.user,
            MINIO_ROOT_PASSWORD: await minioRootPassword(),
            MINIO_BROWSER_REDIRECT: 'off',
            MINIO_UPDATE: 'off',
            MINIO_CALLHOME_ENABLE: 'off',
          },
        };
      },
      healthy: () => httpOk(`${c.s3.endpoint}/minio/health/live`),
      async setUp() {
        const root = { accessKey: c.s3.minioRoot.user, secretKey: await minioRootPassword() };
        await createObjectStore({ ...c.s3, ...root }).ensureBucket();
        const admin = createMinioAdmin({ endpoint: c.s3.endpoint, region: c.s3.region, ...root });
        const policy = `ferry-${c.s3.bucket}`;
        await admin.addPolicy(policy, bucketPolicy(c.s3.bucket));
        await admin.addUser(c.s3.accessKey, c.s3.secretKey);
        await admin.setUserPolicy(c.s3.accessKey, policy);
      },
    },
    {
      name: 'worker',
      ports: [{ port: c.worker.port, what: 'worker health' }],
      urls: { health: `${c.worker.url}/readyz` },
      async command() {
        const bundle = await buildWorkflowBundle();
        if (bundle.rebuilt) log(`  workflow bundle rebuilt → ${bundle.path}`);
        return {
          command: process.execPath,
          args: nodeArgs('worker/main.ts'),
          env: { ...workerEnv, FERRY_WEBHOOK_SECRET: await webhookSecret() },
        };
      },
      healthy: () => httpOk(`${c.worker.url}/readyz`),
    },
    {
      name: 'api',
      ports: [{ port: c.api.port, what: 'API' }],
      urls: { api: c.api.url, ui: `${c.api.url}/ui/` },
      async command() {
        const tokensFile = await ensureLocalTokens(c);
        if (tokensFile) log(`  no API tokens configured: generated one per role → ${tokensFile} (mode 0600)`);
        return {
          command: process.execPath,
          args: nodeArgs('api/main.ts'),
          env: { ...childEnv, FERRY_SESSION_SECRET: await sessionSecret() },
        };
      },
      healthy: () => httpOk(`${c.api.url}/readyz`),
    },
  ];

  const resolved = new Map<string, string>();
  async function binary(name: 'temporal' | 'minio'): Promise<string> {
    const cached = resolved.get(name);
    if (cached) return cached;
    try {
      const r = await resolveBinary(name === 'temporal' ? TEMPORAL_CLI : MINIO, {
        cacheDir: c.cacheDir,
        env: o.env,
        log: (l) => log(`  ${l}`),
        buildTimeoutMs: c.binaryBuildTimeoutMs,
      });
      resolved.set(name, r.path);
      return r.path;
    } catch (err) {
      throw new StackError(name, (err as Error).message);
    }
  }

  async function running(name: ComponentName): Promise<PidRecord | undefined> {
    const record = await readPidFile(pidFile(name));
    return record && isRunning(record) ? record : undefined;
  }

  /** A component's failure, with the end of its log when `withLog`. */
  async function failure(name: ComponentName, what: string, withLog = true): Promise<StackError> {
    const file = logFile(name);
    return new StackError(name, withLog ? `${what}; see ${file}:\n${await tail(file)}` : what, file);
  }

  async function waitHealthy(comp: Component, record: PidRecord): Promise<void> {
    const deadline = Date.now() + c.startupTimeoutMs;
    while (Date.now() < deadline) {
      if (!isRunning(record)) throw await failure(comp.name, `${comp.name} exited during start-up`);
      if (await comp.healthy()) return;
      await sleep(250);
    }
    throw await failure(comp.name, `${comp.name} did not become healthy within ${c.startupTimeoutMs} ms`);
  }

  async function setUp(comp: Component): Promise<void> {
    try {
      await comp.setUp?.();
    } catch (err) {
      throw await failure(comp.name, `${comp.name} set-up failed: ${(err as Error).message}`, false);
    }
  }

  async function stop(names: readonly ComponentName[]): Promise<void> {
    for (const name of [...names].reverse()) {
      const result = await stopProcess(pidFile(name), c.shutdownGraceMs + 5000);
      if (result === 'stopped') log(`stopped ${name}`);
    }
  }

  return {
    /** Starts what is not running, in order; on any failure stops what this call started and throws. */
    async up(only: readonly ComponentName[] = componentNames): Promise<void> {
      const started: ComponentName[] = [];
      try {
        // On a fresh machine both servers are built from Go modules: at once, not one after the other.
        await Promise.all((['temporal', 'minio'] as const).filter((n) => only.includes(n)).map(binary));
        for (const comp of components.filter((x) => only.includes(x.name))) {
          const existing = await running(comp.name);
          if (existing) {
            log(`${comp.name} already running (pid ${existing.pid})`);
            await setUp(comp);
            continue;
          }
          for (const p of comp.ports) {
            if (!(await isPortFree(c.bindHost, p.port))) {
              const what = `cannot start ${comp.name}: port ${p.port} (${p.what}) on ${c.bindHost} is already in use`;
              throw await failure(
                comp.name,
                `${what}. Stop what uses it or choose another port in FERRY_* (see .env.example).`,
                false,
              );
            }
          }
          const cmd = await comp.command();
          const t0 = Date.now();
          const record = await startDetached({
            ...cmd,
            cwd: repoRoot,
            logFile: logFile(comp.name),
            pidFile: pidFile(comp.name),
          });
          started.push(comp.name);
          await waitHealthy(comp, record);
          await setUp(comp);
          log(`${comp.name} healthy in ${Date.now() - t0} ms (pid ${record.pid})`);
        }
      } catch (err) {
        if (started.length > 0) {
          log(`start-up failed; stopping what this run started: ${started.join(', ')}`);
          await stop(started);
        }
        throw err;
      }
    },
    async down(only: readonly ComponentName[] = componentNames): Promise<void> {
      await stop(only);
    },
    async status(): Promise<ComponentStatus[]> {
      const out: ComponentStatus[] = [];
      for (const comp of components) {
        const record = await readPidFile(pidFile(comp.name));
        let state: ComponentStatus['state'] = 'stopped';
        if (record)
          state = isRunning(record) ? ((await comp.healthy()) ? 'running' : 'unhealthy') : 'stale-pid';
        out.push({ name: comp.name, state, pid: record?.pid, urls: comp.urls, logFile: logFile(comp.name) });
      }
      return out;
    },
    /** Resolves (and if needed builds) both server binaries ahead of `up`. */
    async ensureBinaries(): Promise<void> {
      // Both first-time builds at once: on a fresh machine that halves the wait.
      await Promise.all([binary('temporal'), binary('minio')]);
    },
    urls(): Record<string, string> {
      return {
        'Ferry API': c.api.url,
        'Ferry console': `${c.api.url}/ui/`,
        'Temporal UI': c.temporal.uiUrl,
        'Temporal gRPC': c.temporal.address,
        'MinIO console': c.s3.consoleUrl,
        'MinIO S3 API': c.s3.endpoint,
        'logs and state': c.home,
        ...(existsSync(join(c.home, 'api-tokens.txt'))
          ? { 'API tokens': join(c.home, 'api-tokens.txt') }
          : {}),
      };
    },
    pidFile,
    logFile,
    hasPidFiles: () => componentNames.some((n) => existsSync(pidFile(n))),
  };
}

function httpOk(url: string): Promise<boolean> {
  return fetch(url, { signal: AbortSignal.timeout(2000) }).then(
    (res) => res.ok,
    () => false,
  );
}

/** `--name value` pairs of a server's command line. */
function flags(values: Record<string, string | number>): string[] {
  return Object.entries(values).flatMap(([name, value]) => [`--${name}`, String(value)]);
}
