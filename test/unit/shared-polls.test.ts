// Shared pollers: subscribers of one key share one poll per interval, see each change once, and the
// poller stops with the last of them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { createSharedPolls } from '../../api/shared-polls.js';

test('two subscribers of one key share one poller: one poll per interval, each change delivered to both', async () => {
  const polls = createSharedPolls({ intervalMs: 50, onError: () => undefined });
  let calls = 0;
  let value = 0;
  const poll = async () => {
    calls++;
    return { value };
  };
  const a: number[] = [];
  const b: number[] = [];
  const [subA, subB] = await Promise.all([
    polls.subscribe('k', poll, (v) => a.push(v.value)),
    polls.subscribe('k', poll, (v) => b.push(v.value)),
  ]);
  assert.equal(calls, 1, 'both subscribers got the first poll');
  assert.deepEqual([subA.value, subB.value], [{ value: 0 }, { value: 0 }]);
  await sleep(275);
  const afterFive = calls;
  assert.ok(afterFive >= 2 && afterFive <= 7, `about one poll per 50 ms, not two: ${afterFive}`);
  assert.deepEqual([a, b], [[], []], 'no change, nothing delivered');
  value = 1;
  await sleep(120);
  assert.deepEqual([a, b], [[1], [1]]);
  // A late subscriber gets the latest value without a poll of its own.
  const before = calls;
  const late = await polls.subscribe('k', poll, () => undefined);
  assert.deepEqual(late.value, { value: 1 });
  assert.ok(calls - before <= 1);
  assert.equal(polls.active, 1);
  subA.unsubscribe();
  subB.unsubscribe();
  assert.equal(polls.active, 1, 'still watched by the late subscriber');
  late.unsubscribe();
  assert.equal(polls.active, 0);
  const stopped = calls;
  await sleep(150);
  assert.equal(calls, stopped, 'no poll once nobody listens');
});

test('a first poll that fails is thrown to the subscriber and leaves no poller behind; a later failure keeps polling', async () => {
  const errors: string[] = [];
  const polls = createSharedPolls({
    intervalMs: 30,
    onError: (err, key) => errors.push(`${key}: ${String(err)}`),
  });
  await assert.rejects(
    polls.subscribe(
      'gone',
      () => Promise.reject(new Error('not found')),
      () => undefined,
    ),
    /not found/,
  );
  assert.equal(polls.active, 0);
  let fail = false;
  const seen: number[] = [];
  let n = 0;
  const sub = await polls.subscribe(
    'flaky',
    async () => {
      if (fail) throw new Error('down');
      return ++n;
    },
    (v) => seen.push(v),
  );
  fail = true;
  await sleep(100);
  assert.ok(
    errors.some((e) => e === 'flaky: Error: down'),
    errors.join('; '),
  );
  fail = false;
  await sleep(100);
  assert.ok(seen.length > 0, 'polling resumed after the failure');
  sub.unsubscribe();
  polls.stop();
});
