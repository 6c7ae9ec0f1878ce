// A first pipeline spec drafted from a dataset's profile, so a new user goes from a CSV to a first run
// without reading the spec reference: the task from the label's values, categorical columns from type
// and cardinality, validation ranges and domains from the data, training sized for the data. Pure; the
// privileged fields (approval, thresholds, rollout) stay at their defaults, so an operator may apply it.
import type { ColumnProfile, DatasetProfile } from '../datasets/profile.js';
import { FailureType, FerryError } from '../errors.js';
import { suggestion } from './dataset-check.js';
import type { PipelineSpecInput } from './schema.js';

/** Non-numeric columns with more distinct values than this are left out (identifiers, free text). */
export const maxCategories = 50;
/** A numeric label with more distinct values than this is a regression target. */
const maxClassesOfNumericLabel = 20;
/** Below this many rows the draft trains a smaller network for longer. */
const smallDataRows = 1000;

/** Thrown when the label asked for is not a column of the dataset, or has nothing to learn. */
export class DraftLabelError extends FerryError {
  override readonly name = 'DraftLabelError';
  readonly type = FailureType.InvalidInput;
  override readonly code = 'invalid-label';
  constructor(rule: string) {
    super(`label: ${rule}`, { fieldErrors: [{ field: 'querystring.label', rule }] });
  }
}

export interface DraftInput {
  dataset: string;
  /** The snapshot profiled (named in the description; the spec follows the dataset's latest). */
  snapshot: string;
  profile: DatasetProfile;
  label: string;
  pipeline: string;
  model: string;
}

/** Rounds a range bound outwards to a step of about a hundredth of the span. */
function outward(value: number, span: number, direction: 'down' | 'up'): number {
  const step = 10 ** (Math.floor(Math.log10(span > 0 ? span : Math.abs(value) || 1)) - 1);
  const rounded = (direction === 'down' ? Math.floor(value / step) : Math.ceil(value / step)) * step;
  return Number(rounded.toPrecision(12));
}

/** The validation range of a numeric column: what was seen, widened by a tenth of its span (never below 0 for data that is never negative). */
function rangeOf(c: ColumnProfile): { min: number; max: number } | undefined {
  if (c.min === undefined || c.max === undefined) return undefined;
  const span = c.max - c.min;
  const pad = span > 0 ? span * 0.1 : Math.abs(c.max) * 0.1 || 1;
  const min = c.min >= 0 ? Math.max(0, c.min - pad) : c.min - pad;
  return { min: outward(min, span, 'down'), max: outward(c.max + pad, span, 'up') };
}

