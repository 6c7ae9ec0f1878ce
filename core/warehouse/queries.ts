// Named queries over the metrics tables, each written once and shared by the rollout guards, the
// monitor, serving and the API: callers ask for "online accuracy" or "traffic by version", never SQL.
import { selectList, type RunRow, type TrainingEpochRow, type ValidationCheckRow } from './tables.js';
import type { Warehouse } from './store.js';

/** What a named query needs: the store's SQL over its views. */
export type WarehouseQuerier = Pick<Warehouse, 'query'>;

/** DuckDB's timestamp text has no zone: queries return ISO-8601 UTC instead. */
const isoUtc = (column: string) => `strftime(${column}, '%Y-%m-%dT%H:%M:%S.%gZ')`;

/**
 * The label in force for each prediction id: the latest row. A prediction id gets one label, or more
 * only through an explicit replacement (see core/serving/feedback.ts), so joins must read this, not `feedback`.
 */
export const latestFeedbackSql =
  '(SELECT model, prediction_id, arg_max(label, ts) AS label FROM feedback GROUP BY model, prediction_id)';

/** Which predictions a query counts: a model's, from `since` (inclusive) until `until` (exclusive) when given. */
export interface PredictionWindow {
  model: string;
  /** ISO time. */
  since: string;
  /** ISO time; open-ended when absent. */
  until?: string;
}

/** The window's WHERE clause over `predictions` (aliased `alias`) and its parameters. */
function windowFilter(w: PredictionWindow, alias = ''): { where: string; params: string[] } {
  const q = alias ? `${alias}.` : '';
  return {
    where: `${q}model = ? AND ${q}ts >= CAST(? AS TIMESTAMP)${w.until === undefined ? '' : ` AND ${q}ts < CAST(? AS TIMESTAMP)`}`,
    params: w.until === undefined ? [w.model, w.since] : [w.model, w.since, w.until],
  };
}

/** Requests, errors and p99 latency of one version in a window. */
export interface VersionTraffic {
  version: number;
  n: number;
  errors: number;
  p99: number | null;
}

/** Per version (served and shadow alike): requests, errors and p99 latency since the window opened. */
export function trafficByVersion(
  metrics: WarehouseQuerier,
  w: PredictionWindow & { versions: readonly number[] },
): Promise<VersionTraffic[]> {
  const { where, params } = windowFilter(w);
  return metrics.query<VersionTraffic>(
    `SELECT version, count(*)::INTEGER AS n, count(error)::INTEGER AS errors, quantile_cont(latency_ms, 0.99) AS p99
       FROM predictions WHERE ${where} AND version IN (${w.versions.map(() => '?').join(', ')})
      GROUP BY version`,
    [...params, ...w.versions],
  );
}

/** Served (not shadow) traffic of a window: volume, errors, latency percentiles and the newest version seen. */
export async function servedTraffic(
  metrics: WarehouseQuerier,
  w: PredictionWindow,
): Promise<Record<string, unknown> | undefined> {
  const { where, params } = windowFilter(w);
  const [totals] = await metrics.query<Record<string, unknown>>(
    `SELECT count(*)::INTEGER AS n, count(error)::INTEGER AS errors, quantile_cont(latency_ms, 0.5) AS p50,
            quantile_cont(latency_ms, 0.95) AS p95, quantile_cont(latency_ms, 0.99) AS p99, max(version) AS version
       FROM predictions WHERE ${where} AND NOT shadow`,
    params,
  );
  return totals;
}

/** The newest successful served predictions of a window (features as JSON text), at most `limit`. */
export function servedPredictionSample(
  metrics: WarehouseQuerier,
  w: PredictionWindow & { limit: number },
): Promise<{ features: string; predicted: string | null }[]> {
  const { where, params } = windowFilter(w);
  return metrics.query(
    `SELECT features, predicted FROM predictions WHERE ${where} AND NOT shadow AND error IS NULL ORDER BY ts DESC LIMIT ${Math.trunc(w.limit)}`,
    params,
  );
}

/** How often each label was predicted by one version since the window opened (failed scorings left out). */
export function predictedLabelCounts(
  metrics: WarehouseQuerier,
  w: PredictionWindow & { version: number },
): Promise<{ predicted: string; n: number }[]> {
  const { where, params } = windowFilter(w);
  return metrics.query(
    `SELECT predicted, count(*)::INTEGER AS n FROM predictions
      WHERE ${where} AND version = ? AND predicted IS NOT NULL GROUP BY predicted`,
    [...params, w.version],
  );
}

/** Which predictions online accuracy counts, besides the window. */
export interface AccuracyScope {
  /** Only this version's predictions; every version's when absent. */
  version?: number;
  /** Leave out shadow scorings (the monitor judges what users were served). */
  servedOnly?: boolean;
  /** Leave out failed scorings (a rollout guard judges the candidate's answers). */
  successfulOnly?: boolean;
}

