// Finds the Temporal CLI and MinIO binaries: PATH first, then the cache outside the checkout,
// else builds the pinned version from Go modules into that cache (so CI and later clones reuse it).
// A build is atomic: it happens in a scratch folder and is renamed into place only once it succeeded,
// so a build killed halfway leaves nothing that a later run could mistake for a binary.
import { FailureType, typedError } from '../../core/errors.js';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, createWriteStream, readdirSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { basename, delimiter, dirname, join } from 'node:path';
import lockfile from 'proper-lockfile';
import { tail } from './processes.js';
import type { BinarySpec, LocalGoTool } from './versions.js';

/** Why a binary could not be had: what the error's caller (and its tests) decide on. */
export type BinaryUnavailableReason = 'no-go' | 'build-failed' | 'build-timeout' | 'lock-timeout';

/** Thrown when a binary is neither on PATH nor cached and cannot be built here. */
export class BinaryUnavailableError extends typedError(FailureType.Internal) {
  constructor(
    readonly binary: string,
    readonly reason: BinaryUnavailableReason,
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

/**
 * The spec of a tool built from Go source in this repository: its version is a hash of that source
 * (go.mod, go.sum, *.go), so editing the source builds a new binary and an unchanged one is reused.
 */
export function localToolSpec(tool: LocalGoTool, root: string): BinarySpec {
  const dir = join(root, tool.sourceDir);
  const hash = createHash('sha256');
  for (const f of readdirSync(dir).sort()) {
    if (f === 'go.mod' || f === 'go.sum' || f.endsWith('.go'))
      hash.update(f).update(readFileSync(join(dir, f)));
  }
  return {
    name: tool.name,
    module: `./${tool.sourceDir}`,
    version: `src-${hash.digest('hex').slice(0, 12)}`,
    minGo: tool.minGo,
    sourceDir: dir,
  };
}

/** Where a pinned binary lives in the cache; the version is in the path, so a new pin means a new build. */
export function cachedBinaryPath(spec: BinarySpec, cacheDir: string): string {
  return join(cacheDir, 'bin', `${spec.name}-${spec.version}`, spec.name);
}

/** Where a folder listed in a spec's `files` is copied: beside the cached binary, under the same relative path. */
export function cachedFilesPath(spec: BinarySpec, cacheDir: string, relative: string): string {
  return join(dirname(cachedBinaryPath(spec, cacheDir)), relative);
}

/** The lock that serialises builds of one pinned binary; it sits beside the version folder. */
export function buildLockPath(spec: BinarySpec, cacheDir: string): string {
  return `${dirname(cachedBinaryPath(spec, cacheDir))}.lock`;
}

/** Scratch folders of builds are named with this prefix inside `<cache>/bin`. */
function scratchPrefix(spec: BinarySpec): string {
  return `.${spec.name}-${spec.version}-build-`;
}

/** Orders dotted versions by their numbers ("1.9" < "1.25"). */
const compareVersions = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true });

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
  /** A build that takes longer is killed (with everything it started) and reported. */
  buildTimeoutMs: number;
  /** A lock whose holder stopped refreshing it for this long is stale (its process died) and is taken over. */
  staleLockMs?: number;
}

/** Finds or builds one binary. Concurrent callers for the same binary share one build via a lock. */
export async function resolveBinary(spec: BinarySpec, o: ResolveOptions): Promise<ResolvedBinary> {
  // A binary that reads files of its module (schemas) is only taken from the cache, where they sit beside it.
  const onPath = spec.files?.length ? undefined : findOnPath(spec.name, o.env.PATH ?? '');
  if (onPath) return { path: onPath, source: 'path' };
  const cached = cachedBinaryPath(spec, o.cacheDir);
  if (isExecutable(cached)) return { path: cached, source: 'cache' };

  const go = goVersion(o.env);
  if (!go || compareVersions(go, spec.minGo) < 0) {
    throw new BinaryUnavailableError(
      spec.name,
      'no-go',
      `${spec.name} is not on PATH and not cached at ${cached}, and Go ≥ ${spec.minGo} was ${go ? `not found (found go ${go})` : 'not found'}.\n` +
        `Fix: install Go ≥ ${spec.minGo} (https://go.dev/doc/install) and re-run, or put a '${spec.name}' binary on PATH.`,
    );
  }

  const binDir = join(o.cacheDir, 'bin');
  await mkdir(binDir, { recursive: true });
  const release = await acquireBuildLock(
    spec.name,
    cachedBinaryPath(spec, o.cacheDir),
    buildLockPath(spec, o.cacheDir),
    o,
  );
  try {
    if (isExecutable(cached)) return { path: cached, source: 'cache' };
    // Holding the lock, any scratch folder of this binary is a leftover of a build that was killed.
    for (const entry of await readdir(binDir)) {
      if (entry.startsWith(scratchPrefix(spec)))
        await rm(join(binDir, entry), { recursive: true, force: true });
    }
    return await build(spec, go, cached, o);
  } finally {
    await release();
  }
}

