// The rules of a schedule backfill's time range, as a pure function: both ends real RFC 3339 times, the
// start before the end, the span at most a year and a day, and nothing in the future (a backfill runs the
// times a schedule missed; the future is the schedule's own).
import type { FieldError } from '../../core/errors.js';

/** The longest span one backfill may cover: a leap year. */
export const maxBackfillDays = 366;

/** How far past the server's clock `to` may be: clients' clocks drift a little. */
const clockSkewMs = 60_000;

/** RFC 3339 date-time with seconds and an offset, as the route's schema requires it. */
export const dateTimePattern =
  '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$';
export const dateTimeRule = 'must be an RFC 3339 date-time with an offset, such as 2026-11-01T02:00:00Z';

/**
 * The instant an RFC 3339 date-time names, or undefined when a field is out of range (month 13, 30 February,
 * 25:00, an offset past ±23:59): Date.parse would roll those over silently.
 */
export function parseDateTime(text: string): Date | undefined {
  const m =
    /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:(Z)|([+-])(\d{2}):(\d{2}))$/.exec(
      text,
    );
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const ms = Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3));
  const offsetH = Number(m[10] ?? 0);
  const offsetM = Number(m[11] ?? 0);
  if (offsetH > 23 || offsetM > 59) return undefined;
  const local = new Date(Date.UTC(y, mo - 1, d, h, mi, s, ms));
  // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear does not.
  local.setUTCFullYear(y);
  const same =
    local.getUTCFullYear() === y &&
    local.getUTCMonth() === mo - 1 &&
    local.getUTCDate() === d &&
    local.getUTCHours() === h &&
    local.getUTCMinutes() === mi &&
    local.getUTCSeconds() === s;
  if (!same) return undefined;
  const sign = m[9] === '-' ? -1 : 1;
  return new Date(local.getTime() - sign * (offsetH * 60 + offsetM) * 60_000);
}

/** The range's instants, or every broken rule named by its body field. */
export function checkBackfillRange(
  from: string,
  to: string,
  now: Date,
): { ok: true; start: Date; end: Date } | { ok: false; errors: FieldError[] } {
  const start = parseDateTime(from);
  const end = parseDateTime(to);
  const errors: FieldError[] = [];
  if (!start) errors.push({ field: 'body.from', rule: `${dateTimeRule} (every field in range)` });
  if (!end) errors.push({ field: 'body.to', rule: `${dateTimeRule} (every field in range)` });
  if (start && end) {
    if (end.getTime() <= start.getTime())
      errors.push({ field: 'body.to', rule: 'must be later than body.from' });
    else if (end.getTime() - start.getTime() > maxBackfillDays * 86_400_000)
      errors.push({ field: 'body.to', rule: `must be at most ${maxBackfillDays} days after body.from` });
  }
  if (end && end.getTime() > now.getTime() + clockSkewMs)
    errors.push({
      field: 'body.to',
      rule: 'must not be in the future: a backfill runs the times the schedule has already passed',
    });
  return errors.length > 0 || !start || !end ? { ok: false, errors } : { ok: true, start, end };
}
