// The production-shaped local stack (FERRY_STACK=cluster): PostgreSQL for persistence and SQL
// visibility, the Temporal server's four services as separate processes sharing one generated
// config, the Temporal UI server, MinIO on four drives (erasure coding), two pipeline workers, two
// training workers, the API and two serving replicas. The same Ferry code as the dev stack; only
// addresses, ports and processes differ.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { stringify } from 'yaml';
import { setUpNamespace } from '../../core/temporal-setup.js';
import { temporalConnectOptions } from '../../core/temporal-connection.js';
import { buildWorkflowBundle } from '../../worker/bundle.js';
import { clusterPorts, type ClusterPorts } from './cluster-ports.js';
import { cachedFilesPath } from './binaries.js';
import { findPostgres, osUser, runChecked, type OsUser } from './postgres.js';
import { bucketPolicy, createMinioAdmin } from './minio-admin.js';
import { createObjectStore } from '../../core/storage/object-store.js';
import { ensureLocalTokens } from '../../core/auth/tokens.js';
import { MINIO, TEMPORAL_SERVER, TEMPORAL_SQL_TOOL, TEMPORAL_UI_SERVER } from './versions.js';
import { flags, httpOk, type Component, type StackContext } from './components.js';

/** Temporal's services, each its own process; history and matching first, the frontend needs them. */
export const temporalServices = ['history', 'matching', 'frontend', 'worker'] as const;
export type TemporalService = (typeof temporalServices)[number];

/** The Ferry worker processes: two per task queue, so one can die while its twin carries on. */
export const clusterWorkers = [
  { name: 'worker-pipeline-1', queue: 'pipeline' },
  { name: 'worker-pipeline-2', queue: 'pipeline' },
  { name: 'worker-train-1', queue: 'train' },
  { name: 'worker-train-2', queue: 'train' },
] as const;

export const servingReplicas = ['serve-1', 'serve-2'] as const;

/** Fixed for the cluster's life (history shards cannot be changed later); small, for one machine. */
const numHistoryShards = 4;
const pgUser = 'temporal';
const databases = { default: 'temporal', visibility: 'temporal_visibility' } as const;

