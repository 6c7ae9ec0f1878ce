// API bearer tokens: kept hashed (sha256) wherever they are persisted, compared in constant time.
import { FailureType, typedError } from '../errors.js';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { apiRoles, type ApiRole, type FerryConfig } from '../config.js';

/** A token as stored: who, which role, and the sha256 of the secret (never the secret). */
export interface StoredToken {
  name: string;
  role: ApiRole;
  sha256: string;
}

/** The caller behind a valid token. */
export interface Identity {
  name: string;
  role: ApiRole;
}

/** Thrown when the token file exists but cannot be used. */
export class TokenFileError extends typedError(FailureType.Internal) {}

export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** A token with a plaintext secret, as stored. */
function hashed(t: { name: string; role: ApiRole; secret: string }): StoredToken {
  return { name: t.name, role: t.role, sha256: hashSecret(t.secret).toString('hex') };
}

/** Every token the API accepts: FERRY_API_TOKENS plus the hashed token file when present. */
export async function loadTokens(config: FerryConfig): Promise<StoredToken[]> {
  const tokens: StoredToken[] = config.api.tokens.map(hashed);
  if (existsSync(config.api.tokensFile)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(config.api.tokensFile, 'utf8'));
    } catch (err) {
      throw new TokenFileError(`${config.api.tokensFile}: not valid JSON (${(err as Error).message})`);
    }
    if (!Array.isArray(parsed))
      throw new TokenFileError(`${config.api.tokensFile}: must be a JSON array of { name, role, sha256 }`);
    parsed.forEach((t: Partial<StoredToken>, i) => {
      if (
        typeof t.name !== 'string' ||
        !apiRoles.includes(t.role as ApiRole) ||
        typeof t.sha256 !== 'string' ||
        !/^[a-f0-9]{64}$/.test(t.sha256)
      ) {
        throw new TokenFileError(
          `${config.api.tokensFile}: entry ${i} must be { name, role (${apiRoles.join('|')}), sha256 (64 hex) }`,
        );
      }
      tokens.push({ name: t.name, role: t.role!, sha256: t.sha256 });
    });
  }
  return tokens;
}

/** Finds the token's owner. Every stored hash is compared, so timing does not reveal which matched. */
export function authenticate(tokens: readonly StoredToken[], presented: string): Identity | undefined {
  const digest = hashSecret(presented);
  let found: StoredToken | undefined;
  for (const t of tokens) {
    if (timingSafeEqual(digest, Buffer.from(t.sha256, 'hex')) && !found) found = t;
  }
  return found ? { name: found.name, role: found.role } : undefined;
}

/**
 * Local development only: when no token is configured, creates one per role. The API reads the
 * hashed file; the plaintext secrets go to a second file for the user. Both are mode 0600.
 * Returns the plaintext file's path, or undefined when tokens already exist.
 */
export async function ensureLocalTokens(config: FerryConfig): Promise<string | undefined> {
  if (config.api.tokens.length > 0 || existsSync(config.api.tokensFile)) return undefined;
  const plain = apiRoles.map((role) => ({
    name: `local-${role}`,
    role,
    secret: `ferry_${randomBytes(24).toString('base64url')}`,
  }));
  await writeFile(config.api.tokensFile, JSON.stringify(plain.map(hashed), null, 2) + '\n', { mode: 0o600 });
  await chmod(config.api.tokensFile, 0o600);
  const plainFile = join(config.home, 'api-tokens.txt');
  const text =
    [
      '# Ferry local API tokens (one per role). Use: curl -H "Authorization: Bearer <token>"',
      ...plain.map((t) => `${t.role.padEnd(9)} ${t.name.padEnd(15)} ${t.secret}`),
    ].join('\n') + '\n';
  await writeFile(plainFile, text, { mode: 0o600 });
  await chmod(plainFile, 0o600);
  return plainFile;
}
