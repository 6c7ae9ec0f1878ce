// The base image the Dockerfile is built on here, where no container registry is reachable: a
// `debootstrap` Debian root file system plus this machine's Node.js and npm, imported with buildah.
// Built once under a lock and kept as an OCI archive in FERRY_CACHE_DIR/images (keyed by suite,
// Node version and recipe revision), so a later run, or a machine whose container storage was wiped,
// imports it in seconds instead of bootstrapping again.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, rename, rm, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { FailureType, typedError } from '../../core/errors.js';
import { acquireBuildLock, findOnPath, runLogged } from '../local/binaries.js';
import { tail } from '../local/processes.js';
import { BASE_IMAGE } from '../local/versions.js';

/** Thrown when the base image can be neither found, imported nor built. */
export class BaseImageError extends typedError(FailureType.Internal) {}

export interface BaseImageOptions {
  cacheDir: string;
  env: Record<string, string>;
  log: (line: string) => void;
  /** debootstrap and the import together may take this long. */
  buildTimeoutMs: number;
}

export interface BaseImage {
  /** The image reference to pass as the Dockerfile's BASE_IMAGE. */
  ref: string;
  source: 'storage' | 'archive' | 'built';
}

/** The tag: what the image is made of, so a new Node or a new recipe means a new image. */
export function baseImageTag(nodeVersion = process.versions.node): string {
  return `${BASE_IMAGE.suite}-node${nodeVersion}-r${BASE_IMAGE.revision}`;
}

