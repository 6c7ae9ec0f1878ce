// The local stack: Temporal dev server, MinIO, the Ferry worker and the API, each a background
// process with a pid file and a log under FERRY_HOME, started in order and health-checked.
// FERRY_STACK=cluster swaps in the production-shaped set of infra/local/cluster-stack.ts.
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
import { MINIO, TEMPORAL_CLI, type BinarySpec } from './versions.js';
import { clusterComponents } from './cluster-stack.js';
import { flags, httpOk, type Component, type StackContext } from './components.js';
import { buildWorkflowBundle } from '../../worker/bundle.js';
import { temporalConnectOptions } from '../../core/temporal-connection.js';

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export const componentNames = ['temporal', 'minio', 'worker', 'api'] as const;
export type ComponentName = (typeof componentNames)[number];

/** Thrown when a component cannot start or become healthy; names the component and its log. */
export class StackError extends typedError(FailureType.Internal) {
  constructor(
    readonly component: string,
    message: string,
    readonly logFile?: string,
  ) {
    super(message);
  }
}

export interface StackOptions {
  config: FerryConfig;
  /** The caller's environment (PATH, GOPROXY …) without FERRY_* variables. */
  env: Record<string, string>;
  log?: (line: string) => void;
}

export interface ComponentStatus {
  name: string;
  state: 'running' | 'stopped' | 'stale-pid' | 'unhealthy';
  pid?: number;
  urls: Record<string, string>;
  logFile: string;
}

/** The local stack as a set of components; `up`, `down` and `status` act on them. */
export function createStack(o: StackOptions) {
  const c = o.config;
  const log = o.log ?? ((line: string) => console.log(line));
  // The cluster keeps its state, pid files and logs apart, so a dev stack in the same FERRY_HOME is untouched.
  const stateDir = c.stack === 'cluster' ? join(c.home, 'cluster') : c.home;
  const runDir = join(stateDir, 'run');
  const logDir = join(stateDir, 'logs');
  const pidFile = (n: string) => join(runDir, `${n}.pid`);
  const logFile = (n: string) => join(logDir, `${n}.log`);
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

  const resolved = new Map<string, string>();
  async function binary(spec: BinarySpec): Promise<string> {
    const cached = resolved.get(spec.name);
    if (cached) return cached;
    try {
      const r = await resolveBinary(spec, {
        cacheDir: c.cacheDir,
        env: o.env,
        log: (l) => log(`  ${l}`),
        buildTimeoutMs: c.binaryBuildTimeoutMs,
      });
      resolved.set(spec.name, r.path);
      return r.path;
    } catch (err) {
      throw new StackError(spec.name, (err as Error).message);
    }
  }
  const ctx: StackContext = {
    config: c,
    env: o.env,
    log,
    childEnv,
    workerEnv,
    stackSecret,
    webhookSecret,
    minioRootPassword,
    nodeArgs,
    binary,
  };

  const devComponents: Component[] = [
    {
      name: 'temporal',
      binaries: [TEMPORAL_CLI],
      ports: [
        { port: c.temporal.port, what: 'Temporal gRPC' },
        { port: c.temporal.uiPort, what: 'Temporal UI' },
        { port: c.temporal.httpPort, what: 'Temporal HTTP API' },
      ],
      urls: { grpc: c.temporal.address, ui: c.temporal.uiUrl },
      async command() {
        const bin = await binary(TEMPORAL_CLI);
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
      binaries: [MINIO],
      ports: [
        { port: c.s3.minioPort, what: 'MinIO S3 API' },
        { port: c.s3.consolePort, what: 'MinIO console' },
      ],
      urls: { s3: c.s3.endpoint, console: c.s3.consoleUrl },
      async command() {
        const bin = await binary(MINIO);
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

  const cluster = c.stack === 'cluster' ? clusterComponents(ctx) : undefined;
  const components = cluster?.components ?? devComponents;
  const names = components.map((x) => x.name);

  async function running(name: string): Promise<PidRecord | undefined> {
    const record = await readPidFile(pidFile(name));
    return record && isRunning(record) ? record : undefined;
  }

  /** A component's failure, with the end of its log when `withLog`. */
  async function failure(name: string, what: string, withLog = true): Promise<StackError> {
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

  async function stop(which: readonly string[]): Promise<void> {
    for (const name of [...which].reverse()) {
      const signal = components.find((x) => x.name === name)?.stopSignal;
      const result = await stopProcess(pidFile(name), c.shutdownGraceMs + 5000, signal);
      if (result === 'stopped') log(`stopped ${name}`);
    }
  }

  return {
    /** Starts what is not running, in order; on any failure stops what this call started and throws. */
    async up(only: readonly string[] = names): Promise<void> {
      const started: string[] = [];
      try {
        // On a fresh machine the servers are built from Go modules: at once, not one after the other.
        const specs = new Set(
          components.filter((x) => only.includes(x.name)).flatMap((x) => x.binaries ?? []),
        );
        await Promise.all([...specs].map(binary));
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
    async down(only: readonly string[] = names): Promise<void> {
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
    /** Resolves (and if needed builds) the stack's server binaries ahead of `up`. */
    async ensureBinaries(): Promise<void> {
      // All first-time builds at once: on a fresh machine that shortens the wait.
      await Promise.all([...new Set(components.flatMap((x) => x.binaries ?? []))].map(binary));
    },
    /** The stack's component names, in start order. */
    names,
    urls(): Record<string, string> {
      if (cluster) return cluster.urls();
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
    hasPidFiles: () => names.some((n) => existsSync(pidFile(n))),
  };
}
