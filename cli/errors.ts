// The CLI's errors: each says what went wrong in one line a person can act on, and carries the exit code
// it ends the process with. main.ts prints the message and exits; nothing matches on message text.
import { ExitCode } from './exit-codes.js';

/** Base of every error the CLI reports to its user (anything else is a bug: exit 1 with a stack). */
export abstract class CliError extends Error {
  abstract readonly exitCode: ExitCode;
}

/** Thrown when the command line or a file it names cannot be used. */
export class UsageError extends CliError {
  override readonly name = 'UsageError';
  readonly exitCode = ExitCode.Usage;
}

/** Thrown when nothing answers at the API's URL. */
export class ApiUnreachableError extends CliError {
  override readonly name = 'ApiUnreachableError';
  readonly exitCode = ExitCode.Unreachable;
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(
      `cannot reach the Ferry API at ${url} (${reason}). Start a local stack with \`npm run up\`, ` +
        'or point the CLI at yours with --api URL, FERRY_API_URL or `ferry login`.',
    );
  }
}

/** One field error of a problem+json answer. */
export interface FieldProblem {
  field: string;
  rule: string;
}

/** A problem+json answer (RFC 9457) as the API sends it. */
export interface ProblemBody {
  type?: string;
  title?: string;
  status?: number;
  code?: string;
  detail?: string;
  errors?: FieldProblem[];
}

/** Thrown when the API answers with an error status; `problem` is its problem+json body. */
export class ApiProblemError extends CliError {
  override readonly name = 'ApiProblemError';
  readonly exitCode: ExitCode;
  constructor(
    readonly status: number,
    readonly problem: ProblemBody,
  ) {
    super(problemLine(status, problem));
    this.exitCode =
      status === 401 || status === 403
        ? ExitCode.AuthRefused
        : status >= 400 && status < 500
          ? ExitCode.Usage
          : ExitCode.Unexpected;
  }
}

/** One readable line: the status and code, then each field with its rule (or the detail). */
function problemLine(status: number, p: ProblemBody): string {
  const head = `${status} ${p.code ?? p.title ?? 'error'}`;
  const fields = (p.errors ?? []).map((e) => `${e.field}: ${e.rule}`);
  const detail = fields.length > 0 ? fields.join('; ') : (p.detail ?? p.title ?? '');
  return detail ? `${head}: ${detail}` : head;
}

/** Thrown by `ferry run --wait` / `runs watch` when a run ends in anything but promotion. */
export class RunOutcomeError extends CliError {
  override readonly name = 'RunOutcomeError';
  constructor(
    readonly exitCode: ExitCode,
    message: string,
  ) {
    super(message);
  }
}