/** Runs buildah and returns its stdout; throws with its stderr when it fails. */
export function buildah(args: string[], env: Record<string, string>): string {
  const out = spawnSync('buildah', args, { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (out.error) throw new BaseImageError(`buildah ${args[0]}: ${out.error.message}`);
  if (out.status !== 0)
    throw new BaseImageError(`buildah ${args.join(' ')} failed (exit ${out.status}): ${out.stderr.trim()}`);
  return out.stdout.trim();
}

function imageExists(ref: string, env: Record<string, string>): boolean {
  return spawnSync('buildah', ['inspect', '--type', 'image', ref], { env, stdio: 'ignore' }).status === 0;
}

/** The Debian mirror apt uses on this machine (deb822 or one-line sources), else Debian's own. */
export function debianMirror(): string {
  for (const file of ['/etc/apt/sources.list.d/debian.sources', '/etc/apt/sources.list']) {
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    const deb822 = /^URIs:\s*(\S+)/m.exec(text);
    if (deb822 && !deb822[1]!.includes('security')) return deb822[1]!;
    const oneLine = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+\S+/m.exec(text);
    if (oneLine) return oneLine[1]!;
  }
  return 'http://deb.debian.org/debian';
}

/** Finds or builds the base image; concurrent callers share one build through a lock. */
export async function ensureBaseImage(o: BaseImageOptions): Promise<BaseImage> {
  const tag = baseImageTag();
  const ref = `localhost/${BASE_IMAGE.name}:${tag}`;
  if (!findOnPath('buildah', o.env.PATH ?? ''))
    throw new BaseImageError('buildah is not installed (Debian: apt-get install -y buildah debootstrap)');
  if (imageExists(ref, o.env)) return { ref, source: 'storage' };
  const dir = join(o.cacheDir, 'images');
  await mkdir(dir, { recursive: true });
  const archive = join(dir, `${BASE_IMAGE.name}-${tag}.oci.tar`);
  const release = await acquireBuildLock(BASE_IMAGE.name, archive, `${archive}.lock`, o);
  try {
    if (imageExists(ref, o.env)) return { ref, source: 'storage' };
    const built = !existsSync(archive);
    if (built) await build(ref, tag, archive, o);
    const id = buildah(['pull', '--quiet', `oci-archive:${archive}`], o.env)
      .split('\n')
      .pop()!;
    buildah(['tag', id, ref], o.env);
    return { ref, source: built ? 'built' : 'archive' };
  } finally {
    await release();
  }
}

async function build(ref: string, tag: string, archive: string, o: BaseImageOptions): Promise<void> {
  if (!findOnPath('debootstrap', `${o.env.PATH ?? ''}:/usr/sbin:/sbin`))
    throw new BaseImageError('debootstrap is not installed (Debian: apt-get install -y debootstrap)');
  const logDir = join(o.cacheDir, 'build-logs');
  await mkdir(logDir, { recursive: true });
  const logFile = join(logDir, `${BASE_IMAGE.name}-${tag}.log`);
  const images = dirname(archive);
  // Leftovers of a build that was killed (we hold the lock, so none is running).
  for (const entry of await readdir(images))
    if (entry.startsWith(`.${BASE_IMAGE.name}-build-`)) await removeScratch(join(images, entry));
  const scratch = await mkdtemp(join(images, `.${BASE_IMAGE.name}-build-`));
  const rootfs = join(scratch, 'rootfs');
  const mirror = debianMirror();
  const started = Date.now();
  o.log(
    `building base image ${ref}: debootstrap ${BASE_IMAGE.suite} from ${mirror} (first time only; log: ${logFile})`,
  );
  try {
    const env = { ...o.env, PATH: `${o.env.PATH ?? ''}:/usr/sbin:/sbin` };
    const outcome = await runLogged(
      'debootstrap',
      [`--variant=${BASE_IMAGE.variant}`, BASE_IMAGE.suite, rootfs, mirror],
      env,
      logFile,
      o.buildTimeoutMs,
    );
    if (outcome !== 0)
      throw new BaseImageError(
        `debootstrap ${outcome === 'timeout' ? 'timed out' : `failed (exit ${outcome})`}; see ${logFile}:\n${await tail(logFile, 8)}`,
      );
    await prune(rootfs);
    await addNode(rootfs, o.env);
    const tarball = join(scratch, 'rootfs.tar');
    const tar = spawnSync('tar', ['--numeric-owner', '-C', rootfs, '-cf', tarball, '.'], {
      encoding: 'utf8',
    });
    if (tar.status !== 0) throw new BaseImageError(`tar of the root file system failed: ${tar.stderr}`);
    const ctr = buildah(['from', '--quiet', 'scratch'], o.env);
    try {
      buildah(['add', '--quiet', ctr, tarball, '/'], o.env);
      buildah(
        [
          'config',
          '--env',
          'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
          '--env',
          `NODE_VERSION=${process.versions.node}`,
          '--cmd',
          'node',
          '--label',
          `org.opencontainers.image.description=Debian ${BASE_IMAGE.suite} ${BASE_IMAGE.variant} with Node.js ${process.versions.node}, built locally for Ferry's container test`,
          ctr,
        ],
        o.env,
      );
      buildah(['commit', '--quiet', '--rm', ctr, ref], o.env);
    } catch (err) {
      spawnSync('buildah', ['rm', ctr], { env: o.env, stdio: 'ignore' });
      throw err;
    }
    // Written beside, renamed into place: the archive is either absent or whole.
    const partial = `${archive}.partial`;
    await rm(partial, { force: true });
    buildah(['push', '--quiet', ref, `oci-archive:${partial}:${ref}`], o.env);
    await rename(partial, archive);
    o.log(`built base image ${ref} in ${Math.round((Date.now() - started) / 1000)}s → ${archive}`);
  } finally {
    await removeScratch(scratch);
  }
}

/** What an image needs no copy of: package caches, documentation, translations. */
async function prune(rootfs: string): Promise<void> {
  for (const dir of [
    'var/cache/apt',
    'var/lib/apt/lists',
    'usr/share/doc',
    'usr/share/man',
    'usr/share/info',
    'usr/share/locale',
  ]) {
    const path = join(rootfs, dir);
    if (!existsSync(path)) continue;
    for (const entry of await readdir(path)) await rm(join(path, entry), { recursive: true, force: true });
  }
}

/** Copies this machine's node binary and npm into /usr/local, the layout of the official Node images. */
async function addNode(rootfs: string, env: Record<string, string>): Promise<void> {
  await mkdir(join(rootfs, 'usr/local/bin'), { recursive: true });
  await cp(realpathSync(process.execPath), join(rootfs, 'usr/local/bin/node'), { preserveTimestamps: true });
  const npmBin = findOnPath('npm', env.PATH ?? '');
  const npmRoot = npmBin ? dirname(dirname(realpathSync(npmBin))) : undefined;
  const isNpm = (dir?: string) => {
    try {
      return dir !== undefined && JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name === 'npm';
    } catch {
      return false;
    }
  };
  if (!isNpm(npmRoot))
    throw new BaseImageError(`could not find npm's package folder (npm on PATH: ${npmBin ?? 'none'})`);
  const target = join(rootfs, 'usr/local/lib/node_modules/npm');
  await mkdir(dirname(target), { recursive: true });
  await cp(npmRoot!, target, { recursive: true, verbatimSymlinks: true });
  await symlink('../lib/node_modules/npm/bin/npm-cli.js', join(rootfs, 'usr/local/bin/npm'));
  await symlink('../lib/node_modules/npm/bin/npx-cli.js', join(rootfs, 'usr/local/bin/npx'));
}

/** Removes a scratch folder, first unmounting anything a killed debootstrap left mounted in it (/proc). */
async function removeScratch(dir: string): Promise<void> {
  const mounts = readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[1] ?? '')
    .filter((m) => m.startsWith(`${dir}/`))
    .sort()
    .reverse();
  for (const m of mounts) spawnSync('umount', ['-l', m], { stdio: 'ignore' });
  if (mounts.length > 0 && readFileSync('/proc/mounts', 'utf8').includes(`${dir}/`))
    throw new BaseImageError(
      `could not unmount what a killed debootstrap left under ${dir}; unmount it by hand`,
    );
  await rm(dir, { recursive: true, force: true });
}
