// Finds the Temporal CLI and MinIO binaries: PATH first, then the cache outside the checkout,
// else builds the pinned version from Go modules into that cache (so CI and later clones reuse it).
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';
import type { BinarySpec } from './versions.js';

/** Thrown when a binary is neither on PATH nor cached and cannot be built here. */
export class BinaryUnavailableError extends Error {
  override readonly name = 'BinaryUnavailableError';
  constructor(
    readonly binary: string,
    message: string,
  ) {
    super(message);
  }
}

export type BinarySource = 'path' | 'cache' | 'built';

export interface ResolvedBinary {
  path: string;
  source: BinarySource;
  buildSeconds?: number;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Looks a command up on PATH the way a shell would. */
export function findOnPath(name: string, pathVar: string): string | undefined {
  for (const dir of pathVar.split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** Where a pinned binary lives in the cache; the version is in the path, so a new pin means a new build. */
export function cachedBinaryPath(spec: BinarySpec, cacheDir: string): string {
  return join(cacheDir, 'bin', `${spec.name}-${spec.version}`, spec.name);
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Returns the local Go version ("1.26.8"), or undefined when `go` is not installed. */
export function goVersion(env: Record<string, string>): string | undefined {
  const out = spawnSync('go', ['env', 'GOVERSION'], {
    encoding: 'utf8',
    env: { ...env, GOTOOLCHAIN: 'local' },
  });
  if (out.status !== 0) return undefined;
  return out.stdout.trim().replace(/^go/, '') || undefined;
}

export interface ResolveOptions {
  cacheDir: string;
  /** The environment of the calling process (PATH, GOPROXY, GOPATH …), from core/config's baseEnv(). */
  env: Record<string, string>;
  log: (line: string) => void;
}

/** Finds or builds one binary. Concurrent callers for the same binary share one build via a lock dir. */
export async function resolveBinary(spec: BinarySpec, o: ResolveOptions): Promise<ResolvedBinary> {
  const onPath = findOnPath(spec.name, o.env.PATH ?? '');
  if (onPath) return { path: onPath, source: 'path' };
  const cached = cachedBinaryPath(spec, o.cacheDir);
  if (isExecutable(cached)) return { path: cached, source: 'cache' };

  const go = goVersion(o.env);
  if (!go || compareVersions(go, spec.minGo) < 0) {
    throw new BinaryUnavailableError(
      spec.name,
      `${spec.name} is not on PATH and not cached at ${cached}, and Go ≥ ${spec.minGo} was ${go ? `not found (found go ${go})` : 'not found'}.\n` +
        `Fix: install Go ≥ ${spec.minGo} (https://go.dev/doc/install) and re-run, or put a '${spec.name}' binary on PATH.`,
    );
  }

  // The lock sits beside the version folder, whose parent must exist first (a fresh cache has neither).
  const lockDir = `${dirname(cached)}.lock`;
  await mkdir(join(o.cacheDir, 'bin'), { recursive: true });
  await acquireLock(lockDir, spec.name, o.log);
  try {
    if (isExecutable(cached)) return { path: cached, source: 'cache' };
    const logDir = join(o.cacheDir, 'build-logs');
    await mkdir(logDir, { recursive: true });
    const logFile = join(logDir, `${spec.name}-${spec.version}.log`);
    const gobin = await mkdtemp(join(o.cacheDir, 'bin', `.${spec.name}-build-`));
    o.log(
      `building ${spec.name} ${spec.version} from ${spec.module} with go ${go} (first time only; log: ${logFile})`,
    );
    const started = Date.now();
    const code = await runLogged(
      'go',
      ['install', `${spec.module}@${spec.version}`],
      { ...o.env, GOTOOLCHAIN: 'local', GOBIN: gobin, CGO_ENABLED: o.env.CGO_ENABLED ?? '0' },
      logFile,
    );
    if (code !== 0 || !isExecutable(join(gobin, spec.name))) {
      await rm(gobin, { recursive: true, force: true });
      throw new BinaryUnavailableError(
        spec.name,
        `building ${spec.name} ${spec.version} failed (exit ${code}); see ${logFile}. ` +
          'It needs the Go module proxy to be reachable (GOPROXY) and a few GB of disk for the module cache.',
      );
    }
    await mkdir(join(cached, '..'), { recursive: true });
    await rename(join(gobin, spec.name), cached);
    await rm(gobin, { recursive: true, force: true });
    const buildSeconds = Math.round((Date.now() - started) / 1000);
    o.log(`built ${spec.name} in ${buildSeconds}s → ${cached}`);
    return { path: cached, source: 'built', buildSeconds };
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}

function runLogged(
  cmd: string,
  args: string[],
  env: Record<string, string>,
  logFile: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(logFile);
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    child.on('error', reject);
    child.on('close', (code) => {
      out.end();
      resolve(code ?? 1);
    });
  });
}

async function acquireLock(lockDir: string, name: string, log: (line: string) => void): Promise<void> {
  const deadline = Date.now() + 60 * 60 * 1000;
  let announced = false;
  for (;;) {
    try {
      await mkdir(lockDir);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (!announced) {
        log(`another process is building ${name} (lock ${lockDir}); waiting`);
        announced = true;
      }
      if (Date.now() > deadline || !existsSync(lockDir)) continue;
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
}
