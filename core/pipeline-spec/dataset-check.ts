// A spec checked against the data it names, when it is applied rather than when a run starts: every
// column it names must exist (with the closest columns offered instead), thresholds must be on
// metrics the task produces, and the label must suit the task. Pure: the caller reads the snapshot.
import type { ClassificationMetrics, RegressionMetrics } from '../metrics/math.js';
import type { PipelineSpec } from './schema.js';

/** Metrics a classifier's evaluation produces, binary or multiclass alike. */
const classificationMetrics = [
  'accuracy',
  'auc',
  'count',
  'f1',
  'logLoss',
  'precision',
  'recall',
] satisfies (keyof ClassificationMetrics)[];

/** Metrics each task's evaluation produces: what a threshold may name. */
export const metricsOfTask: Readonly<Record<PipelineSpec['task'], readonly string[]>> = {
  binary: classificationMetrics,
  multiclass: classificationMetrics,
  regression: ['count', 'mae', 'r2', 'rmse'] satisfies (keyof RegressionMetrics)[],
};

/** One refusal: the spec's dotted path and the rule it broke. */
export interface SpecDataIssue {
  path: string;
  rule: string;
}

/** What the check knows of the snapshot: its columns, and the label column's distinct values when read. */
export interface SnapshotFacts {
  columns: readonly { name: string; type: string }[];
  label?: { distinct: number; numeric: boolean; values?: readonly string[] };
}

/** Edit distance (insert, delete, substitute; case-insensitive) between two short names. */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let row = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const next = [i];
    for (let j = 1; j <= y.length; j++)
      next.push(Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1)));
    row = next;
  }
  return row[y.length]!;
}

/** Up to three candidates closest to `name`, nearest first (ties in the candidates' order). */
export function closest(name: string, candidates: readonly string[], max = 3): string[] {
  return candidates
    .map((c, i) => ({ c, i, d: distance(name, c) }))
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .slice(0, max)
    .map((e) => e.c);
}

/** "did you mean …" over the closest candidates, or the columns there are when none is close. */
export function suggestion(name: string, candidates: readonly string[]): string {
  if (candidates.length === 0) return 'the dataset has no such columns';
  // Close: a few edits away, or one name inside the other ("tenure" for "tenure_months").
  const isNear = (c: string) =>
    distance(name, c) <= Math.max(2, Math.floor(name.length / 3)) ||
    c.toLowerCase().includes(name.toLowerCase()) ||
    name.toLowerCase().includes(c.toLowerCase());
  const near = closest(name, candidates.filter(isNear));
  return near.length > 0
    ? `did you mean ${near.map((c) => `"${c}"`).join(' or ')}?`
    : `columns are ${candidates.map((c) => `"${c}"`).join(', ')}`;
}

/** Every way `spec` does not fit the snapshot; empty when it fits. */
export function specDataIssues(spec: PipelineSpec, facts: SnapshotFacts): SpecDataIssue[] {
  const issues: SpecDataIssue[] = [];
  const names = facts.columns.map((c) => c.name);
  const has = new Set(names);
  const missing = (path: string, column: string, candidates = names) => {
    if (!has.has(column))
      issues.push({
        path,
        rule: `column "${column}" is not in the dataset's snapshot: ${suggestion(column, candidates)}`,
      });
  };
  const { dataset } = spec;
  missing('dataset.label', dataset.label);
  if (Array.isArray(dataset.features))
    dataset.features.forEach((c, i) => missing(`dataset.features.${i}`, c));
  dataset.categorical.forEach((c, i) => missing(`dataset.categorical.${i}`, c));
  spec.evaluation.slices.forEach((c, i) => missing(`evaluation.slices.${i}`, c));
  for (const c of Object.keys(spec.validation.ranges)) missing(`validation.ranges.${c}`, c);
  for (const c of Object.keys(spec.validation.domains)) missing(`validation.domains.${c}`, c);

  const metrics = metricsOfTask[spec.task];
  for (const metric of Object.keys(spec.evaluation.thresholds))
    if (!metrics.includes(metric))
      issues.push({
        path: `evaluation.thresholds.${metric}`,
        rule: `task "${spec.task}" does not produce metric "${metric}": it produces ${metrics.join(', ')}`,
      });

  const label = facts.label;
  if (label && has.has(dataset.label)) {
    const seen = label.values
      ? ` (${label.values
          .slice(0, 5)
          .map((v) => JSON.stringify(v))
          .join(', ')}${label.distinct > 5 ? ', …' : ''})`
      : '';
    if (spec.task === 'binary' && label.distinct !== 2)
      issues.push({
        path: 'task',
        rule: `"binary" needs a label with exactly 2 distinct values; "${dataset.label}" has ${label.distinct}${seen}: ${label.distinct > 2 ? (label.numeric && label.distinct > 20 ? 'use "regression" or "multiclass"' : 'use "multiclass"') : 'the label must take 2 values'}`,
      });
    if (spec.task === 'multiclass' && label.distinct < 2)
      issues.push({
        path: 'task',
        rule: `"multiclass" needs a label with at least 2 distinct values; "${dataset.label}" has ${label.distinct}`,
      });
    if (spec.task === 'regression' && !label.numeric)
      issues.push({
        path: 'task',
        rule: `"regression" needs a numeric label; "${dataset.label}" is ${facts.columns.find((c) => c.name === dataset.label)!.type}: use "binary" or "multiclass"`,
      });
  }
  return issues;
}
