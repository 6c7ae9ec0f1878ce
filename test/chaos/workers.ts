// A pool of real worker processes (worker/main.ts) for the chaos suite, restarted after each kill the
// way a process supervisor (systemd, a Kubernetes Deployment) would restart them.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../infra/local/stack.js';

export interface WorkerPool {
  /** Pids of the workers alive now. */
  pids(): number[];
  /** SIGKILLs one worker (the given pid, else a random one); the pool starts a replacement after `restartMs`. */
  kill(pid?: number): number | undefined;
  /** SIGKILLs every worker at once; replacements follow after `restartMs`. */
  killAll(): number;
  readonly kills: number;
  stop(): Promise<void>;
}

export function startWorkerPool(o: {
  size: number;
  env: Record<string, string>;
  /** First of `size` consecutive free ports for the workers' health servers. */
  healthPort: number;
  logDir: string;
  restartMs: number;
}): WorkerPool {
  const slots: (ChildProcess | undefined)[] = Array.from({ length: o.size }, () => undefined);
  let stopping = false;
  let kills = 0;

  function launch(slot: number): void {
    const fd = openSync(join(o.logDir, `worker-${slot}.log`), 'a');
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'worker/main.ts')], {
      cwd: repoRoot,
      env: { ...o.env, FERRY_WORKER_PORT: String(o.healthPort + slot) },
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    slots[slot] = child;
    child.once('exit', () => {
      if (slots[slot] === child) slots[slot] = undefined;
      if (!stopping) setTimeout(() => !stopping && !slots[slot] && launch(slot), o.restartMs);
    });
  }
  for (let i = 0; i < o.size; i++) launch(i);

  const alive = () => slots.filter((c): c is ChildProcess => !!c && c.exitCode === null && !c.killed);
  return {
    pids: () => alive().map((c) => c.pid!),
    kill(pid) {
      const live = alive();
      const target = pid ? live.find((c) => c.pid === pid) : live[Math.floor(Math.random() * live.length)];
      if (!target) return undefined;
      target.kill('SIGKILL');
      kills++;
      return target.pid;
    },
    killAll() {
      const live = alive();
      for (const c of live) c.kill('SIGKILL');
      kills += live.length;
      return live.length;
    },
    get kills() {
      return kills;
    },
    async stop() {
      stopping = true;
      await Promise.all(
        alive().map(
          (c) =>
            new Promise<void>((resolve) => {
              c.once('exit', () => resolve());
              c.kill('SIGTERM');
              setTimeout(() => c.kill('SIGKILL'), 15_000).unref();
            }),
        ),
      );
    },
  };
}
