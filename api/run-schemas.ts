// Shapes of the runs resource, declared once: the routes' request and response schemas, and (through
// Static) the types the runs service takes and returns.
import { Type } from 'typebox';
import { Nullable } from './schemas.js';

/** Links of a run: its API resource and its page in the Temporal UI. */
export const Links = Type.Object({ self: Type.String(), temporalUi: Type.String() });

/** What a caller may say when starting a run. */
export const TriggerBody = Type.Object(
  {
    dataset: Type.Optional(
      Type.String({
        pattern: '^([a-f0-9]{64}|[a-z0-9][a-z0-9_-]{0,62})$',
        description: 'a snapshot hash or a dataset name (its latest snapshot)',
      }),
    ),
    reason: Type.Optional(Type.String({ maxLength: 500 })),
    approval: Type.Optional(
      Type.Union([Type.Literal('manual'), Type.Literal('auto'), Type.Literal('auto-if-better')]),
    ),
    overrides: Type.Optional(
      Type.Object(
        {
          training: Type.Optional(
            Type.Object(
              {
                epochs: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
                learningRate: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
                batchSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 65536 })),
              },
              { additionalProperties: false },
            ),
          ),
          approval: Type.Optional(
            Type.Object(
              { timeout: Type.Optional(Type.String({ pattern: '^[0-9]+(ms|s|m|h|d)$', examples: ['2d'] })) },
              { additionalProperties: false },
            ),
          ),
        },
        { additionalProperties: false },
      ),
    ),
  },
  {
    additionalProperties: false,
    examples: [
      { dataset: 'churn', reason: 'retrain on the December snapshot', approval: 'manual' },
      { overrides: { training: { epochs: 5, learningRate: 0.005 } } },
    ],
  },
);

/** A run in a list. */
export const RunSummary = Type.Object({
  runId: Type.String(),
  status: Type.String(),
  pipeline: Nullable(Type.String()),
  model: Nullable(Type.String()),
  stage: Nullable(Type.String()),
  trigger: Nullable(Type.String()),
  startedAt: Nullable(Type.String()),
  closedAt: Nullable(Type.String()),
});

/** An approval decision as the workflow recorded it. */
export const Decision = Type.Object({
  decision: Type.Union([Type.Literal('approve'), Type.Literal('reject')]),
  by: Type.String(),
  comment: Type.String(),
  at: Type.String(),
  via: Type.String(),
});

/** A run: status, stage, candidate, metrics, what it waits for. */
export const RunView = Type.Object({
  runId: Type.String(),
  pipeline: Nullable(Type.String()),
  model: Nullable(Type.String()),
  status: Type.String(),
  stage: Nullable(Type.String()),
  trigger: Nullable(Type.String()),
  triggeredBy: Nullable(Type.String()),
  specHash: Nullable(Type.String()),
  datasetSha: Nullable(Type.String()),
  candidateVersion: Nullable(Type.Integer()),
  metrics: Nullable(Type.Record(Type.String(), Type.Number())),
  validation: Nullable(
    Type.Object({
      datasetSha: Type.String(),
      rowCount: Type.Integer(),
      passed: Type.Boolean(),
      errors: Type.Integer(),
      warnings: Type.Array(Type.String()),
      reportKey: Type.String(),
    }),
  ),
  evaluation: Nullable(
    Type.Object({
      passed: Type.Boolean(),
      reasons: Type.Array(Type.String()),
      primaryMetric: Type.String(),
      championVersion: Nullable(Type.Integer()),
    }),
  ),
  waitingFor: Nullable(Type.String()),
  approvalDeadline: Nullable(Type.String()),
  decision: Nullable(Decision),
  outcome: Nullable(Type.String()),
  failure: Nullable(Type.String()),
  rollout: Nullable(
    Type.Unsafe<Record<string, unknown>>({
      type: 'object',
      additionalProperties: true,
      description: 'phase, step, weights, shadow, paused, lastGuards, breach, reason',
    }),
  ),
  startedAt: Nullable(Type.String()),
  closedAt: Nullable(Type.String()),
  links: Links,
});
