// `npm run test:container`: the repository's Dockerfile built with buildah on the locally built base
// image (infra/container/base-image.ts; no registry is reachable here), then its roles run for real
// with chroot isolation against this run's test stack (Temporal and MinIO on free ports): the API,
// in a namespace Ferry never ran in, registers its search attributes there, answers /readyz as
// ready and a /v1 call with a token it read from /run/secrets, its process runs
// as the image's non-root user, the image's HEALTHCHECK command passes, and a pipeline worker starts
// and reports ready with S3 credentials from the AWS SDK's chain. Everything started is stopped by its process group id; the test image is removed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import { baseEnv, config } from '../../core/config.js';
import { ferrySearchAttributes } from '../../core/contracts/index.js';
import { buildah, ensureBaseImage } from '../../infra/container/base-image.js';
import { findFreePortBlock } from '../../infra/local/free-ports.js';
import { tail } from '../../infra/local/processes.js';
import { repoRoot } from '../../infra/local/stack.js';

const c = config();
const env = baseEnv();
const image = `localhost/ferry-test:${process.pid}`;
const logDir = join(c.home, 'container-test');
const version = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version as string;
const revision =
  spawnSync('git', ['rev-parse', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).stdout.trim() || 'unknown';
const viewerToken = randomBytes(24).toString('hex');
const containers: string[] = [];
const running: ChildProcess[] = [];
let ports: { api: number; worker: number };
let secretsDir: string;

/** Runs a long command with its output in a log file; resolves with its exit code. */
function runToLog(cmd: string, args: string[], logFile: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(logFile);
    const child = spawn(cmd, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    child.on('error', reject);
    child.on('close', (code) => out.end(() => resolve(code ?? 1)));
  });
}

before(async () => {
  await mkdir(logDir, { recursive: true });
  const base = await ensureBaseImage({
    cacheDir: c.cacheDir,
    env,
    log: (l) => console.log(`  ${l}`),
    buildTimeoutMs: c.binaryBuildTimeoutMs,
  });
  console.log(`  base image ${base.ref} (${base.source})`);
  const buildLog = join(logDir, 'build.log');
  // The CA bundle this machine's npm trusts (a TLS-intercepting proxy's CA, where there is one), as
  // a build secret: the image's npm step trusts it too, and it stays out of the image.
  const cafile = spawnSync('npm', ['config', 'get', 'cafile'], { env, encoding: 'utf8' }).stdout.trim();
  const caSecret = existsSync(cafile) ? ['--secret', `id=npm_ca,src=${cafile}`] : [];
  const started = Date.now();
  const code = await runToLog(
    'buildah',
    [
      'bud',
      '--format',
      'docker',
      '--isolation',
      'chroot',
      '--layers',
      ...caSecret,
      '--build-arg',
      `BASE_IMAGE=${base.ref}`,
      '--build-arg',
      `VERSION=${version}`,
      '--build-arg',
      `GIT_REVISION=${revision}`,
      '-t',
      image,
      '.',
    ],
    buildLog,
  );
  assert.equal(code, 0, `buildah bud failed; see ${buildLog}:\n${await tail(buildLog, 20)}`);
  console.log(`  built ${image} in ${Math.round((Date.now() - started) / 1000)}s (log: ${buildLog})`);
  const block = await findFreePortBlock({ host: c.bindHost, count: 2 });
  ports = { api: block, worker: block + 1 };
  // Secrets as files, the way compose and Kubernetes hand them to the container.
  // Readable by the container's user, as a Kubernetes secret volume is; the state dir above it is 0700.
  secretsDir = join(logDir, 'secrets');
  await mkdir(secretsDir, { recursive: true, mode: 0o755 });
  await writeFile(join(secretsDir, 'FERRY_S3_ACCESS_KEY'), `${c.s3.accessKey}\n`, { mode: 0o644 });
  await writeFile(join(secretsDir, 'FERRY_S3_SECRET_KEY'), `${c.s3.secretKey}\n`, { mode: 0o644 });
  await writeFile(join(secretsDir, 'FERRY_API_TOKENS'), `container-test:viewer:${viewerToken}\n`, {
    mode: 0o644,
  });
});

after(async () => {
  for (const child of running) await stop(child);
  for (const ctr of containers) spawnSync('buildah', ['rm', ctr], { env, stdio: 'ignore' });
  spawnSync('buildah', ['rmi', '--force', image], { env, stdio: 'ignore' });
});

