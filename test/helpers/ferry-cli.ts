// Runs the `ferry` CLI as a child process (its real bin, cli/bin.mjs) against a real API listening on
// a free port over the test stack, with a token of the test roles and a config dir of its own.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baseEnv } from '../../core/config.js';
import { repoRoot } from '../../infra/local/stack.js';
import { createApiHarness, tokens, type ApiHarness, type TokenName } from './api.js';
import { createHarness, type Harness } from './pipeline.js';

/** What one `ferry` invocation did. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliFixture {
  h: Harness;
  api: ApiHarness;
  baseUrl: string;
  /** A scratch folder of this fixture (deleted at close). */
  dir: string;
  /** The CLI's bin (cli/bin.mjs). */
  bin: string;
  /** The environment a CLI child gets: a user's shell with the API's URL and the token of `who`. */
  envFor(who: TokenName | null, extra?: Record<string, string>): Record<string, string>;
  /** Runs a program (e.g. a shell script calling the CLI) in the fixture's folder. */
  exec(file: string, args: string[], env: Record<string, string>): Promise<CliResult>;
  /** Runs `ferry ...args` as `who` (a test token; null: no token), stdout not a TTY. */
  ferry(args: string[], o?: { as?: TokenName | null; env?: Record<string, string> }): Promise<CliResult>;
  /** The same, parsing stdout as the JSON document `--json` prints (asserting nothing went to it else). */
  ferryJson<T = Record<string, unknown>>(
    args: string[],
    o?: { as?: TokenName | null; env?: Record<string, string> },
  ): Promise<{ code: number; body: T; stderr: string }>;
  close(): Promise<void>;
}

export async function startCliFixture(): Promise<CliFixture> {
  const h = await createHarness();
  const dir = await mkdtemp(join(tmpdir(), 'ferry-cli-test-'));
  const api = await createApiHarness(h, {
    limits: { rateLimitPerMinute: 1_000_000, maxUploadBytes: 64 << 20, bodyLimitBytes: 1 << 20 },
  });
  const baseUrl = await api.app.listen({ host: '127.0.0.1', port: 0 });
  const bin = join(repoRoot, 'cli', 'bin.mjs');

  const envFor: CliFixture['envFor'] = (who, extra = {}) => ({
    // Only what a user's shell would have: no FERRY_* of the test stack leaks into the CLI.
    PATH: baseEnv().PATH ?? '',
    HOME: dir,
    XDG_CONFIG_HOME: join(dir, 'config'),
    FERRY_HOME: join(dir, 'no-local-stack'),
    FERRY_API_URL: baseUrl,
    ...(who ? { FERRY_TOKEN: tokens[who].secret } : {}),
    ...extra,
  });
  const exec: CliFixture['exec'] = (file, args, env) =>
    new Promise((resolve, reject) => {
      execFile(file, args, { cwd: dir, env, timeout: 600_000 }, (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        if (code === null) reject(err);
        else resolve({ code, stdout, stderr });
      });
    });
  const ferry: CliFixture['ferry'] = (args, o = {}) =>
    exec(process.execPath, [bin, ...args], envFor(o.as === undefined ? 'admin' : o.as, o.env));

  return {
    h,
    api,
    baseUrl,
    dir,
    bin,
    envFor,
    exec,
    ferry,
    async ferryJson(args, o) {
      const r = await ferry([...args, '--json'], o);
      let body;
      try {
        body = JSON.parse(r.stdout);
      } catch {
        throw new Error(
          `ferry ${args.join(' ')} --json printed no JSON (exit ${r.code}):\n${r.stdout}\n${r.stderr}`,
        );
      }
      return { code: r.code, body, stderr: r.stderr };
    },
    async close() {
      await api.close();
      await h.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Any control character but newline (ANSI escapes start with ESC, spinners redraw with CR). */
export const controlCharacters = /[\u0000-\u0009\u000b-\u001f\u007f\u009b]/;
