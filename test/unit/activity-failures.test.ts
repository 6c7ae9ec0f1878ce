// The worker's one translation of domain errors to Temporal failures, by the error's type.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApplicationFailure } from '@temporalio/common';
import { DatasetNotFoundError } from '../../core/datasets/catalog.js';
import { FailureType } from '../../core/errors.js';
import { TrainingDivergedError } from '../../core/model/trainer.js';
import { PreconditionFailedError, StorageUnavailableError } from '../../core/storage/errors.js';
import { activityFailureOf } from '../../worker/activity-failures.js';

test('a domain error no retry can fix becomes a non-retryable failure of its type with its message', () => {
  const failure = activityFailureOf(new DatasetNotFoundError('churn'));
  assert.ok(failure instanceof ApplicationFailure);
  assert.equal(failure.type, FailureType.NotFound);
  assert.equal(failure.nonRetryable, true);
  assert.equal(failure.message, 'dataset "churn" not found: it has no snapshots');

  const diverged = activityFailureOf(new TrainingDivergedError(3, Number.NaN));
  assert.ok(diverged instanceof ApplicationFailure);
  assert.equal(diverged.type, FailureType.InvalidInput);
  assert.equal(diverged.nonRetryable, true);
});

test('a domain error a retry may fix, and any other error, is left for Temporal to retry', () => {
  for (const err of [
    new StorageUnavailableError('runs/x/report.json'),
    new PreconditionFailedError('models/churn/aliases.json'),
    new Error('socket hang up'),
  ])
    assert.equal(activityFailureOf(err), err);
});
