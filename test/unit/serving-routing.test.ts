// Traffic routing: request keys stick to one version, buckets spread evenly, and weights are honoured.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pickVersion, routeBucket, type DeploymentRoute } from '../../core/serving/deployment.js';
import { createRng } from '../../core/random.js';

const split = (a: number, b: number): DeploymentRoute[] => [
  { version: 1, weight: a },
  { version: 2, weight: b },
];

test('a request key always gets the same version while the weights stay', () => {
  const routes = split(50, 50);
  for (let k = 0; k < 500; k++) {
    const key = `customer-${k}`;
    const first = pickVersion(routes, key, Math.random);
    for (let i = 0; i < 5; i++) assert.equal(pickVersion(routes, key, Math.random), first, key);
  }
});

test('request keys ignore the random source entirely', () => {
  const routes = split(30, 70);
  const keys = Array.from({ length: 200 }, (_, i) => `k${i}`);
  const a = keys.map((k) => pickVersion(routes, k, () => 0));
  const b = keys.map((k) => pickVersion(routes, k, () => 0.999));
  assert.deepEqual(a, b);
});

test('buckets of similar keys are spread evenly over 0…99', () => {
  const counts = new Array<number>(10).fill(0);
  const n = 20_000;
  for (let i = 0; i < n; i++) {
    const b = routeBucket(`user-${i}`);
    assert.ok(Number.isInteger(b) && b >= 0 && b < 100, `bucket ${b}`);
    counts[Math.floor(b / 10)]!++;
  }
  // Each decile expects 2000 (sd ≈ 42); ±10 % is about 5 sd.
  for (const c of counts) assert.ok(Math.abs(c - n / 10) < n / 100, `decile counts ${counts.join(', ')}`);
});

test('keyed traffic follows the weights: 10/90 sends about a tenth of the keys to the first version', () => {
  const routes = split(10, 90);
  let first = 0;
  const n = 10_000;
  for (let i = 0; i < n; i++) if (pickVersion(routes, `session-${i}`, Math.random) === 1) first++;
  assert.ok(first > 850 && first < 1150, `${first} of ${n} keys went to version 1`);
});

test('without a key the split follows the weights of a uniform draw', () => {
  const rng = createRng(42);
  const routes = split(25, 75);
  let first = 0;
  const n = 20_000;
  for (let i = 0; i < n; i++) if (pickVersion(routes, undefined, rng) === 1) first++;
  assert.ok(first > 4700 && first < 5300, `${first} of ${n} draws went to version 1`);
});

test('draw boundaries: 0 goes to the first route, just under 1 to the last, and the boundary between them is the weight', () => {
  const routes = split(50, 50);
  assert.equal(
    pickVersion(routes, undefined, () => 0),
    1,
  );
  assert.equal(
    pickVersion(routes, undefined, () => 0.4999),
    1,
  );
  assert.equal(
    pickVersion(routes, undefined, () => 0.5),
    2,
  );
  assert.equal(
    pickVersion(routes, undefined, () => 0.99999),
    2,
  );
});

test('a route with weight 0 never gets traffic, keyed or not', () => {
  const routes: DeploymentRoute[] = [
    { version: 3, weight: 0 },
    { version: 4, weight: 100 },
    { version: 5, weight: 0 },
  ];
  for (let i = 0; i < 1000; i++) {
    assert.equal(pickVersion(routes, `k${i}`, Math.random), 4);
    assert.equal(
      pickVersion(routes, undefined, () => i / 1000),
      4,
    );
  }
});

test('moving weight from one version to another moves only the keys in between', () => {
  const before = split(50, 50);
  const after = split(20, 80);
  for (let i = 0; i < 2000; i++) {
    const key = `k${i}`;
    // Keys on version 2 at 50/50 stay there when version 2 grows.
    if (pickVersion(before, key, Math.random) === 2)
      assert.equal(pickVersion(after, key, Math.random), 2, key);
  }
});

test('the bucket of a key is pinned: replicas on different releases must route a key alike', () => {
  // Changing the hash would move sticky callers between versions mid-rollout; these values guard it.
  assert.deepEqual(
    ['', 'a', 'customer-42', 'ünïcødé', 'user-1', 'user-2'].map(routeBucket),
    [23, 15, 48, 59, 16, 5],
  );
});
