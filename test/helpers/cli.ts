// Runs the stack CLI (`npm run up|down|status`) as a child process with a given environment.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../../infra/local/stack.js';

export function runStackCli(
  command: 'up' | 'down' | 'status',
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(repoRoot, 'infra/local/cli.ts'), command],
      {
        cwd: repoRoot,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}
