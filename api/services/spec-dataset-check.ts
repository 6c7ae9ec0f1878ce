// Checks a pipeline spec against its dataset's snapshot (pinned, else the latest) when it is applied:
// columns the snapshot lacks, thresholds the task does not produce and a label that does not suit the
// task are 400s naming the field. A dataset with no snapshot yet is let through with a warning: the
// run checks it when it starts, as it always does.
import { openDuckDb } from '../../core/data/duckdb.js';
import { DatasetNotFoundError, type DatasetManifest } from '../../core/datasets/catalog.js';
import { profileParquet } from '../../core/datasets/profile.js';
import { specDataIssues, type SnapshotFacts } from '../../core/pipeline-spec/dataset-check.js';
import type { PipelineSpec } from '../../core/pipeline-spec/schema.js';
import type { ApiDeps } from '../deps.js';
import { InvalidSpecError } from './errors.js';

/** The label's distinct values, read only for the tasks whose rule needs them (binary, multiclass, regression type). */
async function labelFacts(
  deps: Pick<ApiDeps, 'datasets'>,
  manifest: DatasetManifest,
  label: string,
): Promise<SnapshotFacts['label']> {
  const column = manifest.schema.find((c) => c.name === label);
  if (!column) return undefined;
  const db = await openDuckDb({ threads: 1 });
  try {
    const [profile] = (
      await profileParquet(db, await deps.datasets.localParquet(manifest), manifest.schema, [label])
    ).columns;
    return {
      distinct: profile!.distinct,
      numeric: profile!.numeric,
      ...(profile!.values ? { values: Object.keys(profile!.values).sort() } : {}),
    };
  } finally {
    db.close();
  }
}

/** Checks `spec` against its snapshot; throws InvalidSpecError naming each `body.` field, else returns warnings. */
export async function checkSpecAgainstDataset(
  deps: Pick<ApiDeps, 'datasets'>,
  spec: PipelineSpec,
): Promise<{ warnings: string[] }> {
  const { name, snapshot } = spec.dataset;
  let manifest: DatasetManifest;
  try {
    manifest = await deps.datasets.resolve(name, snapshot);
  } catch (err) {
    if (!(err instanceof DatasetNotFoundError)) throw err;
    if (snapshot !== undefined)
      throw new InvalidSpecError(`body.dataset.snapshot: dataset "${name}" has no snapshot ${snapshot}`, [
        { field: 'body.dataset.snapshot', rule: `must be a snapshot of dataset "${name}"` },
      ]);
    return {
      warnings: [
        `dataset "${name}" has no snapshot yet: its columns and label are checked when a run starts`,
      ],
    };
  }
  // The label's values need a read of the data; skip it when the label column is missing anyway.
  const label = await labelFacts(deps, manifest, spec.dataset.label);
  const issues = specDataIssues(spec, { columns: manifest.schema, ...(label ? { label } : {}) });
  if (issues.length > 0)
    throw new InvalidSpecError(
      `the spec does not fit snapshot ${manifest.sha256.slice(0, 12)} of dataset "${name}":\n${issues
        .map((i) => `  body.${i.path}: ${i.rule}`)
        .join('\n')}`,
      issues.map((i) => ({ field: `body.${i.path}`, rule: i.rule })),
    );
  return { warnings: [] };
}
