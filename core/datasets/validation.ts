// Data validation for a training run: every check a pipeline spec asks for, computed by DuckDB over
// the snapshot's local Parquet in a handful of scans, with messages written for people. Footer
// statistics stand in for scanning only in files the caller says Ferry wrote. The checks live in
// validation/checks.ts, drift in validation/drift.ts, footer reading in validation/parquet-footer.ts.
import { literal } from '../data/duckdb.js';
import { validate } from './validation/checks.js';
import type {
  ValidationCheck,
  ValidationInput,
  ValidationResult,
  ValidationSummary,
} from './validation/types.js';

export {
  ValidationCheckName,
  type ReferenceProfile,
  type ValidationCheck,
  type ValidationInput,
  type ValidationResult,
  type ValidationSummary,
} from './validation/types.js';

/** Runs every check the spec asks for. Problems in the data are results, not exceptions. */
export async function runValidationChecks(input: ValidationInput): Promise<ValidationCheck[]> {
  return (await runValidation(input)).checks;
}

/**
 * Runs every check, and returns the reference profile drift used so the caller can store it.
 *
 * Over more than `maxExactRows` rows two answers come from deterministic samples, and their messages
 * say so: the duplicate fraction (rows sampled by content hash) and the current data's numeric drift
 * bins (whole row groups, evenly spread; about half a million rows above `maxDriftRows`). PSI on a
 * million rows moves by about 1e-4, on half a million by about 2e-4.
 */
export async function runValidation(input: ValidationInput): Promise<ValidationResult> {
  const { db, referencePath } = input;
  const trusted = input.dataWrittenByFerry === true;
  const allTrusted = trusted && (referencePath === undefined || input.referenceWrittenByFerry === true);
  if (allTrusted) return validate(input, trusted);
  // DuckDB believes footers too: its statistics propagation folds `count_if(x > 100)` to 0 when the
  // footer says max 77, and `count(*) - count(x)` to 0 when it says no nulls. Over a file Ferry did
  // not write, every answer must come from decoded values, so that optimizer is off meanwhile.
  const [setting] = await db.all<{ value: string | null }>(
    `SELECT current_setting('disabled_optimizers') AS value`,
  );
  const previous = setting?.value ?? '';
  const disabled = [...new Set([...previous.split(','), 'statistics_propagation'])]
    .map((o) => o.trim())
    .filter(Boolean);
  await db.run(`SET disabled_optimizers = ${literal(disabled.join(','))}`);
  try {
    return await validate(input, trusted);
  } finally {
    await db.run(`SET disabled_optimizers = ${literal(previous)}`);
  }
}

/** Splits checks into failed errors and failed warnings; any failed error fails the dataset. */
export function summarizeChecks(checks: readonly ValidationCheck[]): ValidationSummary {
  const errors = checks.filter((c) => !c.passed && c.severity === 'error');
  const warnings = checks.filter((c) => !c.passed && c.severity === 'warning');
  return {
    passed: errors.length === 0,
    errors,
    warnings,
    failureMessage: errors.map((c) => c.message).join('\n'),
  };
}
