// Metrics over HTTP: typed reads (a model's primary metric by version, a run's epochs and validation
// checks) and, for admins, read-only SQL over the metrics tables in a locked-down DuckDB.
import { WorkflowNotFoundError } from '@temporalio/client';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import {
  createReadOnlyQueryRunner,
  metricsViewSources,
  QueryFailedError,
  QueryTimeoutError,
  SqlRejectedError,
} from '../../core/metrics/sql-guard.js';
import type { ValidationCheckRow } from '../../core/metrics/store.js';
import { ModelNotFoundError } from '../../core/registry/registry.js';
import type { ApiDeps } from '../deps.js';
import { HttpProblem } from '../problem.js';
import { RunNotFoundError } from '../services/errors.js';
import { bearer, bodyProblemResponses, ModelParams, problemResponses, RunParams } from '../schemas.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
/** Losses can diverge to NaN or ±Infinity, which JSON cannot carry: those read as null. */
const MaybeNumber = Nullable(Type.Number());
const finite = (n: number) => (Number.isFinite(n) ? n : null);

/** How long one SQL query may run before it is interrupted. */
export const sqlTimeoutMs = 5000;
/** SQL queries running at once; each has its own DuckDB with 2 threads and up to 512 MB. */
export const maxConcurrentQueries = 2;

const MetricQuery = Type.Object(
  {
    metric: Type.Optional(
      Type.String({
        pattern: '^[a-z][a-z0-9_]{0,63}$',
        description: "default: the primary metric of the model's latest run",
        examples: ['auc'],
      }),
    ),
  },
  { additionalProperties: false },
);

const Epoch = Type.Object({
  attempt: Type.Integer(),
  epoch: Type.Integer(),
  loss: MaybeNumber,
  valLoss: MaybeNumber,
  valMetric: MaybeNumber,
  samples: Type.Integer(),
  ms: Type.Number(),
  backend: Type.String(),
  ts: Type.String(),
});

const Check = Type.Object({
  check: Type.String(),
  column: Nullable(Type.String()),
  severity: Type.Union([Type.Literal('error'), Type.Literal('warning')]),
  passed: Type.Boolean(),
  observed: MaybeNumber,
  threshold: MaybeNumber,
  message: Type.String(),
  ts: Type.String(),
});

/** Rows a SQL query returns when the body names no `maxRows` (the schema's default, which Ajv fills in). */
const defaultMaxRows = 1000;

const SqlBody = Type.Object(
  {
    sql: Type.String({
      minLength: 1,
      maxLength: 100_000,
      description:
        'one SELECT (or WITH … SELECT) over runs, validation_checks, training_epochs, evaluations, registry_events',
    }),
    maxRows: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: defaultMaxRows })),
  },
  {
    additionalProperties: false,
    examples: [
      {
        sql: 'SELECT model, version, count(*) AS events FROM registry_events GROUP BY model, version ORDER BY model, version',
        maxRows: 100,
      },
    ],
  },
);

const SqlResult = Type.Object({
  columns: Type.Array(Type.Object({ name: Type.String(), type: Type.String() })),
  rows: Type.Array(Type.Record(Type.String(), Type.Unknown())),
  rowCount: Type.Integer(),
  truncated: Type.Boolean({ description: 'more rows existed than maxRows (or than fit in 8 MiB)' }),
  elapsedMs: Type.Integer(),
});

