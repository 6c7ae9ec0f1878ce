// /v1/pipelines/{pipeline}/schedule: read, set, delete, pause, unpause and trigger a pipeline's
// nightly retraining schedule (a Temporal Schedule, overlap SKIP), and backfill times it missed.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { caller } from '../plugins/auth.js';
import { cronPattern, cronRule, timeZones } from '../../core/pipeline-spec/cron.js';
import { bearer, bodyProblemResponses, PipelineParams, problemResponses } from '../schemas.js';
import { dateTimePattern, dateTimeRule, maxBackfillDays } from '../services/backfill-range.js';
import { backfillOverlaps, type BackfillOverlap, type SchedulesService } from '../services/schedules.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const ScheduleBody = Type.Object(
  {
    // Numeric fields in range, as Temporal's parser takes them; it keeps the expression as a calendar
    // comment of at most 200 characters.
    cron: Type.Optional(
      Type.String({
        pattern: cronPattern,
        maxLength: 200,
        'x-rule': cronRule,
        description: `a 5-field cron expression such as "0 2 * * *" or "30 3 * * 1-5", numbers only, at most 200 characters (default: the spec's)`,
        examples: ['0 2 * * *'],
      }),
    ),
    timezone: Type.Optional(
      // An enum, not a union of literals: a refusal then names one rule, not one per zone.
      Type.Unsafe<string>({
        type: 'string',
        enum: [...timeZones],
        description: 'an IANA time zone such as "Europe/Berlin" (default: the spec\'s, else UTC)',
        examples: ['Europe/Berlin'],
      }),
    ),
    paused: Type.Optional(Type.Boolean({ description: "default: not the spec's `enabled`" })),
  },
  { additionalProperties: false, examples: [{ cron: '30 3 * * 1-5', timezone: 'Europe/Berlin' }] },
);

const NoteBody = Type.Object(
  { note: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })) },
  { additionalProperties: false, examples: [{ note: 'paused over the data migration' }] },
);

const BackfillBody = Type.Object(
  {
    from: Type.String({
      pattern: dateTimePattern,
      'x-rule': dateTimeRule,
      description: 'start of the range (inclusive), an RFC 3339 date-time',
      examples: ['2026-11-01T00:00:00Z'],
    }),
    to: Type.String({
      pattern: dateTimePattern,
      'x-rule': dateTimeRule,
      description: `end of the range: later than \`from\`, at most ${maxBackfillDays} days after it, not in the future`,
      examples: ['2026-11-03T00:00:00Z'],
    }),
    overlap: Type.Optional(
      Type.Unsafe<BackfillOverlap>({
        type: 'string',
        enum: [...backfillOverlaps],
        description:
          "how backfilled runs overlap (default SKIP, the schedule's: runs due while one goes are dropped; BUFFER_ALL runs them one after another)",
      }),
    ),
  },
  { additionalProperties: false, examples: [{ from: '2026-11-01T00:00:00Z', to: '2026-11-03T00:00:00Z' }] },
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

export function scheduleRoutes(fastify: FastifyInstance, schedules: SchedulesService): void {
  // Typed by the schemas: handlers get params, query, headers and body with no casts.
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
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
    async (req) => schedules.get(req.params.pipeline),
  );

  app.put(
    path,
    {
      config: { minRole: 'operator', bodyOptional: true },
      schema: {
        tags: ['schedules'],
        summary:
          "Create or replace the schedule from the spec's, with the body's overrides (until the spec next changes)",
        security: bearer,
        params: PipelineParams,
        body: ScheduleBody,
        response: { 200: ScheduleView, 201: ScheduleView, ...problemResponses, ...bodyProblemResponses },
      },
    },
    async (req, reply) => {
      const { pipeline } = req.params;
      const { created, schedule } = await schedules.put(pipeline, req.body, caller(req));
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
      await schedules.remove(req.params.pipeline);
      return reply.code(204).send(null);
    },
  );

  for (const action of ['pause', 'unpause'] as const) {
    app.post(
      `${path}/${action}`,
      {
        config: { minRole: 'operator', bodyOptional: true },
        schema: {
          tags: ['schedules'],
          summary: `${action === 'pause' ? 'Pause' : 'Unpause'} the schedule, with an optional note (the caller is recorded in it)`,
          security: bearer,
          params: PipelineParams,
          body: NoteBody,
          response: { 200: ScheduleView, ...problemResponses, ...bodyProblemResponses },
        },
      },
      async (req) => {
        const { pipeline } = req.params;
        const { note } = req.body;
        return schedules[action](pipeline, caller(req), note);
      },
    );
  }

  app.post(
    `${path}/backfill`,
    {
      config: { minRole: 'operator' },
      schema: {
        tags: ['schedules'],
        summary:
          'Run the schedule for the times it would have started between `from` and `to` (e.g. nights missed in an outage)',
        description: `Cross-field rules (400 invalid-backfill naming the field): \`to\` later than \`from\`, at most ${maxBackfillDays} days after it, and not in the future; both real dates.`,
        security: bearer,
        params: PipelineParams,
        body: BackfillBody,
        response: {
          202: Type.Object({
            scheduleId: Type.String(),
            from: Type.String(),
            to: Type.String(),
            overlap: Type.String(),
          }),
          ...problemResponses,
          ...bodyProblemResponses,
        },
      },
    },
    async (req, reply) => reply.code(202).send(await schedules.backfill(req.params.pipeline, req.body)),
  );

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
    async (req, reply) => reply.code(202).send(await schedules.trigger(req.params.pipeline)),
  );
}
