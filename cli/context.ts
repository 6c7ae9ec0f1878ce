// What every command's action gets: its output, the API client and connection, and the settings, built
// from the global flags (--api, --token, --profile, --as, --json) once the command line is parsed.
import type { Command } from 'commander';
import { createApiClient, type ApiClient, type Connection } from './client.js';
import { resolveConnection, type ConnectionFlags } from './connection.js';
import { createOutput, type Output } from './render.js';
import type { CliSettings } from './settings.js';
import type { ExitCode } from './exit-codes.js';

export interface CommandContext {
  out: Output;
  api: ApiClient;
  conn: Connection;
  settings: CliSettings;
}

/** The global flags, as commander parses them. */
export interface GlobalFlags extends ConnectionFlags {
  json?: boolean;
}

/**
 * Wraps a command's action: builds its context, passes its arguments and options, and sets the exit
 * code it returns (an action that returns nothing succeeded).
 */
export function withContext<A extends unknown[]>(
  settings: CliSettings,
  fn: (ctx: CommandContext, ...args: A) => Promise<ExitCode | void>,
): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    const flags = command.optsWithGlobals<GlobalFlags>();
    const out = createOutput({ json: Boolean(flags.json), noColor: settings.noColor });
    const conn = await resolveConnection(flags, settings);
    const code = await fn({ out, api: createApiClient(conn), conn, settings }, ...(args.slice(0, -1) as A));
    if (code !== undefined) process.exitCode = code;
  };
}
