// The first-run path of `npm start` on a machine that never ran Ferry: a binary resolved into an
// empty cache through the real `go install` (a small real module stands in for the pinned servers,
// through the same code), concurrent builders, a stale lock, a build timeout and a build killed halfway.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baseEnv } from '../../core/config.js';
import {
  BinaryUnavailableError,
  buildLockPath,
  cachedBinaryPath,
  cachedFilesPath,
  resolveBinary,
  type ResolveOptions,
} from '../../infra/local/binaries.js';
import { repoRoot } from '../../infra/local/stack.js';
import type { BinarySpec } from '../../infra/local/versions.js';

/** A real, small Go command (prints "Hello, world!"); builds in seconds where the servers take minutes. */
const HELLO: BinarySpec = {
  name: 'hello',
  module: 'golang.org/x/example/hello',
  version: 'v0.0.0-20250915201037-7f05d217867b',
  minGo: '1.21',
};

let scratch: string;
const env = baseEnv();

before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'ferry-binaries-'));
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** A cache folder that does not exist yet, as on a machine with no ~/.cache/ferry at all. */
async function freshCache(): Promise<string> {
  return join(await mkdtemp(join(scratch, 'case-')), 'cache', 'ferry');
}

/** An environment whose Go build cache is empty, so compiling takes long enough to be interrupted. */
async function coldGoEnv(): Promise<Record<string, string>> {
  return { ...env, GOCACHE: await mkdtemp(join(scratch, 'gocache-')) };
}

function options(
  cacheDir: string,
  extra: Partial<ResolveOptions> = {},
): ResolveOptions & { lines: string[] } {
  const lines: string[] = [];
  return { cacheDir, env, buildTimeoutMs: 300_000, log: (l) => lines.push(l), lines, ...extra };
}

async function scratchFolders(cacheDir: string): Promise<string[]> {
  return (await readdir(join(cacheDir, 'bin'))).filter((f) => f.startsWith('.'));
}

test('a binary missing from an empty cache is built with go install, then found in the cache', async () => {
  const cacheDir = await freshCache();
  const o = options(cacheDir);
  const first = await resolveBinary(HELLO, o);
  assert.equal(first.source, 'built');
  assert.equal(first.path, cachedBinaryPath(HELLO, cacheDir));
  assert.equal(spawnSync(first.path, { encoding: 'utf8' }).stdout.trim(), 'Hello, world!');
  assert.ok(o.lines.some((l) => l.startsWith('building hello')));

  const second = await resolveBinary(HELLO, options(cacheDir));
  assert.deepEqual(second, { path: first.path, source: 'cache' });
  assert.deepEqual(await scratchFolders(cacheDir), []);
  assert.equal(existsSync(buildLockPath(HELLO, cacheDir)), false);
});

test('a package inside a module is built under the spec name, with source folders copied beside it, never from PATH', async () => {
  // As temporal-server: `go install …/cmd/server` makes `server`; the schema folders must come along.
  const spec: BinarySpec = { ...HELLO, name: 'greeter', package: HELLO.module, files: ['reverse'] };
  const cacheDir = await freshCache();
  // A `greeter` on PATH has no schema folders beside it: it must not be taken.
  const pathDir = await mkdtemp(join(scratch, 'path-'));
  await writeFile(join(pathDir, 'greeter'), '#!/bin/sh\necho impostor\n', { mode: 0o755 });
  const o = options(cacheDir, { env: { ...env, PATH: `${pathDir}:${env.PATH ?? ''}` } });
  const built = await resolveBinary(spec, o);
  assert.equal(built.source, 'built');
  assert.equal(built.path, cachedBinaryPath(spec, cacheDir));
  assert.equal(spawnSync(built.path, { encoding: 'utf8' }).stdout.trim(), 'Hello, world!');
  assert.ok(existsSync(join(cachedFilesPath(spec, cacheDir, 'reverse'), 'reverse.go')));
  assert.deepEqual(await scratchFolders(cacheDir), []);
});

