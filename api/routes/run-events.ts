// /v1/runs/{runId}/events: a run's timeline from its Temporal history, for `ferry runs logs`.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { bearer, problemResponses, RunParams } from '../schemas.js';
import { defaultRunEvents, maxRunEvents, type RunEventsService } from '../services/run-events.js';

const EventsQuery = Type.Object(
  {
    limit: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: maxRunEvents,
        default: defaultRunEvents,
        description: 'how many of the newest entries to answer',
        examples: [100],
      }),
    ),
  },
  { additionalProperties: false },
);

const RunEvent = Type.Object({
  at: Type.String({ description: 'when Temporal recorded it (ISO 8601, UTC)' }),
  kind: Type.String({
    description:
      'started, stage, activity-scheduled/-started/-completed/-failed/-timed-out/-canceled, timer-started/-fired/-canceled, signal, update, update-completed, child-started/-completed/-failed/-canceled/-terminated/-timed-out, cancel-requested, completed, failed, canceled, terminated, timed-out, continued-as-new',
    examples: ['activity-completed'],
  }),
  detail: Type.String({ examples: ['trainModel attempt 1'] }),
  workflow: Type.Union([Type.Literal('run'), Type.Literal('rollout')], {
    description: "whose history holds it: the run's own or its rollout child's",
  }),
});

export function runEventRoutes(fastify: FastifyInstance, events: RunEventsService): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/v1/runs/:runId/events',
    {
      config: { minRole: 'viewer' },
      schema: {
        tags: ['runs'],
        summary:
          "The run's timeline from its Temporal history (and its rollout's), oldest first: stages, activities with attempts, timers, decisions, rollout controls",
        security: bearer,
        params: RunParams,
        querystring: EventsQuery,
        response: {
          200: Type.Object({
            events: Type.Array(RunEvent),
            omitted: Type.Integer({ description: 'older entries left out by `limit`' }),
          }),
          ...problemResponses,
        },
      },
    },
    async (req) => events.list(req.params.runId, req.query.limit ?? defaultRunEvents),
  );
}
