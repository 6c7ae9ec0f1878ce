// The rules of a schedule backfill's range: real RFC 3339 times (no silent roll-over), start before end,
// at most 366 days, not in the future; each broken rule named by its body field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkBackfillRange, dateTimePattern, parseDateTime } from '../../api/services/backfill-range.js';

const now = new Date('2026-12-03T12:00:00Z');

test('parseDateTime reads UTC and offset times to the same instant', () => {
  assert.equal(parseDateTime('2026-11-01T02:00:00Z')?.toISOString(), '2026-11-01T02:00:00.000Z');
  assert.equal(parseDateTime('2026-11-01T03:30:00+01:30')?.toISOString(), '2026-11-01T02:00:00.000Z');
  assert.equal(parseDateTime('2026-10-31T21:00:00.5-05:00')?.toISOString(), '2026-11-01T02:00:00.500Z');
  assert.equal(parseDateTime('0099-01-01T00:00:00Z')?.toISOString(), '0099-01-01T00:00:00.000Z');
});

test('parseDateTime refuses fields out of range instead of rolling them over', () => {
  for (const text of [
    '2026-02-30T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-11-01T24:00:00Z',
    '2026-11-01T02:60:00Z',
    '2026-11-01T02:00:60Z',
    '2026-11-01T02:00:00+24:00',
    '2026-11-01T02:00:00',
    '2026-11-01',
  ])
    assert.equal(parseDateTime(text), undefined, text);
  assert.ok(parseDateTime('2028-02-29T00:00:00Z'), 'a leap day');
  assert.ok(new RegExp(dateTimePattern).test('2026-02-30T00:00:00Z'), 'the pattern alone lets it through');
});

test('a range inside the rules gives its instants', () => {
  const r = checkBackfillRange('2026-11-01T00:00:00Z', '2026-11-03T00:00:00+01:00', now);
  assert.deepEqual(r, {
    ok: true,
    start: new Date('2026-11-01T00:00:00Z'),
    end: new Date('2026-11-02T23:00:00Z'),
  });
  assert.equal(checkBackfillRange('2025-12-02T12:00:00Z', '2026-12-03T12:00:00Z', now).ok, true, '366 days');
});

test('each broken rule is named by its field', () => {
  const errors = (from: string, to: string) => {
    const r = checkBackfillRange(from, to, now);
    return r.ok ? [] : r.errors;
  };
  assert.deepEqual(errors('2026-02-30T00:00:00Z', '2026-11-01T00:00:00Z'), [
    {
      field: 'body.from',
      rule: 'must be an RFC 3339 date-time with an offset, such as 2026-11-01T02:00:00Z (every field in range)',
    },
  ]);
  assert.deepEqual(errors('2026-11-02T00:00:00Z', '2026-11-02T00:00:00Z'), [
    { field: 'body.to', rule: 'must be later than body.from' },
  ]);
  assert.deepEqual(errors('2025-12-02T11:59:59Z', '2026-12-03T12:00:00Z'), [
    { field: 'body.to', rule: 'must be at most 366 days after body.from' },
  ]);
  assert.deepEqual(errors('2026-12-03T00:00:00Z', '2026-12-03T12:01:01Z'), [
    {
      field: 'body.to',
      rule: 'must not be in the future: a backfill runs the times the schedule has already passed',
    },
  ]);
  assert.deepEqual(errors('2026-12-03T00:00:00Z', '2026-12-03T12:01:00Z'), [], 'a minute of clock skew');
});
