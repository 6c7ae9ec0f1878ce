// timelineOf maps the history events a happy run never has (retries, failures, signals, termination)
// to timeline entries; the integration test covers a real run's history end to end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { timelineOf } from '../../api/services/run-events.js';

const at = (s: number) => ({ seconds: 1_780_000_000 + s, nanos: 0 });
/** Hand-made events: proto timestamps hold a Long, which a plain number stands in for when read. */
const history = (events: object[]) => events as Parameters<typeof timelineOf>[0];
const json = (v: unknown) => ({ payloads: [{ data: Buffer.from(JSON.stringify(v)) }] });
const decode = (p: { payloads?: { data?: Uint8Array | null }[] | null } | null | undefined) =>
  (p?.payloads ?? []).map((x) => JSON.parse(Buffer.from(x.data!).toString('utf8')) as unknown);

test('retried and failed activities carry their attempt and the failure that caused the retry', () => {
  const events = timelineOf(
    history([
      {
        eventId: 5,
        eventTime: at(0),
        activityTaskScheduledEventAttributes: { activityType: { name: 'trainModel' } },
      },
      {
        eventId: 6,
        eventTime: at(40),
        activityTaskStartedEventAttributes: {
          scheduledEventId: 5,
          attempt: 3,
          lastFailure: { message: 'worker lost', cause: { message: 'heartbeat timeout' } },
        },
      },
      {
        eventId: 7,
        eventTime: at(50),
        activityTaskFailedEventAttributes: { scheduledEventId: 5, failure: { message: 'out of memory' } },
      },
      {
        eventId: 8,
        eventTime: at(51),
        workflowExecutionSignaledEventAttributes: {
          signalName: 'abortRollout',
          input: json({ by: 'ada', reason: 'p99 too high' }),
        },
      },
      {
        eventId: 9,
        eventTime: at(52),
        timerStartedEventAttributes: { timerId: '1', startToFireTimeout: { seconds: 7200 } },
      },
      { eventId: 10, eventTime: at(53), timerCanceledEventAttributes: { timerId: '1' } },
      { eventId: 11, eventTime: at(60), workflowExecutionTerminatedEventAttributes: { reason: 'cleanup' } },
    ]),
    decode,
    'rollout',
  );
  assert.deepEqual(
    events.map((e) => [e.kind, e.detail]),
    [
      ['activity-scheduled', 'trainModel'],
      ['activity-started', 'trainModel attempt 3 after: worker lost: heartbeat timeout'],
      ['activity-failed', 'trainModel attempt 3: out of memory'],
      ['signal', 'abortRollout by ada: p99 too high'],
      ['timer-started', '2h'],
      ['timer-canceled', '2h'],
      ['terminated', 'cleanup'],
    ],
  );
  assert.equal(events[0]!.at, new Date(1_780_000_000_000).toISOString());
  assert.ok(events.every((e) => e.workflow === 'rollout'));
});

test('a payload that does not decode leaves its summary empty rather than failing the timeline', () => {
  const events = timelineOf(
    history([
      {
        eventTime: at(0),
        workflowExecutionSignaledEventAttributes: {
          signalName: 'approvalDecision',
          input: { payloads: [{ data: Buffer.from('not json') }] },
        },
      },
    ]),
    decode,
    'run',
  );
  assert.deepEqual(events, [
    {
      at: new Date(1_780_000_000_000).toISOString(),
      kind: 'signal',
      detail: 'approvalDecision',
      workflow: 'run',
    },
  ]);
});
