// The vocabulary of dataset validation: check names, one check's outcome, what to validate and the
// verdict. Shared by the checks, the drift checks and the orchestrating entry (../validation.ts).
import type { PipelineSpec } from '../../pipeline-spec/schema.js';
import type { DuckDb } from '../../data/duckdb.js';
import type { DatasetColumn } from '../catalog.js';

export const ValidationCheckName = {
  Schema: 'schema',
  MinRows: 'min-rows',
  Nulls: 'nulls',
  Range: 'range',
  Domain: 'domain',
  Duplicates: 'duplicates',
  LabelBalance: 'label-balance',
  Drift: 'drift',
} as const;
export type ValidationCheckName = (typeof ValidationCheckName)[keyof typeof ValidationCheckName];

/** The outcome of one check on one column (or the whole dataset when `column` is absent). */
export interface ValidationCheck {
  check: ValidationCheckName;
  column?: string;
  /** How bad a failure is: errors end the run, warnings are reported. */
  severity: 'error' | 'warning';
  passed: boolean;
  observed: number;
  threshold: number;
  message: string;
}

/** What to validate: the snapshot's Parquet, optionally a reference snapshot for drift, and the spec's rules. */
export interface ValidationInput {
  db: DuckDb;
  dataPath: string;
  /** The champion's training data; without it no drift checks run. */
  referencePath?: string;
  spec: Pick<PipelineSpec, 'dataset' | 'validation' | 'task'>;
  /** The snapshot's schema as DuckDB sees it (the manifest's). */
  schema: readonly DatasetColumn[];
  /** A stored profile of the reference snapshot; columns it lacks are computed and added. */
  referenceProfile?: ReferenceProfile;
  /** Whether Ferry wrote `dataPath` itself (the snapshot manifest's `dataWriter`), so its footer
   * statistics may prove null counts and ranges without a scan. Default false: an uploaded file's
   * footer can claim anything. Never decide this from the file: its footer is the writer's to forge. */
  dataWrittenByFerry?: boolean;
  /** The same for `referencePath`. */
  referenceWrittenByFerry?: boolean;
}

/** Bump when the meaning of a profile's numbers changes, so stale stored profiles are ignored. */
export const referenceProfileVersion = 1;

/** What drift needs from a reference snapshot: a pure function of that immutable file, so it is cached. */
export interface ReferenceProfile {
  version: typeof referenceProfileVersion;
  /** The reference's column names: a feature it lacks has no baseline to drift from. */
  columns: string[];
  /** Per numeric feature: interior bin edges (the reference's deciles) and the reference's count per bin. */
  numeric: Record<string, { edges: number[]; counts: number[] }>;
  /** Per categorical feature: the reference's non-null value counts. */
  categorical: Record<string, Record<string, number>>;
}

/** The checks, and the reference profile they used (for the caller to store when it is new). */
export interface ValidationResult {
  checks: ValidationCheck[];
  referenceProfile?: ReferenceProfile;
}

/** The verdict over a list of checks. */
export interface ValidationSummary {
  passed: boolean;
  errors: ValidationCheck[];
  warnings: ValidationCheck[];
  /** Every failed error check's message, one per line; empty when passed. */
  failureMessage: string;
}
