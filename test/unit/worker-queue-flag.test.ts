// The worker's --queue flag is validated like FERRY_WORKER_QUEUES, and a bad one is named as the flag.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { baseEnv } from '../../core/config.js';
import { repoRoot } from '../../infra/local/stack.js';

const worker = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'worker/main.ts'), ...args], {
    cwd: repoRoot,
    // A valid variable, so only the flag can be at fault; nothing connects before config is read.
    env: { ...baseEnv(), FERRY_WORKER_QUEUES: 'pipeline' },
    encoding: 'utf8',
    timeout: 60_000,
  });

test('an unknown queue in --queue stops the worker before it connects, naming --queue and the rule', () => {
  const run = worker('--queue', 'pipeline,gpu');
  assert.notEqual(run.status, 0);
  assert.match(run.stderr, /--queue: must list "pipeline", "train" or both, comma-separated/);
  assert.doesNotMatch(run.stderr, /FERRY_WORKER_QUEUES:/);
});