/** Drafts a spec that passes PUT /v1/pipelines/{pipeline} for this dataset as it is, with notes on every choice. */
export function draftSpec(input: DraftInput): { spec: PipelineSpecInput; notes: string[] } {
  const { profile, label } = input;
  const notes: string[] = [];
  const labelColumn = profile.columns.find((c) => c.name === label);
  if (!labelColumn) {
    throw new DraftLabelError(
      `"${label}" is not a column of dataset "${input.dataset}": ${suggestion(
        label,
        profile.columns.map((c) => c.name),
      )}`,
    );
  }
  if (labelColumn.distinct < 2)
    throw new DraftLabelError(
      `"${label}" has ${labelColumn.distinct} distinct value(s): a label needs at least 2 to learn from`,
    );

  // ---- task ----
  let task: PipelineSpecInput['task'];
  if (labelColumn.distinct === 2) {
    task = 'binary';
    notes.push(`task: binary, because "${label}" has 2 distinct values`);
  } else if (
    labelColumn.numeric &&
    (labelColumn.distinct > maxClassesOfNumericLabel || !/INT/.test(labelColumn.type))
  ) {
    task = 'regression';
    notes.push(
      `task: regression, because "${label}" is numeric with ${labelColumn.distinct} distinct values`,
    );
  } else {
    task = 'multiclass';
    notes.push(
      `task: multiclass, because "${label}" has ${labelColumn.distinct} distinct values${labelColumn.numeric ? ' (if it is a quantity rather than classes, use regression)' : ''}`,
    );
  }

  // ---- features ----
  const candidates = profile.columns.filter((c) => c.name !== label);
  const excluded: string[] = [];
  const numeric: ColumnProfile[] = [];
  const categorical: ColumnProfile[] = [];
  for (const c of candidates) {
    if (c.nulls === profile.rowCount) {
      excluded.push(c.name);
      notes.push(`left out "${c.name}": it has no values`);
    } else if (c.numeric) numeric.push(c);
    else if (c.distinct <= maxCategories) categorical.push(c);
    else {
      excluded.push(c.name);
      notes.push(
        `left out "${c.name}": ${c.type} with ${c.distinct} distinct values looks like an identifier or free text (more than ${maxCategories})`,
      );
    }
  }
  if (numeric.length + categorical.length === 0)
    throw new DraftLabelError(`dataset "${input.dataset}" has no usable feature column besides "${label}"`);
  if (categorical.length > 0)
    notes.push(
      `categorical: ${categorical.map((c) => `"${c.name}"`).join(', ')} (non-numeric, at most ${maxCategories} distinct values: one-hot encoded)`,
    );

  // ---- validation ----
  const ranges = Object.fromEntries(
    numeric.flatMap((c) => {
      const r = rangeOf(c);
      return r ? [[c.name, r]] : [];
    }),
  );
  if (Object.keys(ranges).length > 0)
    notes.push(
      'validation.ranges: the values seen, widened by a tenth of their span (0 stays the floor of data never negative)',
    );
  const domains = Object.fromEntries(categorical.map((c) => [c.name, Object.keys(c.values ?? {}).sort()]));
  if (categorical.length > 0)
    notes.push(
      'validation.domains: the values seen; a new value fails validation, so extend the list as the data grows',
    );
  const used = [labelColumn, ...numeric, ...categorical];
  const worstNulls = Math.max(...used.map((c) => c.nulls / Math.max(1, profile.rowCount)));
  const validation: NonNullable<PipelineSpecInput['validation']> = {
    minRows: Math.min(100, Math.floor(profile.rowCount / 2)),
    ranges,
    domains,
  };
  if (profile.rowCount < 200)
    notes.push(`validation.minRows: ${validation.minRows}, half the ${profile.rowCount} rows there are now`);
  if (worstNulls > 0.05) {
    validation.maxNullFraction = Math.min(1, Math.ceil(worstNulls * 100 + 1) / 100);
    notes.push(
      `validation.maxNullFraction: ${validation.maxNullFraction}, as the data already has ${(worstNulls * 100).toFixed(1)}% missing in a column`,
    );
  }
  if (task !== 'regression' && labelColumn.values) {
    const counts = Object.values(labelColumn.values);
    const total = counts.reduce((a, b) => a + b, 0);
    const rarest = Math.min(...counts) / Math.max(1, total);
    if (rarest < 0.05) {
      validation.minClassFraction = Math.floor(rarest * 500) / 1000;
      notes.push(
        `validation.minClassFraction: ${validation.minClassFraction}, as the rarest class is ${(rarest * 100).toFixed(1)}% of rows`,
      );
    }
  }

  // ---- training ----
  const small = profile.rowCount < smallDataRows;
  const training: NonNullable<PipelineSpecInput['training']> = small
    ? { hiddenLayers: [16], epochs: 50, batchSize: 32, earlyStopping: { patience: 5, minDelta: 0.001 } }
    : { hiddenLayers: [32, 16], epochs: 20, batchSize: 64, earlyStopping: { patience: 3, minDelta: 0.001 } };
  notes.push(
    small
      ? `training: one hidden layer of 16, 50 epochs with early stopping, batches of 32: the data has only ${profile.rowCount} rows`
      : 'training: hidden layers [32, 16], 20 epochs with early stopping, batches of 64',
  );
  notes.push(
    'approval, evaluation thresholds and rollout are left at their defaults (manual approval): an approver sets them',
  );

  const features =
    excluded.length > 0 ? [...numeric, ...categorical].map((c) => c.name) : ('all-but-label' as const);
  // Schema order for an explicit list, as the data has them.
  const order = new Map(profile.columns.map((c, i) => [c.name, i]));
  const spec: PipelineSpecInput = {
    name: input.pipeline,
    description: `Drafted from dataset "${input.dataset}" (snapshot ${input.snapshot.slice(0, 12)}, ${profile.rowCount} rows): predicts "${label}".`,
    model: input.model,
    dataset: {
      name: input.dataset,
      label,
      features: Array.isArray(features)
        ? [...features].sort((a, b) => order.get(a)! - order.get(b)!)
        : features,
      categorical: categorical.map((c) => c.name),
    },
    task,
    training,
    validation,
  };
  return { spec, notes };
}
