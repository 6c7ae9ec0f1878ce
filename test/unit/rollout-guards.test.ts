// Rollout guard decisions as pure logic: no traffic in a bake window is a breach, never a pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { guardBreaches } from '../../activities/rollout-activities.js';
import { parseSpec, SpecError } from '../../core/pipeline-spec/load.js';

const guards = {
  maxErrorRate: 0.01,
  maxP99LatencyMs: 250,
  maxPredictionPsi: 0.25,
  minLabels: 50,
  minRequests: 20,
};
const quiet = { requests: 0, errorRate: 0, p99: null, predictionPsi: null, labels: 0, onlineAccuracy: null };

test('a candidate that served no requests in the bake window breaches the guard instead of passing with 0 % errors', () => {
  assert.deepEqual(guardBreaches(guards, quiet), [
    'no traffic: the candidate served no requests in the bake window (at least 20 needed)',
  ]);
});

test('a stored spec with minRequests 0 still needs at least one request', () => {
  assert.deepEqual(guardBreaches({ ...guards, minRequests: 0 }, quiet), [
    'no traffic: the candidate served no requests in the bake window (at least 1 needed)',
  ]);
  assert.deepEqual(guardBreaches({ ...guards, minRequests: 0 }, { ...quiet, requests: 1 }), []);
});

test('too few requests and a high error rate are both named', () => {
  assert.deepEqual(guardBreaches(guards, { ...quiet, requests: 5, errorRate: 0.2 }), [
    'minimum traffic: 5 requests < 20',
    'error rate 0.2000 > 0.01',
  ]);
});

test('enough healthy traffic passes', () => {
  assert.deepEqual(guardBreaches(guards, { ...quiet, requests: 20, p99: 10, predictionPsi: 0.01 }), []);
});

test('the spec refuses minRequests below 1, naming the field and the rule', () => {
  const spec = {
    name: 'houses',
    model: 'house-prices',
    dataset: { name: 'houses', label: 'price' },
    task: 'regression',
    rollout: { guards: { minRequests: 0 } },
  };
  assert.throws(
    () => parseSpec(spec, 'test'),
    (err: unknown) => {
      assert.ok(err instanceof SpecError);
      assert.deepEqual(
        err.issues.filter((i) => i.path === 'rollout.guards.minRequests'),
        [{ path: 'rollout.guards.minRequests', rule: 'must be ≥ 1' }],
      );
      return true;
    },
  );
});
