// The metrics resource without HTTP: typed reads (a model's metric by version and monitoring findings,
// a run's epochs and validation checks) and read-only SQL for admins. Refusals are domain errors.
import { WorkflowNotFoundError } from '@temporalio/client';
import {
  createReadOnlyQueryRunner,
  warehouseViewSources,
  QueryFailedError,
  QueryTimeoutError,
  SqlRejectedError,
} from '../../core/warehouse/sql-sandbox.js';
import {
  monitoringWindows,
  primaryMetricByVersion,
  runEpochs,
  runHistory,
  validationChecksOfRun,
} from '../../core/warehouse/queries.js';
import type { ApiDeps } from '../deps.js';
import { InvalidQueryError, MetricRequiredError, RunNotFoundError } from './errors.js';
import { requireModel } from './models.js';

/** How long one SQL query may run before it is interrupted. */
export const sqlTimeoutMs = 5000;
/** SQL queries running at once; each has its own DuckDB with 2 threads and up to 512 MB. */
export const maxConcurrentQueries = 2;

/** Losses can diverge to NaN or ±Infinity, which JSON cannot carry: those read as null. */
const finite = (n: number) => (Number.isFinite(n) ? n : null);

export function createMetricsService(deps: ApiDeps) {
  const { metrics } = deps;
  // A slot is given back when the query's DuckDB has stopped, not when its caller was answered.
  const queries = createReadOnlyQueryRunner({ maxConcurrent: maxConcurrentQueries });

  /** A run with no rows yet may still exist: only Temporal can tell it from a typo. */
  async function requireRun(runId: string): Promise<void> {
    try {
      await deps.client.workflow.getHandle(runId).describe();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new RunNotFoundError(runId);
      throw err;
    }
  }

  return {
    /** A metric of each registered version, oldest first: `metric`, else the model's latest primary metric. */
    async versionMetric(model: string, metric: string | undefined) {
      await requireModel(deps.registry, model);
      const chosen =
        metric ?? (await runHistory(metrics, model)).find((r) => r.primary_metric)?.primary_metric;
      if (!chosen) throw new MetricRequiredError(model);
      const rows = await primaryMetricByVersion(metrics, model, chosen);
      return {
        model,
        metric: chosen,
        versions: rows.map((r) => ({ version: r.version, value: finite(r.value), ts: r.ts })),
      };
    },

    /** The monitor's last `limit` findings for a model, oldest first. */
    async monitoring(model: string, limit: number) {
      await requireModel(deps.registry, model);
      const rows = await monitoringWindows(metrics, model, limit);
      const n = (v: unknown) => (typeof v === 'number' ? finite(v) : null);
      return {
        model,
        points: rows.map((r) => ({
          windowStart: String(r.ws),
          windowEnd: String(r.we),
          version: typeof r.version === 'number' ? r.version : null,
          predictions: Number(r.predictions),
          errorRate: n(r.error_rate),
          latencyP50Ms: n(r.latency_p50_ms),
          latencyP95Ms: n(r.latency_p95_ms),
          latencyP99Ms: n(r.latency_p99_ms),
          maxFeaturePsi: n(r.max_feature_psi),
          driftedFeature: typeof r.drifted_feature === 'string' ? r.drifted_feature : null,
          featurePsi: JSON.parse(String(r.feature_psi ?? '{}')) as Record<string, number>,
          predictionPsi: n(r.prediction_psi),
          labels: Number(r.labels),
          onlineAccuracy: n(r.online_accuracy),
          action: String(r.action),
          reason: String(r.reason),
        })),
      };
    },

    /** A run's training epochs (RunNotFoundError when it has none and does not exist). */
    async runEpochs(runId: string) {
      const rows = await runEpochs(metrics, runId);
      if (rows.length === 0) await requireRun(runId);
      return {
        runId,
        epochs: rows.map((r) => ({
          attempt: r.attempt,
          epoch: r.epoch,
          loss: finite(r.loss),
          valLoss: finite(r.val_loss),
          valMetric: finite(r.val_metric),
          samples: r.samples,
          ms: r.ms,
          backend: r.backend,
          ts: r.ts,
        })),
      };
    },

    /** A run's validation checks, failed errors first (RunNotFoundError when it has none and does not exist). */
    async runValidation(runId: string) {
      const rows = await validationChecksOfRun(metrics, runId);
      if (rows.length === 0) await requireRun(runId);
      return {
        runId,
        datasetSha: rows[0]?.dataset_sha ?? null,
        passed: rows.length === 0 ? null : !rows.some((r) => !r.passed && r.severity === 'error'),
        checks: rows.map((r) => ({
          check: r.check_name,
          column: r.column_name,
          severity: r.severity,
          passed: r.passed,
          observed: finite(r.observed),
          threshold: finite(r.threshold),
          message: r.message,
          ts: r.ts,
        })),
      };
    },

    /** Read-only SQL over the metrics tables; a refused, failed or timed-out query is an InvalidQueryError. */
    async query(sql: string, maxRows: number) {
      try {
        return await queries.run({
          sql,
          maxRows,
          timeoutMs: sqlTimeoutMs,
          views: await warehouseViewSources(metrics),
        });
      } catch (err) {
        // The rule each refusal names, said of the request's `sql` field.
        if (err instanceof SqlRejectedError) throw new InvalidQueryError(err, err.rule);
        if (err instanceof QueryTimeoutError)
          throw new InvalidQueryError(err, `must finish within ${sqlTimeoutMs / 1000} s`);
        if (err instanceof QueryFailedError) throw new InvalidQueryError(err, err.reason);
        throw err;
      }
    },
  };
}

export type MetricsService = ReturnType<typeof createMetricsService>;
