// Activities of the rollout: change serving traffic, measure guard metrics from the prediction and
// feedback logs with DuckDB, and record a rollback.
import { appendRegistryEvent } from '../core/warehouse/store.js';
import { measureOnlineAccuracy, predictedLabelCounts, trafficByVersion } from '../core/warehouse/queries.js';
import { psiCategorical } from '../core/metrics/math.js';
import type { GuardReport } from '../core/contracts/index.js';
import type { PipelineSpec } from '../core/pipeline-spec/schema.js';
import type { ActivityDeps } from './deps.js';
import type { MeasureGuardsInput, SetTrafficInput } from '../core/contracts/index.js';

const fmt = (v: number | null, digits = 3) => (v === null || Number.isNaN(v) ? 'n/a' : v.toFixed(digits));

/** What one bake window measured for the candidate. */
export interface GuardMeasures extends Pick<
  GuardReport,
  'requests' | 'errorRate' | 'predictionPsi' | 'labels' | 'onlineAccuracy'
> {
  p99: number | null;
}

/**
 * Every guard the measures breach. Too little traffic is a breach, never a pass: with no requests
 * the error rate reads 0 and latency and drift are unknown, which proves nothing about the
 * candidate. At least one request is needed whatever the spec says (specs stored before
 * `minRequests ≥ 1` was enforced may carry 0).
 */
export function guardBreaches(guards: PipelineSpec['rollout']['guards'], m: GuardMeasures): string[] {
  const breaches: string[] = [];
  const minRequests = Math.max(1, guards.minRequests);
  if (m.requests < minRequests)
    breaches.push(
      m.requests === 0
        ? `no traffic: the candidate served no requests in the bake window (at least ${minRequests} needed)`
        : `minimum traffic: ${m.requests} requests < ${minRequests}`,
    );
  if (m.errorRate > guards.maxErrorRate)
    breaches.push(`error rate ${fmt(m.errorRate, 4)} > ${guards.maxErrorRate}`);
  if (m.p99 !== null && m.p99 > guards.maxP99LatencyMs)
    breaches.push(`p99 latency ${fmt(m.p99, 1)} ms > ${guards.maxP99LatencyMs} ms`);
  if (m.predictionPsi !== null && m.predictionPsi > guards.maxPredictionPsi)
    breaches.push(`prediction drift PSI ${fmt(m.predictionPsi)} > ${guards.maxPredictionPsi}`);
  if (
    guards.minOnlineAccuracy !== undefined &&
    m.onlineAccuracy !== null &&
    m.labels >= guards.minLabels &&
    m.onlineAccuracy < guards.minOnlineAccuracy
  ) {
    breaches.push(
      `online accuracy ${fmt(m.onlineAccuracy)} < ${guards.minOnlineAccuracy} over ${m.labels} labels`,
    );
  }
  return breaches;
}

export function createRolloutActivities(deps: ActivityDeps) {
  const { metrics, registry, deployments, store } = deps;

  /** The candidate's predicted-label counts on its evaluation test split (written by evaluateModel). */
  async function predictionReference(
    model: string,
    version: number,
  ): Promise<Record<string, number> | undefined> {
    const manifest = await registry.getVersion(model, version);
    const report = await store.getJson<{ predictionReference?: Record<string, number> }>(
      manifest.artifacts.evaluationKey,
    );
    return report.predictionReference;
  }

  return {
    /** Points serving traffic at the given versions (compare-and-swap; repeating a change is a no-op). */
    async setTraffic(input: SetTrafficInput): Promise<{ revision: number }> {
      // An invalid or conflicting change (InvalidDeploymentError, DeploymentConflictError) fails the
      // activity at once: the worker's activity interceptor makes it non-retryable by its type.
      const d = await deployments.set(
        input.model,
        { routes: input.routes, shadow: input.shadow },
        {
          actor: input.actor,
          reason: input.reason,
          ...(input.expectRevision !== undefined ? { expectRevision: input.expectRevision } : {}),
        },
      );
      return { revision: d.revision };
    },

    /** Guard numbers for the candidate since the window opened, and each guard it breaches. */
    async measureGuards(input: MeasureGuardsInput): Promise<GuardReport> {
      const { model, candidate, champion, since, guards } = input;
      const versions = champion === null ? [candidate] : [candidate, champion];
      const traffic = await trafficByVersion(metrics, { model, since, versions });
      const cand = traffic.find((t) => t.version === candidate) ?? {
        version: candidate,
        n: 0,
        errors: 0,
        p99: null,
      };
      const champ = champion === null ? undefined : traffic.find((t) => t.version === champion);
      const { labels, accuracy: onlineAccuracy } = await measureOnlineAccuracy(metrics, {
        model,
        since,
        version: candidate,
        successfulOnly: true,
      });
      const live = await predictedLabelCounts(metrics, { model, since, version: candidate });
      const reference = await predictionReference(model, candidate);
      const predictionPsi =
        reference && live.length > 0
          ? psiCategorical(reference, Object.fromEntries(live.map((r) => [r.predicted, r.n])))
          : null;

      const errorRate = cand.n > 0 ? cand.errors / cand.n : 0;
      const breaches = guardBreaches(guards, {
        requests: cand.n,
        errorRate,
        p99: cand.p99,
        predictionPsi,
        labels,
        onlineAccuracy,
      });
      return {
        since,
        requests: cand.n,
        errors: cand.errors,
        errorRate,
        p99LatencyMs: cand.p99,
        predictionPsi,
        labels,
        onlineAccuracy,
        championRequests: champ?.n ?? 0,
        championErrorRate: champ && champ.n > 0 ? champ.errors / champ.n : null,
        breaches,
        summary: `${cand.n} req, errors ${fmt(errorRate, 4)}, p99 ${fmt(cand.p99, 1)} ms, PSI ${fmt(predictionPsi)}, accuracy ${fmt(onlineAccuracy)} (${labels} labels)`,
      };
    },

    /** Marks the candidate rolled back, with the failed guard and its numbers, in the registry and audit trail. */
    async markRolledBack(input: {
      runId: string;
      model: string;
      version: number;
      reason: string;
      guards: GuardReport | null;
    }): Promise<void> {
      const at = deps.now().toISOString();
      await registry.recordRolloutOutcome(input.model, input.version, {
        outcome: 'rolled-back',
        reason: input.reason,
        guards: input.guards,
        runId: input.runId,
        at,
      });
      await appendRegistryEvent(
        metrics,
        {
          model: input.model,
          version: input.version,
          event: 'rolled-back',
          actor: 'rollout',
          reason: input.reason.slice(0, 2000),
          run_id: input.runId,
          ts: at,
        },
        `${input.runId}-rolled-back`,
      );
      await deps.audit.append(
        {
          at,
          who: 'rollout',
          role: 'system',
          action: 'roll back candidate',
          target: `/v1/models/${input.model}/versions/${input.version}`,
          status: 200,
          result: 'ok',
          requestId: input.runId,
          before: { status: 'candidate' },
          after: { status: 'rolled-back' },
          detail: input.reason.slice(0, 2000),
        },
        { id: `${input.runId}-rolled-back` },
      );
    },
  };
}