export function metricsRoutes(fastify: FastifyInstance, deps: ApiDeps): void {
  // Typed by the schemas: handlers get params, query, headers and body with no casts.
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { metrics } = deps;
  // A slot is given back when the query's DuckDB has stopped, not when its caller was answered.
  const queries = createReadOnlyQueryRunner({ maxConcurrent: maxConcurrentQueries });

  /** A run with no rows yet may still exist: only Temporal can tell it from a typo. */
  async function requireModel(model: string): Promise<void> {
    try {
      // Versions are gapless from 1: the model exists exactly when version 1 does.
      await deps.registry.getVersion(model, 1);
    } catch (err) {
      if (err instanceof ModelNotFoundError) throw new ModelNotFoundError(model);
      throw err;
    }
  }

  async function requireRun(runId: string): Promise<void> {
    try {
      await deps.client.workflow.getHandle(runId).describe();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new RunNotFoundError(runId);
      throw err;
    }
  }

  app.get(
    '/v1/models/:model/metrics',
    {
      config: { minRole: 'viewer' },
      schema: {
        tags: ['metrics'],
        summary:
          "A metric of each registered version (the candidate's overall test value), oldest version first",
        security: bearer,
        params: ModelParams,
        querystring: MetricQuery,
        response: {
          200: Type.Object({
            model: Type.String(),
            metric: Type.String(),
            versions: Type.Array(
              Type.Object({ version: Type.Integer(), value: MaybeNumber, ts: Type.String() }),
            ),
          }),
          ...problemResponses,
        },
      },
    },
    async (req) => {
      const { model } = req.params;
      await requireModel(model);
      const metric =
        req.query.metric ?? (await metrics.runHistory(model)).find((r) => r.primary_metric)?.primary_metric;
      if (!metric)
        throw new HttpProblem(
          400,
          'metric-required',
          `model "${model}" has no recorded primary metric: name one with ?metric=`,
          [{ field: 'querystring.metric', rule: 'is required for this model' }],
        );
      const rows = await metrics.primaryMetricByVersion(model, metric);
      return {
        model,
        metric,
        versions: rows.map((r) => ({ version: r.version, value: finite(r.value), ts: r.ts })),
      };
    },
  );

  const defaultMonitoringWindows = 168;
  const MonitoringQuery = Type.Object(
    {
      limit: Type.Optional(
        Type.Integer({ minimum: 1, maximum: 1000, default: defaultMonitoringWindows, examples: [24] }),
      ),
    },
    { additionalProperties: false },
  );
  const MonitoringPoint = Type.Object({
    windowStart: Type.String(),
    windowEnd: Type.String(),
    version: Nullable(Type.Integer()),
    predictions: Type.Integer(),
    errorRate: MaybeNumber,
    latencyP50Ms: MaybeNumber,
    latencyP95Ms: MaybeNumber,
    latencyP99Ms: MaybeNumber,
    maxFeaturePsi: MaybeNumber,
    driftedFeature: Nullable(Type.String()),
    featurePsi: Type.Record(Type.String(), Type.Number()),
    predictionPsi: MaybeNumber,
    labels: Type.Integer(),
    onlineAccuracy: MaybeNumber,
    action: Type.String(),
    reason: Type.String(),
  });
  app.get(
    '/v1/models/:model/monitoring',
    {
      config: { minRole: 'viewer' },
      schema: {
        tags: ['metrics'],
        summary:
          "The monitor's findings for a model over time (volume, latency, errors, drift, online accuracy), oldest first",
        security: bearer,
        params: ModelParams,
        querystring: MonitoringQuery,
        response: {
          200: Type.Object({ model: Type.String(), points: Type.Array(MonitoringPoint) }),
          ...problemResponses,
        },
      },
    },
    async (req) => {
      const { model } = req.params;
      const { limit = defaultMonitoringWindows } = req.query;
      await requireModel(model);
      const rows = await metrics.query<Record<string, unknown>>(
        `SELECT * FROM (SELECT strftime(window_start, '%Y-%m-%dT%H:%M:%S.%gZ') AS ws, strftime(window_end, '%Y-%m-%dT%H:%M:%S.%gZ') AS we, * FROM monitoring WHERE model = ? ORDER BY window_end DESC LIMIT ?) ORDER BY we`,
        [model, limit],
      );
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
  );

  app.get(
    '/v1/runs/:runId/epochs',
    {
      config: { minRole: 'viewer' },
      schema: {
        tags: ['metrics'],
        summary: "A run's training epochs, by epoch then attempt",
        security: bearer,
        params: RunParams,
        response: {
          200: Type.Object({ runId: Type.String(), epochs: Type.Array(Epoch) }),
          ...problemResponses,
        },
      },
    },
    async (req) => {
      const { runId } = req.params;
      const rows = await metrics.runEpochs(runId);
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
  );

  app.get(
    '/v1/runs/:runId/validation',
    {
      config: { minRole: 'viewer' },
      schema: {
        tags: ['metrics'],
        summary:
          "Every validation check of a run's dataset, failed errors first; `passed` is false when any error-severity check failed",
        security: bearer,
        params: RunParams,
        response: {
          200: Type.Object({
            runId: Type.String(),
            datasetSha: Nullable(Type.String()),
            passed: Nullable(Type.Boolean()),
            checks: Type.Array(Check),
          }),
          ...problemResponses,
        },
      },
    },
    async (req) => {
      const { runId } = req.params;
      const rows = await metrics.query<ValidationCheckRow>(
        `SELECT check_name, column_name, severity, passed, observed, threshold, message, dataset_sha,
              strftime(ts, '%Y-%m-%dT%H:%M:%S.%gZ') AS ts
       FROM validation_checks WHERE run_id = ?
       ORDER BY passed, severity = 'error' DESC, check_name, column_name NULLS FIRST`,
        [runId],
      );
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
  );

  app.post(
    '/v1/metrics/query',
    {
      config: { minRole: 'admin' },
      schema: {
        tags: ['metrics'],
        summary: `Read-only SQL over the metrics tables: one SELECT, no file or network access, ${sqlTimeoutMs / 1000} s limit, at most maxRows rows`,
        security: bearer,
        body: SqlBody,
        response: { 200: SqlResult, ...problemResponses, ...bodyProblemResponses },
      },
    },
    async (req) => {
      const { sql, maxRows = defaultMaxRows } = req.body;
      try {
        return await queries.run({
          sql,
          maxRows,
          timeoutMs: sqlTimeoutMs,
          views: await metricsViewSources(metrics),
        });
      } catch (err) {
        if (err instanceof SqlRejectedError)
          throw new HttpProblem(400, err.code, err.message, [{ field: 'body.sql', rule: err.rule }]);
        if (err instanceof QueryTimeoutError)
          throw new HttpProblem(400, 'query-timeout', err.message, [
            { field: 'body.sql', rule: `must finish within ${sqlTimeoutMs / 1000} s` },
          ]);
        if (err instanceof QueryFailedError)
          throw new HttpProblem(400, 'query-failed', err.message, [{ field: 'body.sql', rule: err.reason }]);
        throw err;
      }
    },
  );
}
