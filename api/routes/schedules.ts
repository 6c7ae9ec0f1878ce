// /v1/pipelines/{pipeline}/schedule: read, set, delete, pause, unpause and trigger a pipeline's
// nightly retraining schedule (a Temporal Schedule, overlap SKIP).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { caller } from '../plugins/auth.js';
import { bearer, PipelineParams, problemResponses } from '../schemas.js';
import type { SchedulesService } from '../services/schedules.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const ScheduleBody = Type.Object(
  {
    // Five fields, as in the spec; "#" would start a Temporal comment.
    cron: Type.Optional(
      Type.String({
        pattern: '^[^\\s#]+(\\s+[^\\s#]+){4}$',
        description: 'a 5-field cron expression such as "0 2 * * *" (default: the spec\'s)',
      }),
    ),
    timezone: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9_+/-]{1,64}$',
        description: 'an IANA time zone such as "Europe/Berlin" (default: the spec\'s, else UTC)',
      }),
    ),
    paused: Type.Optional(Type.Boolean({ description: "default: not the spec's `enabled`" })),
  },
  { additionalProperties: false },
);

const NoteBody = Type.Object(
  { note: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })) },
  { additionalProperties: false },
);

const ScheduleView = Type.Object({
  scheduleId: Type.String(),
  pipeline: Type.String(),
  cron: Nullable(Type.String()),
  timezone: Type.String(),
  paused: Type.Boolean(),
  note: Nullable(Type.String()),
  nextRuns: Type.Array(Type.String(), { description: 'the next five start times; empty while paused' }),
  recentRuns: Type.Array(
    Type.Object({ runId: Type.String(), scheduledAt: Type.String(), startedAt: Type.String() }),
    { description: 'newest first' },
  ),
  overlap: Type.String(),
  catchupWindowMs: Type.Integer(),
  specHash: Nullable(Type.String()),
  links: Type.Object({ self: Type.String(), temporalUi: Type.String() }),
});

const path = '/v1/pipelines/:pipeline/schedule';

/** These bodies are optional: a call without one is validated (and handled) as `{}`. */
async function emptyBodyAsObject(req: FastifyRequest): Promise<void> {
  req.body ??= {};
}

export function scheduleRoutes(app: FastifyInstance, schedules: SchedulesService): void {
  app.get(
    path,
    {
      config: { minRole: 'viewer' },
      schema: {
        tags: ['schedules'],
        summary: "A pipeline's retraining schedule: cron, state, next and recent runs",
        security: bearer,
        params: PipelineParams,
        response: { 200: ScheduleView, ...problemResponses },
      },
    },
    async (req) => schedules.get((req.params as Static<typeof PipelineParams>).pipeline),
  );

  app.put(
    path,
    {
      config: { minRole: 'operator' },
      preValidation: emptyBodyAsObject,
      schema: {
        tags: ['schedules'],
        summary:
          "Create or replace the schedule from the spec's, with the body's overrides (until the spec next changes)",
        security: bearer,
        params: PipelineParams,
        body: ScheduleBody,
        response: { 200: ScheduleView, 201: ScheduleView, ...problemResponses },
      },
    },
    async (req, reply) => {
      const { pipeline } = req.params as Static<typeof PipelineParams>;
      const { created, schedule } = await schedules.put(
        pipeline,
        req.body as Static<typeof ScheduleBody>,
        caller(req),
      );
      return reply.code(created ? 201 : 200).send(schedule);
    },
  );

  app.delete(
    path,
    {
      config: { minRole: 'operator' },
      schema: {
        tags: ['schedules'],
        summary:
          'Delete the schedule (a spec with `schedule` recreates it at the next start-up: pause to stop it for good)',
        security: bearer,
        params: PipelineParams,
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (req, reply) => {
      await schedules.remove((req.params as Static<typeof PipelineParams>).pipeline);
      return reply.code(204).send();
    },
  );

  for (const action of ['pause', 'unpause'] as const) {
    app.post(
      `${path}/${action}`,
      {
        config: { minRole: 'operator' },
        preValidation: emptyBodyAsObject,
        schema: {
          tags: ['schedules'],
          summary: `${action === 'pause' ? 'Pause' : 'Unpause'} the schedule, with an optional note (the caller is recorded in it)`,
          security: bearer,
          params: PipelineParams,
          body: NoteBody,
          response: { 200: ScheduleView, ...problemResponses },
        },
      },
      async (req) => {
        const { pipeline } = req.params as Static<typeof PipelineParams>;
        const { note } = req.body as Static<typeof NoteBody>;
        return schedules[action](pipeline, caller(req), note);
      },
    );
  }

  app.post(
    `${path}/trigger`,
    {
      config: { minRole: 'operator' },
      schema: {
        tags: ['schedules'],
        summary: 'Start the scheduled run now (overlap SKIP: 409 while a run of the schedule is in progress)',
        security: bearer,
        params: PipelineParams,
        response: {
          202: Type.Object({
            scheduleId: Type.String(),
            runId: Nullable(Type.String()),
            overlap: Type.String(),
          }),
          ...problemResponses,
        },
      },
    },
    async (req, reply) =>
      reply.code(202).send(await schedules.trigger((req.params as Static<typeof PipelineParams>).pipeline)),
  );
}
