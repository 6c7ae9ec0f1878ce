// `npm test`: a clean test stack (Temporal + MinIO on free ports and a state dir of this run's own, so
// a running dev stack and another clone's `npm test` are untouched), every test file, then the stack
// stopped and its state dir removed (kept, and named, when a test failed).
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baseEnv, loadConfig } from '../../core/config.js';
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
