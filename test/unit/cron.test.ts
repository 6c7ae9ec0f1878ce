// The schedule cron pattern states exactly Temporal's numeric cron grammar, so the API refuses by schema
// what Temporal would refuse, and accepts what it takes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cronPattern, timeZones } from '../../core/pipeline-spec/cron.js';

const cron = new RegExp(cronPattern, 'u');

test('the cron pattern accepts numeric 5-field expressions with lists, ordered ranges and steps', () => {
  for (const c of [
    '0 2 * * *',
    '30 3 * * 1-5',
    '00 02 * * *',
    '0-59/7 0-23 1-31 1-12 0-7',
    '1,2,3 * * * 7',
    '0 0 1/5 * *',
    '59-59/1 */2 31 12 0',
    '0  2 * * *',
  ])
    assert.equal(cron.test(c), true, c);
});

test('the cron pattern refuses out-of-range values, reversed ranges, zero steps, names and other shapes', () => {
  for (const c of [
    '61 2 * * *',
    '0 24 * * *',
    '0 0 0 * *',
    '0 0 * 13 *',
    '0 0 * * 8',
    '5-3 * * * *',
    '*/0 * * * *',
    '0 2 * * MON',
    '@daily',
    '0 2 * *',
    '0 2 * * * *',
    'every night',
    '0\t2 * * *',
    '٠ 2 * * *',
  ])
    assert.equal(cron.test(c), false, c);
});

test('the time zones are IANA names this runtime knows, with UTC', () => {
  assert.ok(timeZones.includes('UTC'));
  assert.ok(timeZones.includes('Europe/Berlin'));
  for (const z of timeZones) assert.doesNotThrow(() => new Intl.DateTimeFormat('en', { timeZone: z }), z);
});