/** The image's configuration, as buildah reports it (Docker format: it carries the HEALTHCHECK). */
function imageConfig(): {
  User: string;
  Entrypoint: string[];
  Cmd: string[];
  Labels: Record<string, string>;
  Healthcheck?: { Test: string[] };
  Env: string[];
} {
  return JSON.parse(buildah(['inspect', '--type', 'image', image], env)).Docker.config;
}

/** Starts the image's entry point with `args` in a fresh working container; output goes to a log file. */
function startRole(
  name: string,
  args: string[],
  roleEnv: Record<string, string>,
): { child: ChildProcess; ctr: string; log: string } {
  const ctr = buildah(['from', '--quiet', '--pull-never', image], env);
  containers.push(ctr);
  const cfg = imageConfig();
  const log = join(logDir, `${name}.log`);
  const out = createWriteStream(log);
  const child = spawn(
    'buildah',
    [
      'run',
      '--isolation',
      'chroot',
      '--volume',
      `${secretsDir}:/run/secrets:ro`,
      ...Object.entries(roleEnv).flatMap(([k, v]) => ['--env', `${k}=${v}`]),
      ctr,
      '--',
      ...cfg.Entrypoint,
      ...args,
    ],
    // Its own process group, so stopping it reaches buildah and everything it runs.
    { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  running.push(child);
  return { child, ctr, log };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = new Promise((r) => child.once('close', r));
  process.kill(-child.pid, 'SIGTERM');
  const timer = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** The environment every role gets: this run's stack, reached over loopback (chroot isolation shares the host's network). */
function stackEnv(): Record<string, string> {
  return {
    FERRY_BIND_HOST: '127.0.0.1',
    FERRY_TEMPORAL_ADDRESS: c.temporal.address,
    FERRY_TEMPORAL_NAMESPACE: c.temporal.namespace,
    FERRY_S3_ENDPOINT: c.s3.endpoint,
    FERRY_S3_BUCKET: c.s3.bucket,
    FERRY_LOG_LEVEL: 'info',
  };
}

/** What /readyz answers (API and worker). */
interface Readiness {
  status?: string;
  checks?: Record<string, string>;
  queues?: { kind: string; taskQueue: string }[];
}

async function waitFor(
  url: string,
  log: string,
  ok: (status: number, body: Readiness | undefined) => boolean,
  child: ChildProcess,
): Promise<Readiness> {
  const deadline = Date.now() + 180_000;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      assert.fail(`the container exited (${child.exitCode}); see ${log}:\n${await tail(log, 20)}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
      const body = (await res.json().catch(() => undefined)) as Readiness | undefined;
      if (ok(res.status, body)) return body ?? {};
      last = `${res.status} ${JSON.stringify(body)}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  assert.fail(`${url} never answered as expected (last: ${last}); see ${log}:\n${await tail(log, 20)}`);
}

/** The pids under `root` (its descendants), from /proc. */
function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const p = queue.shift()!;
    for (const [child, ppid] of parent) {
      if (ppid !== p) continue;
      out.push(child);
      queue.push(child);
    }
  }
  return out;
}

function processOf(child: ChildProcess, script: string): { pid: number; uid: number } | undefined {
  for (const pid of descendants(child.pid!)) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (!cmdline.includes(script)) continue;
      const uid = Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
      return { pid, uid };
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

test('the image runs as a non-root user, carries version and revision labels and a health check', () => {
  const cfg = imageConfig();
  assert.equal(cfg.User, '10001:10001');
  assert.equal(cfg.Labels['org.opencontainers.image.version'], version);
  assert.equal(cfg.Labels['org.opencontainers.image.revision'], revision);
  assert.deepEqual(cfg.Entrypoint, ['/app/deploy/container/entrypoint.sh']);
  assert.deepEqual(cfg.Cmd, ['api']);
  assert.deepEqual(cfg.Healthcheck?.Test, ['CMD', '/app/deploy/container/entrypoint.sh', 'healthcheck']);
  const size = JSON.parse(buildah(['images', '--json', image], env))[0].size as number | string;
  console.log(`  image size: ${typeof size === 'number' ? `${(size / 1e6).toFixed(0)} MB` : size}`);
  // Production dependencies only: no dev tool made it into the image.
  const ctr = buildah(['from', '--quiet', '--pull-never', image], env);
  containers.push(ctr);
  const listing = buildah(
    [
      'run',
      '--isolation',
      'chroot',
      ctr,
      '--',
      'sh',
      '-c',
      'ls node_modules; ls node_modules/@tensorflow; ls dist; id -u',
    ],
    env,
  );
  for (const dev of ['typescript', 'eslint', 'prettier', 'dependency-cruiser'])
    assert.ok(!listing.split('\n').includes(dev), `${dev} is not in the image`);
  assert.ok(!listing.split('\n').includes('tfjs-node'), 'tfjs-node is left out by default');
  assert.ok(listing.split('\n').includes('workflow-bundle.js'), 'the workflow bundle is pre-built');
  assert.equal(listing.split('\n').at(-1), '10001');
});

test('the API role answers /readyz as ready against the stack, as non-root, with tokens read from /run/secrets', async () => {
  // A namespace Ferry never ran in, as on a new cluster: the API registers its search attributes there.
  const namespace = `ferry-container-${process.pid}`;
  const connection = await Connection.connect({ address: c.temporal.address });
  try {
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs('1 day'),
    });
    const { child, ctr, log } = startRole('api', ['api'], {
      ...stackEnv(),
      FERRY_TEMPORAL_NAMESPACE: namespace,
      FERRY_API_PORT: String(ports.api),
    });
    await checkApi(child, ctr, log);
    const attrs = await connection.operatorService.listSearchAttributes({ namespace });
    for (const a of ferrySearchAttributes)
      assert.ok(a.name in (attrs.customAttributes ?? {}), `${a.name} is registered in ${namespace}`);
  } finally {
    await connection.close();
  }
});

