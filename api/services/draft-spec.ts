// Drafting a pipeline spec from a dataset (GET /v1/datasets/{name}/draft-spec): profile its latest
// snapshot with DuckDB, then let core/pipeline-spec/draft.ts choose. Refusals are domain errors.
import { openDuckDb } from '../../core/data/duckdb.js';
import { DatasetNotFoundError } from '../../core/datasets/catalog.js';
import { profileParquet } from '../../core/datasets/profile.js';
import { draftSpec } from '../../core/pipeline-spec/draft.js';
import type { PipelineSpecInput } from '../../core/pipeline-spec/schema.js';
import type { ApiDeps } from '../deps.js';
import { UnknownDatasetError } from './errors.js';

export function createDraftSpecService(deps: Pick<ApiDeps, 'datasets'>) {
  return {
    /** A spec for dataset `name` predicting `label` (UnknownDatasetError without a snapshot, DraftLabelError for a bad label). */
    async draft(
      name: string,
      options: { label: string; pipeline?: string; model?: string },
    ): Promise<{ spec: PipelineSpecInput; notes: string[] }> {
      let manifest;
      try {
        manifest = await deps.datasets.latest(name);
      } catch (err) {
        if (err instanceof DatasetNotFoundError) throw new UnknownDatasetError(name);
        throw err;
      }
      const db = await openDuckDb({ threads: 1 });
      try {
        const profile = await profileParquet(db, await deps.datasets.localParquet(manifest), manifest.schema);
        return draftSpec({
          dataset: name,
          snapshot: manifest.sha256,
          profile,
          label: options.label,
          pipeline: options.pipeline ?? name,
          model: options.model ?? options.pipeline ?? name,
        });
      } finally {
        db.close();
      }
    },
  };
}

export type DraftSpecService = ReturnType<typeof createDraftSpecService>;
