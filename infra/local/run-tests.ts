// `npm test`: a clean test stack (Temporal + MinIO on free ports and a state dir of this run's own, so
// a running dev stack and another clone's `npm test` are untouched), every test file, then the stack
// stopped and its state dir removed (kept, and named, when a test failed).
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baseEnv, clusterPortCount, loadConfig } from '../../core/config.js';
import { buildWorkflowBundle } from '../../worker/bundle.js';
import { findFreePortBlock, stackPortCount, stackPortEnv } from './free-ports.js';
import { createStack, repoRoot } from './stack.js';

/** FERRY_* overrides for one test run: a fresh state dir and a block of ports free right now. */
export async function testStackEnv(bindHost: string): Promise<Record<string, string>> {
  const home = await mkdtemp(join(tmpdir(), 'ferry-test-stack-'));
  const base = await findFreePortBlock({ host: bindHost, count: stackPortCount });
  return { FERRY_HOME: home, ...stackPortEnv(base), FERRY_S3_BUCKET: 'ferry-test', FERRY_LOG_LEVEL: 'warn' };
}

/** The folders `npm test` runs; `npm run test:schemathesis` runs test/schemathesis the same way. */
export const defaultTestDirs = ['test/unit', 'test/integration'];

function testFiles(filter: string | undefined, dirs: readonly string[]): string[] {
  const files: string[] = [];
  for (const dir of dirs) {
    for (const f of readdirSync(join(repoRoot, dir)).sort()) {
      if (f.endsWith('.test.ts') && (!filter || f.includes(filter))) files.push(join(dir, f));
    }
  }
  return files;
}

export async function runTests(
  filter = process.argv[3],
  dirs: readonly string[] = defaultTestDirs,
): Promise<number> {
  const base = baseEnv();
  const env = { ...base, ...(await testStackEnv(loadConfig(base).bindHost)) };
  const config = loadConfig(env);
  const stack = createStack({ config, env: base });
  console.log(
    `test stack: state ${config.home}, Temporal ${config.temporal.address}, MinIO ${config.s3.endpoint}`,
  );
  await buildWorkflowBundle();
  let status = 1;
  try {
    await stack.up(['temporal', 'minio']);
    const files = testFiles(filter, dirs);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files],
      { cwd: repoRoot, env: { ...env, CI: env.CI ?? '' }, stdio: 'inherit' },
    );
    // Stopped from outside (Ctrl-C, a CI timeout): stop the tests, then the stack below, not leave it running.
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward).on('SIGTERM', forward);
    status = await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
    process.off('SIGINT', forward).off('SIGTERM', forward);
    return status;
  } finally {
    await stack.down();
    if (status === 0) await rm(config.home, { recursive: true, force: true });
    else console.log(`test stack state and logs kept for inspection: ${config.home}`);
  }
}

/** The folder `npm run test:cluster` runs, against a whole cluster stack (not part of `npm test`). */
export const clusterTestDir = 'test/cluster';

/**
 * `npm run test:cluster [-- --short] [filter]`: a fresh cluster stack (PostgreSQL, Temporal's services,
 * UI, 4-drive MinIO, 2+2 workers, API, 2 serving replicas) on a block of free ports with a state dir
 * of its own, the test/cluster files, then the stack stopped and its state removed (kept when a test failed).
 * `--short` runs only the tests whose name carries "[short]" (the subset in .ci/run).
 */
export async function runClusterTests(args: readonly string[]): Promise<number> {
  const short = args.includes('--short');
  const filter = args.find((a) => !a.startsWith('--'));
  const base = baseEnv();
  const bindHost = loadConfig(base).bindHost;
  const home = await mkdtemp(join(tmpdir(), 'ferry-cluster-test-'));
  const portBase = await findFreePortBlock({ host: bindHost, count: stackPortCount + clusterPortCount });
  // One token per role, generated for this run: the API and the serving replicas read them from the env.
  const tokens = (['viewer', 'operator', 'approver', 'admin'] as const)
    .map((role) => `cluster-${role}:${role}:${randomBytes(18).toString('base64url')}`)
    .join(',');
  const env: Record<string, string> = {
    ...base,
    FERRY_HOME: home,
    ...stackPortEnv(portBase),
    FERRY_CLUSTER_PORT_BASE: String(portBase + stackPortCount),
    FERRY_STACK: 'cluster',
    FERRY_S3_BUCKET: 'ferry-test',
    FERRY_LOG_LEVEL: 'warn',
    FERRY_API_TOKENS: tokens,
  };
  const config = loadConfig(env);
  const stack = createStack({ config, env: base });
  console.log(`cluster test stack: state ${config.home}, Temporal ${config.temporal.address}`);
  let status = 1;
  const started = Date.now();
  try {
    await stack.up();
    console.log(`cluster up in ${Math.round((Date.now() - started) / 1000)} s`);
    const files = testFiles(filter, [clusterTestDir]);
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--test',
        '--test-concurrency=1',
        '--test-reporter=spec',
        ...(short ? ['--test-name-pattern=\\[short\\]'] : []),
        ...files,
      ],
      { cwd: repoRoot, env: { ...env, CI: env.CI ?? '' }, stdio: 'inherit' },
    );
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward).on('SIGTERM', forward);
    status = await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
    process.off('SIGINT', forward).off('SIGTERM', forward);
    return status;
  } finally {
    await stack.down();
    if (status === 0) {
      // As root, PostgreSQL's data sits outside FERRY_HOME (linked from it): remove both.
      const pg = join(config.home, 'cluster', 'postgres');
      const target = await realpath(pg).catch(() => undefined);
      if (target && target !== pg) await rm(target, { recursive: true, force: true });
      await rm(config.home, { recursive: true, force: true });
    } else console.log(`cluster test stack state and logs kept for inspection: ${config.home}`);
  }
}
