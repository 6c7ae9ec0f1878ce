// /v1/models/{model}/predict and /feedback: the data plane. Served by the API process and by the
// standalone serving process (api/serve-main.ts) alike; both only need a `Serving`.
import { Type } from 'typebox';
import { FeedbackExistsError, PredictionNotFoundError } from '../../core/serving/errors.js';
import { maxRowsPerRequest } from '../../core/serving/input.js';
import type { Serving } from '../../core/serving/service.js';
import { caller, roleRank } from '../plugins/auth.js';
import { HttpProblem } from '../problem.js';
import { ModelParams, problem, type TypedApp } from '../schemas.js';

const PredictBody = Type.Object(
  {
    rows: Type.Array(
      // Which features, their kinds and ranges belong to the deployed version (GET
      // /v1/models/{model}/versions/{version} shows its inputSchema), so the document can state only
      // what holds for every model; the rest is answered with 400 invalid-input naming each row and field.
      Type.Record(
        Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$', maxLength: 128 }),
        Type.Union([Type.Number(), Type.String(), Type.Null()]),
        {
          minProperties: 1,
          description:
            "feature name → value: a number (numeric feature), a string (categorical) or null; every feature of the deployed version's inputSchema, and no other",
        },
      ),
      {
        minItems: 1,
        maxItems: maxRowsPerRequest,
        description: `one row or a batch of up to ${maxRowsPerRequest}`,
      },
    ),
    requestKey: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 256,
        description: 'pins the caller to one version while the traffic weights stay the same',
      }),
    ),
  },
  {
    additionalProperties: false,
    examples: [
      {
        rows: [
          {
            tenure_months: 14,
            monthly_charges: 70.5,
            age: 41,
            support_calls: 2,
            usage_gb: 18.2,
            plan: 'standard',
            region: 'north',
            payment_method: 'card',
          },
        ],
        requestKey: 'customer-1042',
      },
    ],
  },
);

const PredictionSchema = Type.Object({
  predictionId: Type.String({ description: 'send it back with the ground truth to /feedback' }),
  probabilities: Type.Optional(
    Type.Record(Type.String(), Type.Number(), { description: 'class label → probability' }),
  ),
  label: Type.Optional(Type.String({ description: 'the most probable class' })),
  value: Type.Optional(Type.Number({ description: 'the predicted value (regression)' })),
});

const PredictResult = Type.Object({
  model: Type.String(),
  version: Type.Integer({ description: 'the version that answered' }),
  predictions: Type.Array(PredictionSchema),
});

const FeedbackBody = Type.Object(
  {
    predictionId: Type.String({
      pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
      description: 'from a predict answer',
    }),
    label: Type.Union([Type.String({ minLength: 1, maxLength: 256 }), Type.Number()], {
      description: 'the true class, or the true value',
    }),
    replace: Type.Optional(
      Type.Boolean({
        description:
          'overwrite an earlier, different label for this prediction id (approver or admin only); without it the first label stands',
      }),
    ),
  },
  {
    additionalProperties: false,
    description:
      "`label` must be one of the served version's classes (classification) or a finite number (regression): answered with 400 invalid-input otherwise",
    examples: [{ predictionId: '0b9f7a1e-5c4d-4e2a-9f1b-3c6d8e7a2b10', label: '1' }],
  },
);

const FeedbackResult = Type.Object({
  model: Type.String(),
  predictionId: Type.String(),
  label: Type.String(),
  status: Type.Literal('accepted'),
  outcome: Type.Union([Type.Literal('recorded'), Type.Literal('unchanged'), Type.Literal('replaced')], {
    description:
      'recorded: first label; unchanged: the same label again (nothing new logged); replaced: by an approver',
  }),
});

/** Maps serving's domain errors to problems; everything else goes to the app's error handler. */
function problemOf(err: unknown): unknown {
  if (err instanceof PredictionNotFoundError)
    return new HttpProblem(404, 'prediction-not-found', err.message, [
      { field: 'body.predictionId', rule: 'must be the id of a prediction this model served' },
    ]);
  if (err instanceof FeedbackExistsError)
    return new HttpProblem(409, 'feedback-exists', err.message, [
      { field: 'body.label', rule: `this prediction already has the label "${err.existingLabel}"` },
    ]);
  return err;
}

export function predictRoutes(app: TypedApp, serving: Serving, limits: { feedbackPerMinute: number }): void {
  app.post(
    '/v1/models/:model/predict',
    {
      // Predictions are machine traffic at thousands per second: the control plane's per-token rate
      // limit would throttle them, so capacity is handled by adding serving replicas instead.
      config: { minRole: 'viewer', rateLimit: false, audit: false },
      schema: {
        tags: ['serving'],
        summary: 'Score one row or a batch with the deployed version (any role)',
        params: ModelParams,
        body: PredictBody,
        response: {
          200: PredictResult,
          503: problem('the deployed model cannot be loaded right now'),
        },
      },
    },
    async (req) => {
      const { model } = req.params;
      const body = req.body;
      try {
        return await serving.predict(model, body);
      } catch (err) {
        throw problemOf(err);
      }
    },
  );

  app.post(
    '/v1/models/:model/feedback',
    {
      // Operator or higher: a label is a write that feeds online accuracy and the drift monitor's
      // retraining trigger, and viewer tokens are read-only everywhere else in the API. Limited per
      // token: each label costs a conditional write and, for ids not served here, a log lookup.
      config: {
        minRole: 'operator',
        audit: false,
        rateLimit: {
          max: limits.feedbackPerMinute,
          timeWindow: 60_000,
          keyGenerator: (req) => req.identity?.name ?? req.ip,
        },
      },
      schema: {
        tags: ['serving'],
        summary: 'Record the ground truth for a prediction id (operator or higher)',
        params: ModelParams,
        body: FeedbackBody,
        response: {
          202: FeedbackResult,
          503: problem('the deployed model cannot be loaded right now'),
        },
      },
    },
    async (req, reply) => {
      const { model } = req.params;
      const body = req.body;
      // Replacing a label rewrites what guards and the monitor decide on: the approvers' call.
      if (body.replace === true && roleRank[caller(req).role] < roleRank.approver)
        throw new HttpProblem(403, 'forbidden', 'replacing a label needs role "approver" or higher', [
          { field: 'body.replace', rule: 'only approvers and admins may replace a label' },
        ]);
      try {
        const recorded = await serving.feedback(model, body);
        return reply.code(202).send({ ...recorded, status: 'accepted' as const });
      } catch (err) {
        throw problemOf(err);
      }
    },
  );
}
