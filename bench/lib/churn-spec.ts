// The churn pipeline (pipelines/churn.yaml) under a benchmark's own name, shared by the benches that
// run Ferry's real pipeline code on it.
import { fileURLToPath } from 'node:url';
import { loadSpecFile, parseSpec } from '../../core/pipeline-spec/load.js';
import type { PipelineSpec } from '../../core/pipeline-spec/schema.js';

/** churn.yaml renamed to `name` (pipeline, model and dataset), unscheduled, with `training` overrides. */
export async function churnSpecNamed(
  name: string,
  training: (t: PipelineSpec['training']) => Partial<PipelineSpec['training']> = (t) => t,
): Promise<PipelineSpec> {
  const base = await loadSpecFile(fileURLToPath(new URL('../../pipelines/churn.yaml', import.meta.url)));
  const renamed = { ...base, name, model: name, dataset: { ...base.dataset, name }, schedule: undefined };
  return parseSpec({ ...renamed, training: training(base.training) }, 'bench spec');
}