/** Labelled predictions in the window (each joined to its label in force) and the share predicted right. */
export async function measureOnlineAccuracy(
  metrics: WarehouseQuerier,
  w: PredictionWindow & AccuracyScope,
): Promise<{ labels: number; accuracy: number | null }> {
  const { where, params } = windowFilter(w, 'p');
  const [row] = await metrics.query<{ labels: number; correct: number }>(
    `SELECT count(*)::INTEGER AS labels, coalesce(sum(CASE WHEN p.predicted = f.label THEN 1 ELSE 0 END), 0)::INTEGER AS correct
       FROM predictions p JOIN ${latestFeedbackSql} f ON f.prediction_id = p.prediction_id AND f.model = p.model
      WHERE ${where}${w.version === undefined ? '' : ' AND p.version = ?'}${w.servedOnly ? ' AND NOT p.shadow' : ''}${
        w.successfulOnly ? ' AND p.error IS NULL' : ''
      }`,
    w.version === undefined ? params : [...params, w.version],
  );
  const labels = row?.labels ?? 0;
  return { labels, accuracy: labels > 0 ? row!.correct / labels : null };
}

/** The version that served a prediction id: successful primary predictions only (a failed one served no answer). */
export async function servedVersion(
  metrics: WarehouseQuerier,
  model: string,
  predictionId: string,
): Promise<number | undefined> {
  const [row] = await metrics.query<{ version: number }>(
    `SELECT version FROM predictions WHERE model = ? AND prediction_id = ? AND NOT shadow AND error IS NULL LIMIT 1`,
    [model, predictionId],
  );
  return row?.version;
}

/** The monitor's latest `limit` windows for a model, oldest first, with window times as ISO text (`ws`, `we`). */
export function monitoringWindows(
  metrics: WarehouseQuerier,
  model: string,
  limit: number,
): Promise<Record<string, unknown>[]> {
  return metrics.query(
    `SELECT * FROM (SELECT ${isoUtc('window_start')} AS ws, ${isoUtc('window_end')} AS we, * FROM monitoring WHERE model = ? ORDER BY window_end DESC LIMIT ?) ORDER BY we`,
    [model, limit],
  );
}

/** The overall candidate value of `metric` for each registered version, oldest version first. */
export function primaryMetricByVersion(
  metrics: WarehouseQuerier,
  model: string,
  metric: string,
): Promise<{ version: number; value: number; ts: string }[]> {
  // Evaluation runs before registration, so a candidate's row may lack its version: the run's
  // 'registered' event supplies it, and its time is when the version came to be.
  return metrics.query(
    `WITH registered AS (
       SELECT run_id, version, ts FROM registry_events
       WHERE model = $1 AND event = 'registered' AND run_id IS NOT NULL
       QUALIFY row_number() OVER (PARTITION BY run_id ORDER BY ts) = 1
     ), candidate AS (
       SELECT coalesce(e.version, r.version) AS version, e.value, e.ts AS evaluated_at, coalesce(r.ts, e.ts) AS dated_at
       FROM evaluations e LEFT JOIN registered r ON r.run_id = e.run_id
       WHERE e.model = $1 AND e.metric = $2 AND e.subject = 'candidate' AND e.slice_column IS NULL
     )
     SELECT version, arg_max(value, evaluated_at) AS value, ${isoUtc('min(dated_at)')} AS ts
     FROM candidate WHERE version IS NOT NULL
     GROUP BY version ORDER BY version`,
    [model, metric],
  );
}

/** Every epoch row of a run, ordered by epoch, then attempt. */
export function runEpochs(metrics: WarehouseQuerier, runId: string): Promise<TrainingEpochRow[]> {
  return metrics.query(
    `SELECT ${selectList('training_epochs')} FROM training_epochs WHERE run_id = ? ORDER BY epoch, attempt`,
    [runId],
  );
}

/** The latest row of each run of the model, newest first. */
export function runHistory(metrics: WarehouseQuerier, model: string): Promise<RunRow[]> {
  return metrics.query(
    `WITH latest AS (
       SELECT * FROM runs WHERE model = ?
       QUALIFY row_number() OVER (PARTITION BY run_id ORDER BY ts DESC) = 1
     )
     SELECT ${selectList('runs', 'latest')} FROM latest ORDER BY latest.ts DESC, latest.run_id`,
    [model],
  );
}

/** Every validation check of a run: failed first, errors before warnings, then by check and column. */
export function validationChecksOfRun(
  metrics: WarehouseQuerier,
  runId: string,
): Promise<ValidationCheckRow[]> {
  return metrics.query(
    `SELECT check_name, column_name, severity, passed, observed, threshold, message, dataset_sha,
          ${isoUtc('ts')} AS ts
   FROM validation_checks WHERE run_id = ?
   ORDER BY passed, severity = 'error' DESC, check_name, column_name NULLS FIRST`,
    [runId],
  );
}
