// `npm test`: a clean test stack (Temporal + MinIO on their own ports and state dir, so a running
// dev stack is untouched), every test file through node's test runner, then the stack stopped.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baseEnv, loadConfig } from '../../core/config.js';
import { buildWorkflowBundle } from '../../worker/bundle.js';
import { createStack, repoRoot } from './stack.js';

/** FERRY_* overrides for the test stack: its own state dir and ports. */
export const testStackEnv: Record<string, string> = {
  FERRY_HOME: join(tmpdir(), 'ferry-test-stack'),
  FERRY_TEMPORAL_PORT: '17233',
  FERRY_TEMPORAL_UI_PORT: '18233',
  FERRY_TEMPORAL_HTTP_PORT: '17243',
  FERRY_MINIO_PORT: '19000',
  FERRY_MINIO_CONSOLE_PORT: '19001',
  FERRY_API_PORT: '18080',
  FERRY_WORKER_PORT: '18091',
  FERRY_S3_BUCKET: 'ferry-test',
  FERRY_LOG_LEVEL: 'warn',
};

function testFiles(filter: string | undefined): string[] {
  const files: string[] = [];
  for (const dir of ['test/unit', 'test/integration']) {
    for (const f of readdirSync(join(repoRoot, dir)).sort()) {
      if (f.endsWith('.test.ts') && (!filter || f.includes(filter))) files.push(join(dir, f));
    }
  }
  return files;
}

export async function runTests(filter = process.argv[3]): Promise<number> {
  const env = { ...baseEnv(), ...testStackEnv };
  const config = loadConfig(env);
  const stack = createStack({ config, env: baseEnv() });
  await stack.down();
  // Clean state each run: tests assert on what they create.
  await rm(join(config.home, 'temporal'), { recursive: true, force: true });
  await rm(join(config.home, 'minio'), { recursive: true, force: true });
  await buildWorkflowBundle();
  try {
    await stack.up(['temporal', 'minio']);
    const files = testFiles(filter);
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files],
      { cwd: repoRoot, env: { ...env, CI: env.CI ?? '' }, stdio: 'inherit' },
    );
    return result.status ?? 1;
  } finally {
    await stack.down();
  }
}