/** Resolves once something accepts TCP connections on host:port. */
export function tcpOpen(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export function clusterComponents(ctx: StackContext): {
  components: Component[];
  urls(): Record<string, string>;
  ports: ClusterPorts;
} {
  const c = ctx.config;
  const ports = clusterPorts(c);
  const dir = join(c.home, 'cluster');
  const temporalDir = join(dir, 'temporal');
  const configFile = join(temporalDir, 'config.yaml');
  const host = c.bindHost;
  const pgPassword = () => ctx.stackSecret(undefined, 'cluster-postgres-password', 'PostgreSQL password');

  // PostgreSQL refuses to run as root: as root, it runs as the `postgres` user on a data dir that user
  // owns outside FERRY_HOME (which root keeps private), linked from FERRY_HOME/cluster/postgres.
  const runAs: OsUser | undefined = process.getuid?.() === 0 ? osUser('postgres') : undefined;
  const pgDir = runAs
    ? join(tmpdir(), `ferry-postgres-${createHash('sha256').update(c.home).digest('hex').slice(0, 12)}`)
    : join(dir, 'postgres');
  const pgData = join(pgDir, 'data');
  const pgSockets = join(pgDir, 'sockets');

  async function temporalConfig(): Promise<void> {
    const password = await pgPassword();
    const store = (databaseName: string, maxConns: number) => ({
      sql: {
        pluginName: 'postgres12',
        databaseName,
        connectAddr: `${host}:${ports.postgres}`,
        connectProtocol: 'tcp',
        user: pgUser,
        password,
        maxConns,
        maxIdleConns: maxConns,
        maxConnLifetime: '1h',
      },
    });
    const rpc = (grpcPort: number, membershipPort: number, extra: object = {}) => ({
      rpc: { grpcPort, membershipPort, bindOnIP: host, ...extra },
    });
    const doc = {
      log: { stdout: true, level: 'warn', format: 'json' },
      persistence: {
        defaultStore: 'postgres-default',
        visibilityStore: 'postgres-visibility',
        numHistoryShards,
        datastores: {
          'postgres-default': store(databases.default, 10),
          'postgres-visibility': store(databases.visibility, 4),
        },
      },
      global: { membership: { maxJoinDuration: '30s', broadcastAddress: host } },
      services: {
        frontend: rpc(c.temporal.port, ports.frontendMembership, { httpPort: c.temporal.httpPort }),
        history: rpc(ports.historyGrpc, ports.historyMembership),
        matching: rpc(ports.matchingGrpc, ports.matchingMembership),
        worker: rpc(ports.workerGrpc, ports.workerMembership),
      },
      clusterMetadata: {
        enableGlobalNamespace: false,
        failoverVersionIncrement: 10,
        masterClusterName: 'active',
        currentClusterName: 'active',
        clusterInformation: {
          active: {
            enabled: true,
            initialFailoverVersion: 1,
            rpcName: 'frontend',
            rpcAddress: c.temporal.address,
          },
        },
      },
      dcRedirectionPolicy: { policy: 'noop' },
      dynamicConfigClient: { filepath: join(temporalDir, 'dynamic-config.yaml'), pollInterval: '10s' },
    };
    await mkdir(temporalDir, { recursive: true });
    // Holds the database password: readable by this user only.
    await writeFile(configFile, stringify(doc), { mode: 0o600 });
    await writeFile(
      join(temporalDir, 'dynamic-config.yaml'),
      stringify({
        // A just-registered search attribute is usable at once (not after a cache refresh).
        'system.forceSearchAttributesCacheRefreshOnRead': [{ value: true, constraints: {} }],
      }),
    );
  }

  async function sqlTool(args: string[]): Promise<void> {
    const tool = await ctx.binary(TEMPORAL_SQL_TOOL);
    await runChecked(
      tool,
      [...flags({ ep: host, p: ports.postgres, u: pgUser, pl: 'postgres12' }), ...args],
      { ...ctx.env, SQL_PASSWORD: await pgPassword() },
      'temporal-sql-tool',
    );
  }

  const postgres: Component = {
    name: 'postgres',
    binaries: [TEMPORAL_SQL_TOOL],
    stopSignal: 'SIGINT', // fast shutdown: SIGTERM would wait for every client to disconnect
    ports: [{ port: ports.postgres, what: 'PostgreSQL' }],
    urls: { postgres: `postgresql://${pgUser}@${host}:${ports.postgres}/${databases.default}` },
    async command() {
      const bin = findPostgres();
      if (!existsSync(join(pgData, 'PG_VERSION'))) {
        await rm(pgDir, { recursive: true, force: true });
        await mkdir(pgSockets, { recursive: true, mode: 0o700 });
        const pwFile = join(pgDir, 'initdb-password');
        await writeFile(pwFile, `${await pgPassword()}\n`, { mode: 0o600 });
        if (runAs) {
          for (const p of [pgDir, pgSockets, pwFile]) await chown(p, runAs.uid, runAs.gid);
          await chmod(pgDir, 0o700);
        }
        ctx.log(`  initdb ${pgData}${runAs ? ' (as the postgres user)' : ''}`);
        await runChecked(
          join(bin, 'initdb'),
          [
            '-D',
            pgData,
            '-U',
            pgUser,
            `--pwfile=${pwFile}`,
            '--auth=scram-sha-256',
            '-E',
            'UTF8',
            '--no-instructions',
          ],
          ctx.env,
          'initdb',
          runAs,
        );
        await rm(pwFile, { force: true });
        if (runAs) {
          await mkdir(dir, { recursive: true });
          await rm(join(dir, 'postgres'), { force: true, recursive: true });
          await symlink(pgDir, join(dir, 'postgres'));
        }
      }
      return {
        command: join(bin, 'postgres'),
        args: [
          '-D',
          pgData,
          '-p',
          String(ports.postgres),
          '-k',
          pgSockets,
          '-c',
          `listen_addresses=${host}`,
          '-c',
          'max_connections=200',
        ],
        env: ctx.env,
        ...(runAs ? { user: runAs } : {}),
      };
    },
    healthy: () => tcpOpen(host, ports.postgres),
    async setUp() {
      // The databases and their schema: created once, then brought to this server version's schema
      // (update-schema is idempotent, so a newer pin upgrades an existing cluster).
      // Beside the data (so a data dir lost with a cleaned /tmp is set up again, not assumed done).
      const marker = join(pgDir, 'schema-created');
      if (!existsSync(marker)) {
        for (const db of Object.values(databases)) {
          await sqlTool(['--db', db, 'create-database']);
          await sqlTool(['--db', db, 'setup-schema', '-v', '0.0']);
        }
        await writeFile(marker, `${new Date().toISOString()}\n`);
      }
      const schemaRoot = cachedFilesPath(TEMPORAL_SERVER, c.cacheDir, 'schema/postgresql/v12');
      await sqlTool([
        '--db',
        databases.default,
        'update-schema',
        '-d',
        join(schemaRoot, 'temporal', 'versioned'),
      ]);
      await sqlTool([
        '--db',
        databases.visibility,
        'update-schema',
        '-d',
        join(schemaRoot, 'visibility', 'versioned'),
      ]);
    },
  };

  const service = (svc: TemporalService): Component => {
    const grpc = {
      frontend: c.temporal.port,
      history: ports.historyGrpc,
      matching: ports.matchingGrpc,
      worker: ports.workerGrpc,
    }[svc];
    const membership = {
      frontend: ports.frontendMembership,
      history: ports.historyMembership,
      matching: ports.matchingMembership,
      worker: ports.workerMembership,
    }[svc];
    return {
      name: `temporal-${svc}`,
      binaries: [TEMPORAL_SERVER],
      ports: [
        { port: grpc, what: `Temporal ${svc} gRPC` },
        { port: membership, what: `Temporal ${svc} membership` },
        ...(svc === 'frontend' ? [{ port: c.temporal.httpPort, what: 'Temporal HTTP API' }] : []),
      ],
      urls: svc === 'frontend' ? { grpc: c.temporal.address } : { grpc: `${host}:${grpc}` },
      async command() {
        await temporalConfig();
        return {
          command: await ctx.binary(TEMPORAL_SERVER),
          args: ['--config-file', configFile, '--allow-no-auth', 'start', '--service', svc],
          env: ctx.env,
        };
      },
      healthy:
        svc === 'frontend'
          ? async () => {
              let connection: Connection | undefined;
              try {
                connection = await Connection.connect({
                  ...(await temporalConnectOptions(c.temporal)),
                  connectTimeout: 1000,
                });
                await connection.workflowService.getSystemInfo({});
                return true;
              } catch {
                return false;
              } finally {
                await connection?.close();
              }
            }
          : () => tcpOpen(host, grpc),
      ...(svc === 'frontend'
        ? {
            async setUp() {
              const connection = await Connection.connect(await temporalConnectOptions(c.temporal));
              try {
                const { namespace, added } = await setUpNamespace(
                  connection,
                  c.temporal.namespace,
                  c.temporal.namespaceRetentionMs,
                  c.startupTimeoutMs,
                );
                if (namespace !== 'unchanged') ctx.log(`  namespace ${c.temporal.namespace}: ${namespace}`);
                if (added.length > 0) ctx.log(`  registered search attributes: ${added.join(', ')}`);
              } finally {
                await connection.close();
              }
            },
          }
        : {}),
    };
  };

  const uiDir = join(dir, 'ui');
  const ui: Component = {
    name: 'temporal-ui',
    binaries: [TEMPORAL_UI_SERVER],
    ports: [{ port: c.temporal.uiPort, what: 'Temporal UI' }],
    urls: { ui: c.temporal.uiUrl },
    async command() {
      await mkdir(join(uiDir, 'config'), { recursive: true });
      await writeFile(
        join(uiDir, 'config', 'base.yaml'),
        stringify({
          temporalGrpcAddress: c.temporal.address,
          host,
          port: c.temporal.uiPort,
          enableUi: true,
          defaultNamespace: c.temporal.namespace,
          cors: { cookieInsecure: true, allowOrigins: [c.temporal.uiUrl] },
        }),
      );
      await writeFile(join(uiDir, 'config', 'ferry.yaml'), '{}\n');
      return {
        command: await ctx.binary(TEMPORAL_UI_SERVER),
        args: ['--root', uiDir, '--config', 'config', '--env', 'ferry', 'start'],
        env: ctx.env,
      };
    },
    healthy: () => httpOk(c.temporal.uiUrl),
  };

  const minioDir = join(dir, 'minio');
  const minio: Component = {
    name: 'minio',
    binaries: [MINIO],
    ports: [
      { port: c.s3.minioPort, what: 'MinIO S3 API' },
      { port: c.s3.consolePort, what: 'MinIO console' },
    ],
    urls: { s3: c.s3.endpoint, console: c.s3.consoleUrl },
    async command() {
      for (let i = 1; i <= 4; i++) await mkdir(join(minioDir, `drive${i}`), { recursive: true });
      return {
        command: await ctx.binary(MINIO),
        args: [
          'server',
          // MinIO expands {1...4} itself: four drives in one erasure set (2 data + 2 parity by default).
          join(minioDir, 'drive{1...4}'),
          ...flags({
            address: `${host}:${c.s3.minioPort}`,
            'console-address': `${host}:${c.s3.consolePort}`,
          }),
          '--quiet',
        ],
        env: {
          ...ctx.env,
          MINIO_ROOT_USER: c.s3.minioRoot.user,
          MINIO_ROOT_PASSWORD: await ctx.minioRootPassword(),
          MINIO_BROWSER_REDIRECT: 'off',
          MINIO_UPDATE: 'off',
          MINIO_CALLHOME_ENABLE: 'off',
          // The four drive folders share this machine's root disk, which MinIO refuses for erasure
          // sets unless told this is a CI/dev set-up (production gives it real drives).
          MINIO_CI_CD: 'on',
        },
      };
    },
    // Cluster health: ready only once the erasure set has write quorum.
    healthy: () => httpOk(`${c.s3.endpoint}/minio/health/cluster`),
    async setUp() {
      const root = { accessKey: c.s3.minioRoot.user, secretKey: await ctx.minioRootPassword() };
      await createObjectStore({ ...c.s3, ...root }).ensureBucket();
      const admin = createMinioAdmin({ endpoint: c.s3.endpoint, region: c.s3.region, ...root });
      const policy = `ferry-${c.s3.bucket}`;
      await admin.addPolicy(policy, bucketPolicy(c.s3.bucket));
      await admin.addUser(c.s3.accessKey, c.s3.secretKey);
      await admin.setUserPolicy(c.s3.accessKey, policy);
    },
  };

  const workers: Component[] = clusterWorkers.map((w, i) => {
    const port = ports.workers[i]!;
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    return {
      name: w.name,
      ports: [{ port, what: `${w.name} health` }],
      urls: { health: `${url}/readyz` },
      async command() {
        const bundle = await buildWorkflowBundle();
        if (bundle.rebuilt) ctx.log(`  workflow bundle rebuilt → ${bundle.path}`);
        return {
          command: process.execPath,
          args: [...ctx.nodeArgs('worker/main.ts'), '--queue', w.queue],
          env: {
            ...ctx.workerEnv,
            FERRY_WORKER_PORT: String(port),
            FERRY_WEBHOOK_SECRET: await ctx.webhookSecret(),
          },
        };
      },
      healthy: () => httpOk(`${url}/readyz`),
    };
  });

  const api: Component = {
    name: 'api',
    ports: [{ port: c.api.port, what: 'API' }],
    urls: { api: c.api.url },
    async command() {
      const tokensFile = await ensureLocalTokens(c);
      if (tokensFile)
        ctx.log(`  no API tokens configured: generated one per role → ${tokensFile} (mode 0600)`);
      return { command: process.execPath, args: ctx.nodeArgs('api/main.ts'), env: ctx.childEnv };
    },
    healthy: () => httpOk(`${c.api.url}/readyz`),
  };

  const serving: Component[] = servingReplicas.map((name, i) => {
    const port = ports.serving[i]!;
    const url = servingUrl(c.bindHost, port, Boolean(c.api.tls));
    return {
      name,
      ports: [{ port, what: `serving replica ${name}` }],
      urls: { serving: url },
      async command() {
        return {
          command: process.execPath,
          args: [...ctx.nodeArgs('api/serve-main.ts'), '--port', String(port)],
          env: ctx.childEnv,
        };
      },
      healthy: () => httpOk(`${url}/readyz`),
    };
  });

  return {
    ports,
    components: [postgres, ...temporalServices.map(service), ui, minio, ...workers, api, ...serving],
    urls: () => ({
      'Ferry API': c.api.url,
      ...Object.fromEntries(
        servingReplicas.map((n, i) => [
          `serving ${n}`,
          servingUrl(c.bindHost, ports.serving[i]!, Boolean(c.api.tls)),
        ]),
      ),
      'Temporal UI': c.temporal.uiUrl,
      'Temporal gRPC': c.temporal.address,
      PostgreSQL: `${host}:${ports.postgres} (password in ${join(c.home, 'cluster-postgres-password')})`,
      'MinIO console': c.s3.consoleUrl,
      'MinIO S3 API': c.s3.endpoint,
      'logs and state': c.home,
    }),
  };
}

export function servingUrl(bindHost: string, port: number, tls: boolean): string {
  return `${tls ? 'https' : 'http'}://${bindHost.includes(':') ? `[${bindHost}]` : bindHost}:${port}`;
}
