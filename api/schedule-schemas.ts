// Shapes of a pipeline's schedule, declared once: the routes' request and response schemas, and (through
// Static) the types the schedules service takes and returns.
import { Type, type Static } from 'typebox';
import { cronPattern, cronRule, timeZones } from '../core/pipeline-spec/cron.js';
import { Links } from './run-schemas.js';
import { Nullable } from './schemas.js';

/** What PUT may override of the spec's schedule; absent fields come from the spec. */
export const ScheduleBody = Type.Object(
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
export type ScheduleRequest = Static<typeof ScheduleBody>;

/**
 * A pipeline's schedule as the API shows it; `cron` is the expression kept as the calendar's comment (null
 * for schedules made elsewhere).
 */
export const ScheduleView = Type.Object({
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
  links: Links,
});
export type ScheduleView = Static<typeof ScheduleView>;
