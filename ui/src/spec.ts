// The parts of a pipeline spec the console reads (GET /v1/pipelines/{pipeline} answers the spec as a
// free-form object; core/pipeline-spec/schema.ts is its schema), and the durations it writes.
import { api } from './api.ts';

export interface SpecView {
  evaluation?: { primaryMetric?: string; thresholds?: Record<string, number>; maxRegression?: number };
  rollout?: {
    strategy?: string;
    steps?: number[];
    bake?: string;
    guards?: {
      maxErrorRate?: number;
      maxP99LatencyMs?: number;
      maxPredictionPsi?: number;
      minRequests?: number;
    };
  };
  validation?: { drift?: { warn?: number; fail?: number } };
  approval?: { fourEyes?: boolean; policy?: string };
}

const specs = new Map<string, Promise<SpecView | undefined>>();

/** The pipeline's current spec, fetched once per page load. */
export function pipelineSpec(pipeline: string | null | undefined): Promise<SpecView | undefined> {
  if (!pipeline) return Promise.resolve(undefined);
  let p = specs.get(pipeline);
  if (!p) {
    p = api
      .GET('/v1/pipelines/{pipeline}', { params: { path: { pipeline } } })
      .then((r) => r.data?.spec as SpecView | undefined);
    specs.set(pipeline, p);
  }
  return p;
}

const unitMs: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A spec duration ('10m', '3s') in ms. */
export function durationMs(text: string | undefined): number | undefined {
  const m = text?.match(/^(\d+)(ms|s|m|h|d)$/);
  return m ? Number(m[1]) * unitMs[m[2]!]! : undefined;
}
