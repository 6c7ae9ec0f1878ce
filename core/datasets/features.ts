// Which columns a spec trains on, resolved against a snapshot's schema.
import type { PipelineSpec } from '../pipeline-spec/schema.js';

export interface FeatureColumns {
  numeric: string[];
  categorical: string[];
  label: string;
}

/** Resolves "all-but-label" and splits features into numeric and categorical, in schema order. */
export function resolveFeatures(spec: PipelineSpec, schema: readonly { name: string }[]): FeatureColumns {
  const label = spec.dataset.label;
  const features =
    spec.dataset.features === 'all-but-label'
      ? schema.map((c) => c.name).filter((n) => n !== label)
      : schema.map((c) => c.name).filter((n) => (spec.dataset.features as string[]).includes(n));
  const categorical = features.filter((f) => spec.dataset.categorical.includes(f));
  const numeric = features.filter((f) => !spec.dataset.categorical.includes(f));
  return { numeric, categorical, label };
}
