// Monitoring: from the prediction and feedback logs, a window's volume, latency, errors, feature
// drift against the champion's training snapshot, prediction drift and online accuracy; and the
// feedback loop that starts one retraining run when drift or accuracy crosses the spec's threshold.
import { activityInfo, ApplicationFailure } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { openDuckDb, ident, literal } from '../core/data/duckdb.js';
import { resolveFeatures } from '../core/datasets/features.js';
import { psiCategorical, psiNumeric } from '../core/metrics/math.js';
import { warehousePart } from '../core/warehouse/writer.js';
import { measureOnlineAccuracy, servedPredictionSample, servedTraffic } from '../core/warehouse/queries.js';
import { FailureType } from '../core/errors.js';
import { startTrainingRun } from '../core/runs/start-run.js';
import { parseSpec, specHash } from '../core/pipeline-spec/load.js';
import { deliverWebhook } from '../core/webhooks/deliver.js';
import { WebhookTargetRefusedError } from '../core/webhooks/target.js';
import type { ActivityDeps } from './deps.js';
import type {
  DriftRetraining,
  DriftRetrainingInput,
  MonitorFindings,
  MonitorWindowInput,
  TrainingPipelineInput,
  WebhookRef,
} from '../core/contracts/index.js';

/** Most rows read from either side for PSI: enough for stable bins, bounded memory. */
const sampleRows = 50_000;

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function createMonitorActivities(deps: ActivityDeps) {
  const { metrics, registry, catalog } = deps;

  return {
    /** Computes the window's monitoring numbers and appends them to the `monitoring` table. */
    async computeMonitoring(input: MonitorWindowInput): Promise<MonitorFindings> {
      const { spec, windowStart, windowEnd } = input;
      const model = spec.model;
      const monitoring = spec.monitoring ?? parseSpec({ ...spec, monitoring: {} }).monitoring!;
      const window = { model, since: windowStart, until: windowEnd };
      const totals = await servedTraffic(metrics, window);
      const n = Number(totals?.n ?? 0);
      const champion = (await registry.aliases(model)).champion ?? null;

      const featurePsi: Record<string, number> = {};
      let predictionPsi: number | null = null;
      if (champion !== null && n > 0) {
        const version = await registry.getVersion(model, champion);
        const manifest = await catalog.manifest(version.lineage.datasetName, version.lineage.datasetSha);
        const features = resolveFeatures(spec, manifest.schema);
        const live = await servedPredictionSample(metrics, { ...window, limit: sampleRows });
        const rows = live.map((r) => JSON.parse(r.features) as Record<string, unknown>);
        const db = await openDuckDb();
        try {
          const path = literal(await catalog.localParquet(manifest));
          for (const f of features.numeric) {
            const ref = (
              await db.all<{ v: number | null }>(
                `SELECT TRY_CAST(${ident(f)} AS DOUBLE) AS v FROM read_parquet(${path}) USING SAMPLE ${sampleRows} ROWS (reservoir, 7)`,
              )
            ).map((r) => r.v ?? Number.NaN);
            const cur = rows.map((r) => (typeof r[f] === 'number' ? (r[f] as number) : Number.NaN));
            const psi = psiNumeric(ref, cur);
            if (Number.isFinite(psi)) featurePsi[f] = psi;
          }
          for (const f of features.categorical) {
            const ref = await db.all<{ v: string | null; n: number }>(
              `SELECT CAST(${ident(f)} AS VARCHAR) AS v, count(*)::INTEGER AS n FROM read_parquet(${path}) GROUP BY 1`,
            );
            const cur: Record<string, number> = {};
            for (const r of rows) cur[String(r[f] ?? '<null>')] = (cur[String(r[f] ?? '<null>')] ?? 0) + 1;
            featurePsi[f] = psiCategorical(Object.fromEntries(ref.map((r) => [r.v ?? '<null>', r.n])), cur);
          }
        } finally {
          db.close();
        }
        const report = await deps.store.getJson<{ predictionReference?: Record<string, number> }>(
          version.artifacts.evaluationKey,
        );
        const predicted: Record<string, number> = {};
        for (const r of live)
          if (r.predicted !== null) predicted[r.predicted] = (predicted[r.predicted] ?? 0) + 1;
        if (report.predictionReference && Object.keys(predicted).length > 0)
          predictionPsi = psiCategorical(report.predictionReference, predicted);
      }

      const { labels, accuracy: onlineAccuracy } = await measureOnlineAccuracy(metrics, {
        ...window,
        servedOnly: true,
      });
      const drifted = Object.entries(featurePsi).sort(([, a], [, b]) => b - a)[0];

      let retrainReason: string | null = null;
      if (n >= monitoring.minPredictions) {
        if (drifted && drifted[1] > monitoring.driftThreshold)
          retrainReason = `feature drift: PSI of "${drifted[0]}" is ${drifted[1].toFixed(3)} > ${monitoring.driftThreshold} over ${n} predictions`;
        else if (predictionPsi !== null && predictionPsi > monitoring.driftThreshold)
          retrainReason = `prediction drift: PSI ${predictionPsi.toFixed(3)} > ${monitoring.driftThreshold}`;
        else if (
          monitoring.minOnlineAccuracy !== undefined &&
          onlineAccuracy !== null &&
          labels >= monitoring.minLabels &&
          onlineAccuracy < monitoring.minOnlineAccuracy
        ) {
          retrainReason = `online accuracy ${onlineAccuracy.toFixed(3)} < ${monitoring.minOnlineAccuracy} over ${labels} labels`;
        }
      }
      const findings: MonitorFindings = {
        model,
        version: num(totals?.version),
        predictions: n,
        errors: Number(totals?.errors ?? 0),
        errorRate: n > 0 ? Number(totals?.errors ?? 0) / n : null,
        latencyMs: { p50: num(totals?.p50), p95: num(totals?.p95), p99: num(totals?.p99) },
        featurePsi,
        maxFeaturePsi: drifted ? drifted[1] : null,
        driftedFeature: drifted ? drifted[0] : null,
        predictionPsi,
        labels,
        onlineAccuracy,
        retrainReason,
      };
      await metrics.append(
        'monitoring',
        [
          {
            model,
            run_id: input.runId,
            window_start: windowStart,
            window_end: windowEnd,
            version: findings.version,
            predictions: n,
            errors: findings.errors,
            error_rate: findings.errorRate,
            latency_p50_ms: findings.latencyMs.p50,
            latency_p95_ms: findings.latencyMs.p95,
            latency_p99_ms: findings.latencyMs.p99,
            max_feature_psi: findings.maxFeaturePsi,
            drifted_feature: findings.driftedFeature,
            feature_psi: JSON.stringify(featurePsi),
            prediction_psi: predictionPsi,
            labels,
            online_accuracy: onlineAccuracy,
            action: retrainReason ? 'retrain' : 'none',
            reason:
              retrainReason ??
              (n < monitoring.minPredictions
                ? `only ${n} predictions (< ${monitoring.minPredictions})`
                : 'within thresholds'),
            ts: deps.now().toISOString(),
          },
        ],
        { model, part: warehousePart(`${input.runId}-monitoring`) },
      );
      return findings;
    },

    /**
     * Starts the drift retraining run. Its workflow id is fixed per pipeline, so while one runs a
     * second start is refused: at most one drift retraining per model at a time.
     */
    async startDriftRetraining(input: DriftRetrainingInput): Promise<DriftRetraining> {
      if (!deps.temporal)
        throw new Error('startDriftRetraining needs a Temporal client in the activity dependencies');
      const training: TrainingPipelineInput = {
        spec: input.spec,
        specHash: input.webhook?.specHash ?? specHash(input.spec),
        ...(input.webhook ? { webhook: input.webhook } : {}),
        trigger: input.trigger ?? 'drift',
        triggeredBy: 'monitor',
        reason: input.reason,
      };
      try {
        const handle = await startTrainingRun({
          client: deps.temporal.client,
          taskQueue: deps.temporal.taskQueue,
          trainTaskQueue: deps.temporal.trainTaskQueue,
          id: { kind: 'drift' },
          input: training,
        });
        return { runId: handle.workflowId, started: true };
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError)
          return { runId: err.workflowId, started: false };
        throw err;
      }
    },

    /**
     * Posts a signed JSON notification (drift detected, approval waiting) to the spec's webhook, found
     * by reference in the registered spec version (`url` only for runs started before references).
     */
    async notifyWebhook(input: {
      ref?: WebhookRef;
      url?: string;
      event: string;
      payload: Record<string, unknown>;
    }): Promise<{ status: number }> {
      const hooks = deps.webhooks;
      if (!hooks?.secret)
        throw ApplicationFailure.nonRetryable(
          'no webhook sent: FERRY_WEBHOOK_SECRET is not configured on the worker',
          FailureType.InvalidInput,
        );
      let url = input.url;
      if (input.ref) {
        if (!deps.pipelines)
          throw new Error('notifyWebhook needs the pipeline spec store in the activity dependencies');
        url = (await deps.pipelines.version(input.ref.pipeline, input.ref.specHash)).monitoring?.webhookUrl;
      }
      if (!url)
        throw ApplicationFailure.nonRetryable('the spec version has no webhook URL', FailureType.NotFound);
      const body = JSON.stringify({
        source: 'ferry',
        event: input.event,
        at: deps.now().toISOString(),
        ...input.payload,
      });
      let res;
      try {
        res = await deliverWebhook({
          url,
          body,
          secret: hooks.secret,
          policy: hooks.policy,
          now: deps.now(),
          // Stable across retries of this activity, so a receiver can drop a repeated delivery.
          headers: {
            'ferry-delivery': `${activityInfo().workflowExecution?.workflowId ?? 'standalone'}/${activityInfo().activityId}`,
          },
        });
      } catch (err) {
        // The URL is a secret: failures (which land in history) name the rule, never the URL.
        if (err instanceof WebhookTargetRefusedError)
          throw ApplicationFailure.nonRetryable(`webhook not sent: ${err.rule}`, FailureType.WebhookRefused);
        throw new Error(
          `webhook delivery failed: ${(err as NodeJS.ErrnoException).code ?? (err as Error).name}`,
        );
      }
      if (res.status >= 500) throw new Error(`webhook answered ${res.status}`);
      if (res.status < 200 || res.status >= 300)
        throw ApplicationFailure.nonRetryable(
          `webhook answered ${res.status}${res.status >= 300 && res.status < 400 ? ' (redirects are not followed)' : ''}`,
          FailureType.WebhookRefused,
        );
      return { status: res.status };
    },
  };
}
