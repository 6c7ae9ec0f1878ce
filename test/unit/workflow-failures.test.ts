// How a failed activity becomes a run's failure: exhausted retries name the activity and its last error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/common';
import { FailureType } from '../../core/errors.js';
import { failureOf } from '../../workflows/failures.js';

test('an activity out of attempts fails the run naming the activity and its last error', () => {
  const last = ApplicationFailure.create({ message: 'connect ECONNREFUSED 127.0.0.1:9000', type: 'Error' });
  const err = new ActivityFailure(
    'Activity task failed',
    'trainModel',
    '5',
    'MAXIMUM_ATTEMPTS_REACHED',
    'w',
    last,
  );
  const failure = failureOf(err);
  assert.equal(
    failure?.message,
    'trainModel kept failing (out of attempts); last error: connect ECONNREFUSED 127.0.0.1:9000',
  );
  assert.equal(failure?.type, FailureType.RetriesExhausted);
  assert.equal(failure?.nonRetryable, true);
});

test('an activity that timed out on its last attempt names the kind of timeout', () => {
  const last = new TimeoutFailure(undefined, undefined, 'HEARTBEAT');
  const err = new ActivityFailure('Activity task timed out', 'validateDataset', '1', 'TIMEOUT', 'w', last);
  assert.equal(
    failureOf(err)?.message,
    'validateDataset kept failing (out of time); last error: HEARTBEAT timeout',
  );
});

test('a non-retryable application failure keeps its message and type', () => {
  const cause = ApplicationFailure.nonRetryable('dataset failed validation', FailureType.ValidationFailed);
  const err = new ActivityFailure(
    'Activity task failed',
    'validateDataset',
    '1',
    'NON_RETRYABLE_FAILURE',
    'w',
    cause,
  );
  const failure = failureOf(err);
  assert.equal(failure?.message, 'dataset failed validation');
  assert.equal(failure?.type, FailureType.ValidationFailed);
  assert.equal(failureOf(new Error('not an activity')), undefined);
});
