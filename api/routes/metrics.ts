// Metrics over HTTP: typed reads (a model's primary metric by version, a run's epochs and validation
// checks) and, for admins, read-only SQL over the metrics tables in a locked-down DuckDB.
import { Type } from 'typebox';
import { sqlTimeoutMs, type MetricsService } from '../services/metrics.js';
import { ModelParams, Nullable, RunParams, type TypedApp } from '../schemas.js';

/** Losses can diverge to NaN or ±Infinity, which JSON cannot carry: those read as null. */
const MaybeNumber = Nullable(Type.Number());

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

export function metricsRoutes(app: TypedApp, metricsService: MetricsService): void {
  app.get(
    '/v1/models/:model/metrics',
    {
      config: { minRole: 'viewer' },
      schema: {
        tags: ['metrics'],
        summary:
          "A metric of each registered version (the candidate's overall test value), oldest version first",
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
        },
      },
    },
    async (req) => metricsService.versionMetric(req.params.model, req.query.metric),
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
        params: ModelParams,
        querystring: MonitoringQuery,
        response: {
          200: Type.Object({ model: Type.String(), points: Type.Array(MonitoringPoint) }),
        },
      },
    },
    async (req) => metricsService.monitoring(req.params.model, req.query.limit ?? defaultMonitoringWindows),
  );

  app.get(
    '/v1/runs/:runId/epochs',
    {
      config: { minRole: 'viewer' },
      schema: {
        tags: ['metrics'],
        summary: "A run's training epochs, by epoch then attempt",
        params: RunParams,
        response: {
          200: Type.Object({ runId: Type.String(), epochs: Type.Array(Epoch) }),
        },
      },
    },
    async (req) => metricsService.runEpochs(req.params.runId),
  );

  app.get(
    '/v1/runs/:runId/validation',
    {
      config: { minRole: 'viewer' },
      schema: {
        tags: ['metrics'],
        summary:
          "Every validation check of a run's dataset, failed errors first; `passed` is false when any error-severity check failed",
        params: RunParams,
        response: {
          200: Type.Object({
            runId: Type.String(),
            datasetSha: Nullable(Type.String()),
            passed: Nullable(Type.Boolean()),
            checks: Type.Array(Check),
          }),
        },
      },
    },
    async (req) => metricsService.runValidation(req.params.runId),
  );

  app.post(
    '/v1/metrics/query',
    {
      config: { minRole: 'admin' },
      schema: {
        tags: ['metrics'],
        summary: `Read-only SQL over the metrics tables: one SELECT, no file or network access, ${sqlTimeoutMs / 1000} s limit, at most maxRows rows`,
        body: SqlBody,
        response: { 200: SqlResult },
      },
    },
    async (req) => metricsService.query(req.body.sql, req.body.maxRows ?? defaultMaxRows),
  );
}
