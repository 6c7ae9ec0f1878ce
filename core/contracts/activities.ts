// Inputs and results of the activities workflows call: plain data (references, never artifacts),
// shared by the activities that implement them, the workflows that schedule them and tests.
import type { PipelineSpec } from '../pipeline-spec/schema.js';
import type { EvaluationSummary, SpecOverrides } from './pipeline.js';

export interface RoundTripInput {
  key: string;
  content: string;
}

export interface RoundTripResult {
  key: string;
  sha256: string;
  bytes: number;
}

export interface ValidateDatasetInput {
  runId: string;
  spec: PipelineSpec;
  /** Snapshot hash; default: the spec's pinned snapshot, else the dataset's latest. */
  datasetSnapshot?: string;
}

export interface TrainModelInput {
  runId: string;
  spec: PipelineSpec;
  datasetSha: string;
}

/** The columns a trained model takes and predicts, as training saw them and the registry keeps them. */
export interface ModelInputSchema {
  numeric: string[];
  categorical: string[];
  label: string;
  classes?: string[];
  /** The spec's `serving.nulls` when the version was trained; absent (older versions) means impute. */
  nulls?: 'impute' | 'refuse';
}

/** What training produced: references to artifacts, never the artifacts themselves. */
export interface TrainingResult {
  modelPrefix: string;
  preprocessingKey: string;
  backend: string;
  backendReason: string;
  epochsTrained: number;
  lastEpoch: number;
  resumedFromEpoch: number;
  stoppedEarly: boolean;
  finalLoss: number | null;
  finalValLoss: number | null;
  trainRows: number;
  validationRows: number;
  inputSchema: ModelInputSchema;
  /** sha256 of the trained weights: a resumed run and an uninterrupted one with the same seed have the same. */
  weightsSha256?: string;
}

export interface EvaluateModelInput {
  runId: string;
  spec: PipelineSpec;
  datasetSha: string;
  training: TrainingResult;
}

/** One slice's metrics for the candidate and, when there is one, the champion. */
export interface SliceMetrics {
  column: string;
  value: string;
  count: number;
  candidate: Record<string, number>;
  champion?: Record<string, number>;
}

export interface RegisterModelInput {
  runId: string;
  spec: PipelineSpec;
  /** Hash of the spec that was trained (the effective one when the run had overrides). */
  specHash: string;
  /** With overrides: the registered spec version they were applied to. */
  baseSpecHash?: string;
  /** With overrides: what the run changed of that version. */
  overrides?: SpecOverrides;
  codeRevision: string;
  datasetSha: string;
  validationKey: string;
  training: TrainingResult;
  evaluation: EvaluationSummary;
}

export interface SetTrafficInput {
  model: string;
  routes: { version: number; weight: number }[];
  shadow: number[];
  actor: string;
  reason: string;
  /**
   * The revision the rollout itself last wrote: when traffic was changed by anyone else since (an
   * admin rollback), the change is refused with a Conflict failure instead of undoing theirs.
   */
  expectRevision?: number;
}

export interface MeasureGuardsInput {
  model: string;
  candidate: number;
  champion: number | null;
  /** Start of the bake window (ISO time); only predictions since then count. */
  since: string;
  guards: PipelineSpec['rollout']['guards'];
}
