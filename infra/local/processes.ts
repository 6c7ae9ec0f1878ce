// Background processes owned by the local stack: started detached with a pid file, stopped by that
// pid only (never by name), with a check that the pid still belongs to the program we started.
import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname } from 'node:path';

/** What a pid file records about the process it names. */
export interface PidRecord {
  pid: number;
  /** The executable, used to tell our process from an unrelated one that reused the pid. */
  command: string;
  startedAt: string;
}

export interface StartSpec {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  logFile: string;
  pidFile: string;
  /** Run as this user (PostgreSQL, which refuses root); the stack must run as root to switch. */
  user?: { uid: number; gid: number };
}

/** Starts a process in its own process group, detached from ours, with stdout/stderr appended to a log. */
export async function startDetached(spec: StartSpec): Promise<PidRecord> {
  await mkdir(dirname(spec.logFile), { recursive: true });
  await mkdir(dirname(spec.pidFile), { recursive: true });
  const fd = openSync(spec.logFile, 'a');
  try {
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: ['ignore', fd, fd],
      ...(spec.user ? { uid: spec.user.uid, gid: spec.user.gid } : {}),
    });
    const pid = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('spawn', () => resolve(child.pid!));
    });
    child.unref();
    const record: PidRecord = { pid, command: spec.command, startedAt: new Date().toISOString() };
    await writeFile(spec.pidFile, JSON.stringify(record) + '\n');
    return record;
  } finally {
    closeSync(fd);
  }
}

export const readPidFile = (pidFile: string): Promise<PidRecord | undefined> =>
  readFile(pidFile, 'utf8')
    .then(JSON.parse)
    .catch(() => undefined);

/** True when the pid is alive and still runs the command we started (not a reused pid). */
export function isRunning(record: PidRecord): boolean {
  try {
    process.kill(record.pid, 0);
  } catch {
    return false;
  }
  try {
    const cmdline = readFileSync(`/proc/${record.pid}/cmdline`, 'utf8').split('\0');
    if (cmdline[0] === undefined) return false;
    const stat = readFileSync(`/proc/${record.pid}/stat`, 'utf8');
    // A zombie has exited; it only waits to be reaped.
    if (/\) Z /.test(stat)) return false;
    return cmdline[0] === record.command || cmdline[0].endsWith(`/${record.command.split('/').pop()}`);
  } catch {
    // No /proc (not Linux): trust the signal check.
    return true;
  }
}

/** Stops the process group we started: SIGTERM (or `signal`), then SIGKILL after the grace period. */
export async function stopProcess(
  pidFile: string,
  graceMs: number,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<'stopped' | 'not-running'> {
  const record = await readPidFile(pidFile);
  if (!record) return 'not-running';
  if (!isRunning(record)) {
    await rm(pidFile, { force: true });
    return 'not-running';
  }
  signalGroup(record.pid, signal);
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && isRunning(record)) await sleep(100);
  if (isRunning(record)) {
    signalGroup(record.pid, 'SIGKILL');
    while (isRunning(record)) await sleep(50);
  }
  await rm(pidFile, { force: true });
  return 'stopped';
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    // Negative pid: the whole group we created with `detached`, so helper children go too.
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

/** Resolves when the port can be bound on the host (nothing else listens there). */
export function isPortFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** The last lines of a log file, for error messages. */
export const tail = (file: string, lines = 15): Promise<string> =>
  readFile(file, 'utf8').then(
    (text) => text.trimEnd().split('\n').slice(-lines).join('\n'),
    () => '(no log yet)',
  );
