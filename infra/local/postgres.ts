// PostgreSQL from the machine's packages (Debian's postgresql-15), run by the stack itself on a data
// dir of its own: finding the binaries, and running a command to completion as a given user.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { FailureType, typedError } from '../../core/errors.js';

/** Thrown when PostgreSQL is not installed or one of its set-up commands fails. */
export class PostgresSetupError extends typedError(FailureType.Internal) {}

export interface OsUser {
  uid: number;
  gid: number;
}

const pgRoot = '/usr/lib/postgresql';

/** The bin folder of the newest PostgreSQL installed from Debian's packages. */
export function findPostgres(): string {
  const versions = existsSync(pgRoot)
    ? readdirSync(pgRoot)
        .filter((v) => existsSync(join(pgRoot, v, 'bin', 'postgres')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0)
    throw new PostgresSetupError(
      `PostgreSQL is not installed (no ${pgRoot}/*/bin/postgres). Fix: apt-get install postgresql ` +
        '(the stack runs its own server under FERRY_HOME; the system service is not needed).',
    );
  return join(pgRoot, versions[0]!, 'bin');
}

/** The uid/gid of a local user (PostgreSQL runs as `postgres` when the stack runs as root). */
export function osUser(name: string): OsUser {
  const id = (flag: string) => Number(spawnSync('id', [flag, name], { encoding: 'utf8' }).stdout.trim());
  const uid = id('-u');
  const gid = id('-g');
  if (!Number.isInteger(uid) || uid <= 0 || !Number.isInteger(gid))
    throw new PostgresSetupError(
      `PostgreSQL refuses to run as root and there is no '${name}' user to run it as. Fix: apt-get install postgresql (it creates that user), or run as another user.`,
    );
  return { uid, gid };
}

/** Runs a command to completion; throws with its output when it exits non-zero. */
export function runChecked(
  command: string,
  args: string[],
  env: Record<string, string>,
  what: string,
  user?: OsUser,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(user ? { uid: user.uid, gid: user.gid, cwd: '/' } : {}),
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else
        reject(
          new PostgresSetupError(`${what} ${args.join(' ')} exited ${code}:\n${output.trim().slice(-2000)}`),
        );
    });
  });
}
