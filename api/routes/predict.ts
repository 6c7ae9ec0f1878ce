// /v1/models/{model}/predict and /feedback: the data plane. Served by the API process and by the
// standalone serving process (api/serve-main.ts) alike; both only need a `Serving`.
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { InvalidInputError, ModelUnavailableError, NotDeployedError } from '../../core/serving/errors.js';
import { maxRowsPerRequest } from '../../core/serving/input.js';
import type { Serving } from '../../core/serving/service.js';
import { HttpProblem } from '../problem.js';
import { bearer, ModelParams, problem, problemResponses } from '../schemas.js';

const PredictBody = Type.Object(
  {
    rows: Type.Array(
      Type.Object(
        {},
        { additionalProperties: true, description: 'feature name → value (number, string or null)' },
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
  { additionalProperties: false },
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
  },
  { additionalProperties: false },
);

const FeedbackResult = Type.Object({
  model: Type.String(),
  predictionId: Type.String(),
  label: Type.String(),
  status: Type.Literal('accepted'),
});

/** Maps serving's domain errors to problems; everything else goes to the app's error handler. */
function problemOf(err: unknown): unknown {
  if (err instanceof NotDeployedError) return new HttpProblem(404, 'model-not-deployed', err.message);
  // 503, not 500: the model is deployed but not loadable right now; another replica or a retry may answer.
  if (err instanceof ModelUnavailableError) return new HttpProblem(503, 'model-unavailable', err.message);
  if (err instanceof InvalidInputError)
    return new HttpProblem(400, 'invalid-input', err.message, [...err.errors]);
  return err;
}

export function predictRoutes(app: FastifyInstance, serving: Serving): void {
  app.post(
    '/v1/models/:model/predict',
    {
      // Predictions are machine traffic at thousands per second: the control plane's per-token rate
      // limit would throttle them, so capacity is handled by adding serving replicas instead.
      config: { minRole: 'viewer', rateLimit: false, audit: false },
      schema: {
        tags: ['serving'],
        summary: 'Score one row or a batch with the deployed version (any role)',
        security: bearer,
        params: ModelParams,
        body: PredictBody,
        response: {
          200: PredictResult,
          ...problemResponses,
          503: problem('the deployed model cannot be loaded right now'),
        },
      },
    },
    async (req) => {
      const { model } = req.params as Static<typeof ModelParams>;
      const body = req.body as Static<typeof PredictBody>;
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
      // retraining trigger, and viewer tokens are read-only everywhere else in the API.
      config: { minRole: 'operator', rateLimit: false, audit: false },
      schema: {
        tags: ['serving'],
        summary: 'Record the ground truth for a prediction id (operator or higher)',
        security: bearer,
        params: ModelParams,
        body: FeedbackBody,
        response: {
          202: FeedbackResult,
          ...problemResponses,
          503: problem('the deployed model cannot be loaded right now'),
        },
      },
    },
    async (req, reply) => {
      const { model } = req.params as Static<typeof ModelParams>;
      const body = req.body as Static<typeof FeedbackBody>;
      try {
        const recorded = await serving.feedback(model, body);
        return reply.code(202).send({ ...recorded, status: 'accepted' as const });
      } catch (err) {
        throw problemOf(err);
      }
    },
  );
}
