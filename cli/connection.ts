// Which API the CLI talks to and with which token: flags, then FERRY_API_URL / FERRY_TOKEN, then the
// login profile, then the stack `npm run up` started on this machine (its generated api-tokens.txt).
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { Connection } from './client.js';
import { UsageError } from './errors.js';
import type { CliSettings } from './settings.js';

const Profile = z.object({ url: z.string(), token: z.string() });
const ProfileFile = z.object({
  current: z.string(),
  profiles: z.record(z.string(), Profile),
});
type ProfileFile = z.infer<typeof ProfileFile>;
/** A saved login: an API URL and its token. */
export type Profile = z.infer<typeof Profile>;

/** The roles a local stack generates a token for, lowest first. */
export const localRoles = ['viewer', 'operator', 'approver', 'admin'] as const;
export type LocalRole = (typeof localRoles)[number];

/** What the global flags say about the connection. */
export interface ConnectionFlags {
  api?: string;
  token?: string;
  profile?: string;
  /** Which of a local stack's generated tokens to use. */
  as?: LocalRole;
}

async function readProfiles(path: string): Promise<ProfileFile | undefined> {
  if (!existsSync(path)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new UsageError(
      `${path}: not valid JSON (${(err as Error).message}); fix or delete it and \`ferry login\` again`,
    );
  }
  const parsed = ProfileFile.safeParse(raw);
  if (!parsed.success)
    throw new UsageError(`${path}: not a Ferry profile file (${parsed.error.issues[0]?.message})`);
  return parsed.data;
}

/** Saves a login under `name` and makes it current; the file is mode 0600 (it holds a secret). */
export async function saveProfile(path: string, name: string, profile: Profile): Promise<void> {
  const file = (await readProfiles(path)) ?? { current: name, profiles: {} };
  file.profiles[name] = profile;
  file.current = name;
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(file, null, 2) + '\n', { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, path);
}

/** The generated token of a role in a local stack's api-tokens.txt (`role name secret` per line). */
async function localToken(home: string, role: LocalRole): Promise<string | undefined> {
  const file = join(home, 'api-tokens.txt');
  if (!existsSync(file)) return undefined;
  for (const line of (await readFile(file, 'utf8')).split('\n')) {
    const [r, , secret] = line.trim().split(/\s+/);
    if (r === role && secret) return secret;
  }
  return undefined;
}

const trimSlash = (u: string) => u.replace(/\/+$/, '');

export async function resolveConnection(flags: ConnectionFlags, settings: CliSettings): Promise<Connection> {
  const profiles = await readProfiles(settings.profilePath);
  const profileName = flags.profile ?? profiles?.current;
  const profile = profileName ? profiles?.profiles[profileName] : undefined;
  if (flags.profile && !profile) {
    const known = Object.keys(profiles?.profiles ?? {});
    throw new UsageError(
      `--profile ${flags.profile}: no such profile in ${settings.profilePath}` +
        (known.length ? ` (known: ${known.join(', ')})` : ' (create one with `ferry login`)'),
    );
  }
  const url = trimSlash(flags.api ?? settings.apiUrl ?? profile?.url ?? settings.localApiUrl);
  if (!/^https?:\/\/[^/]/.test(url)) throw new UsageError(`--api ${url}: must be an http(s) URL`);

  if (flags.token) return { url, token: flags.token, tokenSource: '--token' };
  // --as is a flag, so it beats the environment and the profile; it only ever means a local stack's token.
  if (flags.as) {
    if (url !== settings.localApiUrl)
      throw new UsageError(
        `--as ${flags.as}: picks a token of the local stack (${settings.localApiUrl}), not of ${url}`,
      );
    const token = await localToken(settings.localHome, flags.as);
    if (!token)
      throw new UsageError(
        `--as ${flags.as}: no ${flags.as} token in ${join(settings.localHome, 'api-tokens.txt')} (is the stack up? \`npm run up\`)`,
      );
    return {
      url,
      token,
      tokenSource: `local stack ${flags.as} token (${settings.localHome}/api-tokens.txt)`,
    };
  }
  if (settings.token) return { url, token: settings.token, tokenSource: 'FERRY_TOKEN' };
  // A profile's token belongs to its URL: never send it to another server.
  if (profile && trimSlash(profile.url) === url)
    return { url, token: profile.token, tokenSource: `profile ${profileName} (${settings.profilePath})` };
  if (url === settings.localApiUrl) {
    const role = flags.as ?? 'admin';
    const token = await localToken(settings.localHome, role);
    if (token)
      return { url, token, tokenSource: `local stack ${role} token (${settings.localHome}/api-tokens.txt)` };
  }
  return { url, token: undefined, tokenSource: 'none' };
}
