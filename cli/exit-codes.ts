// The CLI's exit codes, one per outcome a CI job may want to gate on (documented in docs/cli.md).

export const ExitCode = {
  /** The command did what was asked; for a run: promoted (or succeeded). */
  Ok: 0,
  /** Something unexpected: a bug, a 5xx, an answer the CLI did not understand. */
  Unexpected: 1,
  /** The command line or the input it names is wrong (also a 400/404/409 from the API). */
  Usage: 2,
  /** The API could not be reached. */
  Unreachable: 3,
  /** The API refused the token (401) or its role (403). */
  AuthRefused: 4,
  /** The run's dataset failed validation. */
  ValidationFailed: 10,
  /** The candidate failed evaluation (thresholds, champion comparison). */
  RejectedByEvaluation: 11,
  /** A person rejected the candidate. */
  RejectedByPerson: 12,
  /** The rollout rolled the candidate back. */
  RolledBack: 13,
  /** The approval timed out, or `--timeout` passed before the run ended. */
  TimedOut: 14,
  /** The run was cancelled, terminated or failed for another reason. */
  Failed: 15,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
