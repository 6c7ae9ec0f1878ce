// The local stack as a user drives it: `up` brings up real Temporal, MinIO, worker and API; a workflow
// round-trips an artifact through MinIO; `down` leaves no process and no bound port.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { baseEnv, loadConfig, type FerryConfig } from '../../core/config.js';
import { createObjectStore } from '../../core/storage/object-store.js';
import { isPortFree, isRunning, readPidFile } from '../../infra/local/processes.js';
import { findFreePortBlock, stackPortCount, stackPortEnv } from '../../infra/local/free-ports.js';
import { componentNames, createStack } from '../../infra/local/stack.js';
import { runStackCli } from '../helpers/cli.js';

let home: string;
let env: Record<string, string>;
let config: FerryConfig;

before(async () => {
  home = await mkdtemp(join(tmpdir(), 'ferry-lifecycle-'));
  env = {
    ...baseEnv(),
    FERRY_HOME: home,
    ...stackPortEnv(await findFreePortBlock({ host: '127.0.0.1', count: stackPortCount })),
    FERRY_TASK_QUEUE: 'ferry-lifecycle',
    FERRY_LOG_LEVEL: 'warn',
  };
  config = loadConfig(env);
});

after(async () => {
  await runStackCli('down', env);
  await rm(home, { recursive: true, force: true });
});

function allPorts(c: FerryConfig): number[] {
  return [
    c.temporal.port,
    c.temporal.uiPort,
    c.temporal.httpPort,
    c.s3.minioPort,
    c.s3.consolePort,
    c.api.port,
    c.worker.port,
  ];
}

test('up starts every component healthy, a workflow round-trips an artifact, and down frees every port', async () => {
  const up = await runStackCli('up', env);
  assert.equal(up.code, 0, up.stderr + up.stdout);
  for (const name of componentNames) assert.match(up.stdout, new RegExp(`${name} healthy in \\d+ ms`));
  assert.match(up.stdout, new RegExp(`Temporal UI\\s+http://127\\.0\\.0\\.1:${config.temporal.uiPort}`));

  const again = await runStackCli('up', env);
  assert.equal(again.code, 0);
  for (const name of componentNames) assert.match(again.stdout, new RegExp(`${name} already running`));

  const ui = await fetch(config.temporal.uiUrl);
  assert.equal(ui.status, 200);
  const consolePage = await fetch(config.s3.consoleUrl);
  assert.equal(consolePage.status, 200);
  const ready = await fetch(`${config.api.url}/readyz`);
  assert.deepEqual(await ready.json(), {
    status: 'ready',
    scope: 'all',
    checks: { temporal: 'ok', objectStore: 'ok' },
  });

  const connection = await Connection.connect({ address: config.temporal.address });
  try {
    const client = new Client({ connection, namespace: config.temporal.namespace });
    const key = `lifecycle/${Date.now()}.txt`;
    const result = await client.workflow.execute('pingWorkflow', {
      taskQueue: config.temporal.taskQueue,
      workflowId: `ping-lifecycle-${Date.now()}`,
      args: [{ key, content: 'round trip' }],
    });
    assert.deepEqual(result, {
      key,
      bytes: 10,
      sha256: 'dcdd22226bc947f5071f8796d4769af5c2302717c477f1c2baed1a1f06db0675',
    });
    const stored = await createObjectStore(config.s3).get(key);
    assert.equal(stored.toString('utf8'), 'round trip');
  } finally {
    await connection.close();
  }

  const records = await Promise.all(componentNames.map((n) => readPidFile(join(home, 'run', `${n}.pid`))));
  await assertSecretsOnlyWhereUsed(records.map((r) => r!.pid));
  const down = await runStackCli('down', env);
  assert.equal(down.code, 0, down.stderr);
  for (const r of records) assert.equal(isRunning(r!), false, `pid ${r!.pid} still running`);
  for (const port of allPorts(config))
    assert.equal(await isPortFree(config.bindHost, port), true, `port ${port} still bound`);
  const status = await runStackCli('status', env);
  for (const name of componentNames) assert.match(status.stdout, new RegExp(`${name}\\s+stopped`));
});

/** Each process sees only the secrets it uses: MinIO's root stays with MinIO, tokens with the API. */
async function assertSecretsOnlyWhereUsed(pids: number[]): Promise<void> {
  const [temporal, minio, worker, api] = await Promise.all(pids.map(environOf));
  const rootPassword = (await readFile(join(home, 'minio-root-password'), 'utf8')).trim();
  assert.equal(minio!.MINIO_ROOT_USER, 'ferry-root');
  assert.equal(minio!.MINIO_ROOT_PASSWORD, rootPassword);
  for (const [name, e] of [
    ['temporal', temporal],
    ['worker', worker],
    ['api', api],
  ] as const) {
    const holding = Object.entries(e!)
      .filter(([, v]) => v.includes(rootPassword))
      .map(([k]) => k);
    assert.deepEqual(holding, [], `${name} holds MinIO's root password in ${holding.join(', ')}`);
    assert.equal(e!.MINIO_ROOT_PASSWORD, undefined, `${name} has MINIO_ROOT_PASSWORD`);
  }
  for (const e of [worker!, api!]) assert.equal(e.FERRY_S3_ACCESS_KEY, 'ferry-app');
  assert.equal(worker!.FERRY_API_TOKENS, undefined, 'the worker holds the API tokens');
  assert.ok('FERRY_API_TOKENS' in api!, 'the API is not given its tokens');
  assert.ok(worker!.FERRY_WEBHOOK_SECRET, 'the worker has the webhook key');
  assert.equal(api!.FERRY_WEBHOOK_SECRET, undefined, 'the API holds the webhook key');
  // The console's session key was generated once for the API, and only the API has it.
  const sessionSecret = (await readFile(join(home, 'session-secret'), 'utf8')).trim();
  assert.equal(api!.FERRY_SESSION_SECRET, sessionSecret);
  assert.ok(sessionSecret.length >= 32);
  assert.equal(worker!.FERRY_SESSION_SECRET, undefined, 'the worker holds the session key');
}

async function environOf(pid: number): Promise<Record<string, string>> {
  const raw = await readFile(`/proc/${pid}/environ`, 'utf8');
  return Object.fromEntries(
    raw
      .split('\0')
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
}

test('a taken port makes up fail naming the component and its log, and stop what it started', async () => {
  const blocker: Server = createServer();
  await new Promise<void>((r) => blocker.listen(config.api.port, config.bindHost, () => r()));
  try {
    const up = await runStackCli('up', env);
    assert.notEqual(up.code, 0);
    assert.match(
      up.stderr,
      new RegExp(
        `✗ api: cannot start api: port ${config.api.port} \\(API\\) on 127\\.0\\.0\\.1 is already in use`,
      ),
    );
    assert.match(up.stderr, new RegExp(`log file: ${join(home, 'logs', 'api.log').replace(/\//g, '\\/')}`));
    assert.match(up.stdout, /stopping what this run started: temporal, minio, worker/);
    const stack = createStack({ config, env: baseEnv() });
    for (const s of await stack.status()) assert.equal(s.state, 'stopped', `${s.name} is ${s.state}`);
  } finally {
    await new Promise((r) => blocker.close(r));
  }
});
