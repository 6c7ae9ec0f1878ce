// Runs as the list shows them: GET /v1/runs pages (newest first) and, for the rows on screen, the
// run's own view (who triggered it, candidate version, primary metric), fetched once per finished run.
import { api, must } from './api.ts';
import type { components, paths } from '../../core/contracts/http-api.ts';

export type RunSummary =
  paths['/v1/runs']['get']['responses'][200]['content']['application/json']['runs'][number];
export type RunView = paths['/v1/runs/{runId}']['get']['responses'][200]['content']['application/json'];
export type ListQuery = NonNullable<paths['/v1/runs']['get']['parameters']['query']>;
export type { components };

/** Loads up to `max` runs, following `nextCursor` 200 at a time. */
export async function loadRuns(
  query: ListQuery,
  max: number,
): Promise<{ runs: RunSummary[]; more: boolean }> {
  const runs: RunSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = must(
      await api.GET('/v1/runs', {
        params: {
          query: { ...query, pageSize: Math.min(200, max - runs.length), ...(cursor ? { cursor } : {}) },
        },
      }),
    );
    runs.push(...page.runs);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && runs.length < max);
  return { runs, more: !!cursor };
}

const views = new Map<string, RunView>();
const inflight = new Map<string, Promise<RunView | undefined>>();

/** The run's view; finished runs are cached (they no longer change). */
export function runView(runId: string, status: string): Promise<RunView | undefined> {
  const cached = views.get(runId);
  if (cached && status !== 'RUNNING') return Promise.resolve(cached);
  const pending = inflight.get(runId);
  if (pending) return pending;
  const p = api
    .GET('/v1/runs/{runId}', { params: { path: { runId } } })
    .then((r) => {
      if (r.data) views.set(runId, r.data);
      return r.data;
    })
    .finally(() => inflight.delete(runId));
  inflight.set(runId, p);
  return p;
}

/** The primary metric's value of a run's candidate, when evaluated. */
export function primaryMetric(v: RunView | undefined): { name: string; value: number } | undefined {
  const name = v?.evaluation?.primaryMetric;
  const value = name ? v?.metrics?.[name] : undefined;
  return name && value !== undefined ? { name, value } : undefined;
}

export const runStatuses = [
  'RUNNING',
  'COMPLETED',
  'FAILED',
  'CANCELED',
  'TERMINATED',
  'TIMED_OUT',
] as const satisfies readonly NonNullable<ListQuery['status']>[];
export const stages = [
  'validate',
  'train',
  'evaluate',
  'register',
  'approval',
  'rollout',
  'done',
] as const satisfies readonly NonNullable<ListQuery['stage']>[];
