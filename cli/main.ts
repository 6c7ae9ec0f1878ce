// `ferry`: the command line of Ferry. Parses the command line (commander), runs the command against the
// HTTP API, and ends with the exit code of its outcome (cli/exit-codes.ts, documented in docs/cli.md).
import { Command, CommanderError, Option } from 'commander';
import { registerApprovals } from './commands/approvals.js';
import { registerAudit } from './commands/audit.js';
import { registerDatasets } from './commands/datasets.js';
import { registerInit } from './commands/init.js';
import { registerLogin } from './commands/login.js';
import { registerModels } from './commands/models.js';
import { registerPipelines } from './commands/pipelines.js';
import { registerPredict } from './commands/predict.js';
import { registerRollout } from './commands/rollout.js';
import { registerRun, registerRuns } from './commands/runs.js';
import { registerSchedules } from './commands/schedules.js';
import { registerSql } from './commands/sql.js';
import { localRoles } from './connection.js';
import { CliError } from './errors.js';
import { ExitCode } from './exit-codes.js';
import { CliSettingsError, loadCliSettings } from './settings.js';

export function buildProgram(settings: ReturnType<typeof loadCliSettings>): Command {
  const program = new Command('ferry')
    .description('Drive Ferry — pipelines, runs, approvals, models, serving — through its HTTP API.')
    .version('0.1.0')
    .option('--api <url>', 'API base URL (default: FERRY_API_URL, the login profile, or the local stack)')
    .option('--token <token>', 'bearer token (default: FERRY_TOKEN, the login profile, or the local stack)')
    .option('--profile <name>', 'use this saved login (see `ferry login`)')
    .addOption(
      new Option('--as <role>', 'local stack only: which generated token to use').choices(localRoles),
    )
    .option('--json', 'print machine output only (JSON on stdout)')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `
Examples:
  $ ferry datasets push data/houses.csv --name houses
  $ ferry init --dataset houses --label price -o pipelines/houses.yaml
  $ ferry pipelines apply -f pipelines/
  $ ferry run houses --wait
  $ ferry approve <run-id> -m "holdout metrics look good" --profile reviewer
  $ ferry predict houses --row '{"rooms": 3, "area": 72}'
  $ ferry models rollback houses --to 1 -m "v2 misprices the new district"

Connection: --api / FERRY_API_URL, --token / FERRY_TOKEN, or \`ferry login\`; with none of them the
CLI uses the stack \`npm run up\` started on this machine. Exit codes: see docs/cli.md.`,
    );
  // Created after this, subcommands inherit it: commander throws instead of exiting, main() picks the code.
  program.exitOverride();
  registerLogin(program, settings);
  registerDatasets(program, settings);
  registerInit(program, settings);
  registerPipelines(program, settings);
  registerRun(program, settings);
  registerRuns(program, settings);
  registerApprovals(program, settings);
  registerModels(program, settings);
  registerRollout(program, settings);
  registerPredict(program, settings);
  registerSql(program, settings);
  registerAudit(program, settings);
  registerSchedules(program, settings);
  return program;
}

async function main(argv: string[]): Promise<number> {
  let settings;
  try {
    settings = loadCliSettings();
  } catch (err) {
    if (err instanceof CliSettingsError) {
      process.stderr.write(`ferry: ${err.message}\n`);
      return ExitCode.Usage;
    }
    throw err;
  }
  const program = buildProgram(settings);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.Ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here too, with code 0; commander already printed what it had to say.
      return err.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    }
    if (err instanceof CliError) {
      process.stderr.write(`ferry: ${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(`ferry: unexpected error: ${(err as Error).stack ?? String(err)}\n`);
    return ExitCode.Unexpected;
  }
}

// `ferry … | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});
process.exitCode = await main(process.argv);
