// Durations on the command line (`--timeout 30m`, `--interval 2s`), as the API spells them.
import { InvalidArgumentError } from 'commander';

const unitMs = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Parses `90s`, `30m`, `2h`, `1d` or `500ms` into milliseconds (a commander argument parser). */
export function parseDuration(text: string): number {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(text.trim());
  if (!m) throw new InvalidArgumentError('must be a number and a unit: ms, s, m, h or d (e.g. 30m)');
  return Number(m[1]) * unitMs[m[2] as keyof typeof unitMs];
}

/** Parses a positive integer option. */
export function parsePositiveInt(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number ≥ 1');
  return n;
}