test('two processes resolving the same binary at once share one build', async () => {
  const cacheDir = await freshCache();
  const a = options(cacheDir);
  const b = options(cacheDir);
  const results = await Promise.all([resolveBinary(HELLO, a), resolveBinary(HELLO, b)]);
  assert.deepEqual(results.map((r) => r.source).sort(), ['built', 'cache']);
  assert.equal(results[0]!.path, results[1]!.path);
  const builds = [...a.lines, ...b.lines].filter((l) => l.startsWith('building hello'));
  assert.equal(builds.length, 1);
  assert.ok([...a.lines, ...b.lines].some((l) => l.startsWith('another process is building hello')));
});

test('a build that outlives its timeout is stopped, reported, and leaves no binary behind', async () => {
  const cacheDir = await freshCache();
  const o = options(cacheDir, { env: await coldGoEnv(), buildTimeoutMs: 300 });
  await assert.rejects(resolveBinary(HELLO, o), (err: unknown) => {
    assert.ok(err instanceof BinaryUnavailableError);
    assert.equal(err.reason, 'build-timeout');
    assert.match(err.message, /took longer than 0\.3 s and was stopped; see .*hello-.*\.log/);
    return true;
  });
  assert.equal(existsSync(cachedBinaryPath(HELLO, cacheDir)), false);
  assert.deepEqual(await scratchFolders(cacheDir), []);
  assert.equal(existsSync(buildLockPath(HELLO, cacheDir)), false);
});

test('a build killed halfway leaves no binary, and the next run takes over its stale lock and builds', async () => {
  const cacheDir = await freshCache();
  const staleLockMs = 5000;
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(repoRoot, 'test/helpers/resolve-binary-child.ts'),
      JSON.stringify({ spec: HELLO, cacheDir, env: await coldGoEnv(), buildTimeoutMs: 300_000, staleLockMs }),
    ],
    { cwd: repoRoot, env, detached: true, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  // Kill the whole process group (node and the go build it started) once the build has begun.
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('building hello')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before the build started`)));
  });
  process.kill(-child.pid!, 'SIGKILL');
  await new Promise((r) => child.once('close', r));

  assert.equal(existsSync(cachedBinaryPath(HELLO, cacheDir)), false, 'no binary from a killed build');
  assert.equal(existsSync(buildLockPath(HELLO, cacheDir)), true, 'the killed build left its lock');
  assert.equal((await scratchFolders(cacheDir)).length, 1, 'and its scratch folder');

  const o = options(cacheDir, { staleLockMs });
  const started = Date.now();
  const r = await resolveBinary(HELLO, o);
  assert.equal(r.source, 'built');
  assert.ok(Date.now() - started >= staleLockMs - 1000, 'waited for the lock to go stale');
  assert.ok(o.lines.some((l) => l.startsWith('another process is building hello')));
  assert.equal(spawnSync(r.path, { encoding: 'utf8' }).stdout.trim(), 'Hello, world!');
  assert.deepEqual(await scratchFolders(cacheDir), [], 'the leftover scratch folder was removed');
});

test('without Go, a missing binary fails naming the Go version it needs and the PATH alternative', async () => {
  const cacheDir = await freshCache();
  await assert.rejects(
    resolveBinary(HELLO, options(cacheDir, { env: { ...env, PATH: '/nonexistent' } })),
    (err) => {
      assert.ok(err instanceof BinaryUnavailableError);
      assert.equal(err.reason, 'no-go');
      assert.match(err.message, /Go ≥ 1\.21 was not found/);
      assert.match(err.message, /put a 'hello' binary on PATH/);
      return true;
    },
  );
});

test('a binary on PATH is used as it is, without a build', async () => {
  const cacheDir = await freshCache();
  const dir = await mkdtemp(join(scratch, 'path-'));
  const built = await resolveBinary(HELLO, options(join(dir, 'cache')));
  const r = await resolveBinary(
    HELLO,
    options(cacheDir, { env: { ...env, PATH: `${join(built.path, '..')}:${env.PATH}` } }),
  );
  assert.deepEqual(r, { path: built.path, source: 'path' });
  assert.equal(existsSync(join(cacheDir, 'bin')), false);
});