async function checkApi(child: ChildProcess, ctr: string, log: string): Promise<void> {
  const base = `http://127.0.0.1:${ports.api}`;
  const ready = await waitFor(`${base}/readyz`, log, (s, b) => s === 200 && b?.status === 'ready', child);
  assert.equal(ready.status, 'ready');
  const proc = processOf(child, 'api/main.ts');
  assert.ok(proc, 'the API process is found under the container');
  assert.equal(proc.uid, 10001, 'the API process runs as the image user, not root');
  const authed = await fetch(`${base}/v1/pipelines`, { headers: { authorization: `Bearer ${viewerToken}` } });
  assert.equal(authed.status, 200, 'the token from /run/secrets/FERRY_API_TOKENS is accepted');
  const refused = await fetch(`${base}/v1/pipelines`, {
    headers: { authorization: 'Bearer not-a-token-of-this-api' },
  });
  assert.equal(refused.status, 401);
  // The image's HEALTHCHECK command, run in the same container while the API is up.
  const health = spawnSync(
    'buildah',
    ['run', '--isolation', 'chroot', ctr, '--', '/app/deploy/container/entrypoint.sh', 'healthcheck'],
    {
      env,
      encoding: 'utf8',
    },
  );
  assert.equal(health.status, 0, `healthcheck: ${health.stderr}`);
  await stop(child);
  assert.ok(!processOf(child, 'api/main.ts'), 'the API process is gone after the stop');
}

test('the worker role starts and reports ready, reaching S3 through the AWS credential chain (as with IRSA)', async () => {
  // FERRY_S3_CREDENTIALS=aws-default-chain: the (wrong) Ferry keys are ignored and the SDK's chain
  // finds the right ones, here in AWS_* variables; on EKS the chain's web identity step finds IRSA's.
  const { child, log } = startRole('worker', ['worker', '--queue', 'pipeline'], {
    ...stackEnv(),
    FERRY_WORKER_PORT: String(ports.worker),
    FERRY_S3_CREDENTIALS: 'aws-default-chain',
    FERRY_S3_SECRET_KEY: 'not-the-secret-key',
    AWS_ACCESS_KEY_ID: c.s3.accessKey,
    AWS_SECRET_ACCESS_KEY: c.s3.secretKey,
  });
  const ready = await waitFor(
    `http://127.0.0.1:${ports.worker}/readyz`,
    log,
    (s, b) => s === 200 && b?.status === 'ready',
    child,
  );
  assert.equal(ready.checks?.temporal, 'ok');
  assert.equal(ready.checks?.objectStore, 'ok');
  // `--queue pipeline` reached the worker through the entry point: it serves that queue only.
  assert.deepEqual(
    ready.queues?.map((q) => q.kind),
    ['pipeline'],
  );
  const proc = processOf(child, 'worker/main.ts');
  assert.ok(proc && proc.uid === 10001, 'the worker runs as the image user');
  // A worker that rebuilt the bundle would have failed (the code is read-only to it); say so if it tried.
  assert.doesNotMatch(readFileSync(log, 'utf8'), /EACCES/);
  await stop(child);
});
