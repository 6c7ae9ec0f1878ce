// The CLI's own settings, read once from the environment: where the API is, which token to send, where
// the login profile lives, and where a local stack (`npm run up`) keeps its generated tokens.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';

const Env = z.object({
  FERRY_API_URL: z.url({ error: 'must be an http(s) URL, e.g. http://127.0.0.1:8080' }).optional(),
  FERRY_TOKEN: z.string().min(1, 'must not be empty').optional(),
  FERRY_PROFILE: z.string().min(1, 'must not be empty').optional(),
  FERRY_HOME: z.string().min(1, 'must not be empty').optional(),
  FERRY_API_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  FERRY_BIND_HOST: z.string().min(1).optional(),
  XDG_CONFIG_HOME: z.string().min(1).optional(),
  NO_COLOR: z.string().optional(),
  FORCE_COLOR: z.string().optional(),
});

/** What the CLI reads from its environment. */
export interface CliSettings {
  /** FERRY_API_URL, when set. */
  readonly apiUrl: string | undefined;
  /** FERRY_TOKEN, when set. */
  readonly token: string | undefined;
  /** The login profile file (FERRY_PROFILE, else $XDG_CONFIG_HOME/ferry/profile.json, else ~/.config/…). */
  readonly profilePath: string;
  /** A local stack's state dir (FERRY_HOME, default ~/.ferry): its api-tokens.txt and API port. */
  readonly localHome: string;
  /** The URL a local stack's API listens on. */
  readonly localApiUrl: string;
  /** NO_COLOR set (https://no-color.org): never colour, even on a terminal. */
  readonly noColor: boolean;
}

/** Thrown when a CLI environment variable has a value the CLI cannot use. */
export class CliSettingsError extends Error {
  override readonly name = 'CliSettingsError';
}

export function loadCliSettings(env: Record<string, string | undefined> = process.env): CliSettings {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    throw new CliSettingsError(
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
  }
  const e = parsed.data;
  const configHome = e.XDG_CONFIG_HOME ?? join(homedir(), '.config');
  const host = e.FERRY_BIND_HOST && e.FERRY_BIND_HOST !== '0.0.0.0' ? e.FERRY_BIND_HOST : '127.0.0.1';
  return Object.freeze({
    apiUrl: e.FERRY_API_URL,
    token: e.FERRY_TOKEN,
    profilePath: resolve(e.FERRY_PROFILE ?? join(configHome, 'ferry', 'profile.json')),
    localHome: resolve(e.FERRY_HOME ?? join(homedir(), '.ferry')),
    localApiUrl: `http://${host.includes(':') ? `[${host}]` : host}:${e.FERRY_API_PORT ?? 8080}`,
    noColor: e.NO_COLOR !== undefined && e.NO_COLOR !== '',
  });
}