async function build(
  spec: BinarySpec,
  go: string,
  cached: string,
  o: ResolveOptions,
): Promise<ResolvedBinary> {
  const logDir = join(o.cacheDir, 'build-logs');
  await mkdir(logDir, { recursive: true });
  const logFile = join(logDir, `${spec.name}-${spec.version}.log`);
  const gobin = await mkdtemp(join(o.cacheDir, 'bin', scratchPrefix(spec)));
  o.log(
    `building ${spec.name} ${spec.version} from ${spec.module} with go ${go} (first time only; log: ${logFile})`,
  );
  const started = Date.now();
  try {
    const goEnv = { ...o.env, GOTOOLCHAIN: 'local', GOBIN: gobin, CGO_ENABLED: o.env.CGO_ENABLED ?? '0' };
    const pkg = spec.package ?? spec.module;
    // A published module is installed at its pinned version; a tool of this repository is built from its folder.
    const outcome = spec.sourceDir
      ? await runLogged(
          'go',
          ['build', '-o', join(gobin, basename(pkg)), '.'],
          goEnv,
          logFile,
          o.buildTimeoutMs,
          {
            cwd: spec.sourceDir,
          },
        )
      : await runLogged('go', ['install', `${pkg}@${spec.version}`], goEnv, logFile, o.buildTimeoutMs);
    if (outcome === 'timeout')
      throw new BinaryUnavailableError(
        spec.name,
        'build-timeout',
        `building ${spec.name} ${spec.version} took longer than ${(o.buildTimeoutMs / 1000).toFixed(1)} s and was stopped; ` +
          `see ${logFile}. Raise FERRY_BINARY_BUILD_TIMEOUT_MS on a slow machine.`,
      );
    // `go install` names the binary after the package's last element (…/cmd/server → server).
    const built = join(gobin, basename(pkg));
    if (outcome !== 0 || !isExecutable(built))
      throw new BinaryUnavailableError(
        spec.name,
        'build-failed',
        `building ${spec.name} ${spec.version} failed (exit ${outcome}); see ${logFile}:\n${await tail(logFile, 8)}\n` +
          'It needs the Go module proxy to be reachable (GOPROXY) and a few GB of disk for the module cache.',
      );
    await mkdir(dirname(cached), { recursive: true });
    // The files first: a cached binary is the mark of a complete build, files included.
    if (spec.files?.length) await copyModuleFiles(spec, o.cacheDir, goEnv);
    // rename() is atomic within one file system: the cached path is either absent or a whole binary.
    await rename(built, cached);
    const buildSeconds = Math.round((Date.now() - started) / 1000);
    o.log(`built ${spec.name} in ${buildSeconds}s → ${cached}`);
    return { path: cached, source: 'built', buildSeconds };
  } finally {
    await rm(gobin, { recursive: true, force: true });
  }
}

/** Copies `spec.files` from the module's source in the Go module cache (which `go install` just filled). */
async function copyModuleFiles(
  spec: BinarySpec,
  cacheDir: string,
  env: Record<string, string>,
): Promise<void> {
  const out = spawnSync('go', ['mod', 'download', '-json', `${spec.module}@${spec.version}`], {
    encoding: 'utf8',
    env,
    cwd: cacheDir,
  });
  const dir = out.status === 0 ? (JSON.parse(out.stdout) as { Dir?: string }).Dir : undefined;
  if (!dir)
    throw new BinaryUnavailableError(
      spec.name,
      'build-failed',
      `could not locate the source of ${spec.module}@${spec.version} in the Go module cache: ${out.stderr.trim()}`,
    );
  for (const relative of spec.files ?? []) {
    const target = cachedFilesPath(spec, cacheDir, relative);
    await rm(target, { recursive: true, force: true });
    // Module cache files are read-only; the copies keep that, which is what a reader needs.
    await cp(join(dir, relative), target, { recursive: true });
  }
}

/**
 * Takes the build lock of one cached artifact (a binary, a base image), waiting while another live
 * process builds it. The holder refreshes the lock's mtime; a lock left by a killed process goes
 * stale and is taken over.
 */
export async function acquireBuildLock(
  name: string,
  target: string,
  lockPath: string,
  o: Pick<ResolveOptions, 'buildTimeoutMs' | 'staleLockMs' | 'log'>,
): Promise<() => Promise<void>> {
  const stale = o.staleLockMs ?? 20_000;
  const waitMs = o.buildTimeoutMs + stale;
  const pollMs = 1000;
  let announced = false;
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return await lockfile.lock(target, {
        lockfilePath: lockPath,
        realpath: false,
        stale,
        update: Math.max(1000, Math.floor(stale / 4)),
        // A lost lock (clock jump, disk full) is reported by the build itself failing; don't crash the process.
        onCompromised: (err) => o.log(`lock ${lockPath} was compromised: ${err.message}`),
      });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err;
      if (Date.now() > deadline)
        throw new BinaryUnavailableError(
          name,
          'lock-timeout',
          `another process has held the build lock ${lockPath} for over ${Math.round(waitMs / 1000)} s; ` +
            'if no build is running, remove that folder and re-run.',
        );
      if (!announced) {
        o.log(`another process is building ${name} (lock ${lockPath}); waiting`);
        announced = true;
      }
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }
}

/** Runs a command with its output in a log file; kills it on timeout (its short-lived compilers end on their own). */
export function runLogged(
  cmd: string,
  args: string[],
  env: Record<string, string>,
  logFile: string,
  timeoutMs: number,
  options: { cwd?: string } = {},
): Promise<number | 'timeout'> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(logFile);
    // In our process group, so Ctrl-C on `npm start` stops the build too.
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      out.end(() => resolve(timedOut ? 'timeout' : (code ?? 1)));
    });
  });
}
