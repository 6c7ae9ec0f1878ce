// /v1/pipelines/{pipeline}/schedule: read, set, delete, pause, unpause and trigger a pipeline's
// nightly retraining schedule (a Temporal Schedule, overlap SKIP), and backfill times it missed.
import { Type } from 'typebox';
import { caller } from '../plugins/auth.js';
import { ScheduleBody, ScheduleView } from '../schedule-schemas.js';
import { Nullable, PipelineParams, type TypedApp } from '../schemas.js';
import { dateTimePattern, dateTimeRule, maxBackfillDays } from '../services/backfill-range.js';
import { backfillOverlaps, type BackfillOverlap, type SchedulesService } from '../services/schedules.js';

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

const path = '/v1/pipelines/:pipeline/schedule';

export function scheduleRoutes(app: TypedApp, schedules: SchedulesService): void {
  app.get(
    path,
    {
      config: { minRole: 'viewer' },
      schema: {
        tags: ['schedules'],
        summary: "A pipeline's retraining schedule: cron, state, next and recent runs",
        params: PipelineParams,
        response: { 200: ScheduleView },
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
        params: PipelineParams,
        body: ScheduleBody,
        response: { 200: ScheduleView, 201: ScheduleView },
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
        params: PipelineParams,
        response: { 204: Type.Null() },
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
          params: PipelineParams,
          body: NoteBody,
          response: { 200: ScheduleView },
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
        params: PipelineParams,
        body: BackfillBody,
        response: {
          202: Type.Object({
            scheduleId: Type.String(),
            from: Type.String(),
            to: Type.String(),
            overlap: Type.String(),
          }),
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
        params: PipelineParams,
        response: {
          202: Type.Object({
            scheduleId: Type.String(),
            runId: Nullable(Type.String()),
            overlap: Type.String(),
          }),
        },
      },
    },
    async (req, reply) => reply.code(202).send(await schedules.trigger(req.params.pipeline)),
  );
}
