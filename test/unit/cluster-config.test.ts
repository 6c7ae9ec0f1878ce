// The cluster mode's settings: FERRY_STACK, the namespace retention and the cluster's port block.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, clusterPortCount, configEnv, loadConfig } from '../../core/config.js';
import { clusterPorts } from '../../infra/local/cluster-ports.js';

function problems(env: Record<string, string>): { variable: string; rule: string }[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
  assert.fail('expected a ConfigError');
}

test('the dev stack is the default; cluster is opt-in and anything else is refused naming the rule', () => {
  assert.equal(loadConfig({}).stack, 'dev');
  assert.equal(loadConfig({ FERRY_STACK: 'cluster' }).stack, 'cluster');
  assert.deepEqual(problems({ FERRY_STACK: 'prod' }), [
    { variable: 'FERRY_STACK', rule: 'must be dev or cluster' },
  ]);
});

test('the namespace retention takes days or hours, at least one day, and survives configEnv', () => {
  assert.equal(loadConfig({}).temporal.namespaceRetentionMs, 3 * 86_400_000);
  assert.equal(
    loadConfig({ FERRY_TEMPORAL_NAMESPACE_RETENTION: '36h' }).temporal.namespaceRetentionMs,
    36 * 3_600_000,
  );
  for (const bad of ['12h', '0d', '7', '1w', '-1d'])
    assert.equal(
      problems({ FERRY_TEMPORAL_NAMESPACE_RETENTION: bad })[0]?.variable,
      'FERRY_TEMPORAL_NAMESPACE_RETENTION',
      bad,
    );
  const c = loadConfig({ FERRY_TEMPORAL_NAMESPACE_RETENTION: '10d', FERRY_STACK: 'cluster' });
  const again = loadConfig(configEnv(c));
  assert.equal(again.temporal.namespaceRetentionMs, c.temporal.namespaceRetentionMs);
  assert.equal(again.stack, 'cluster');
  assert.equal(again.clusterPortBase, c.clusterPortBase);
});

test('the cluster port layout is distinct, inside its block, and a FERRY_*_PORT inside the block is refused', () => {
  const c = loadConfig({ FERRY_STACK: 'cluster', FERRY_CLUSTER_PORT_BASE: '30000' });
  const p = clusterPorts(c);
  const all = [
    p.postgres,
    p.frontendMembership,
    p.historyGrpc,
    p.historyMembership,
    p.matchingGrpc,
    p.matchingMembership,
    p.workerGrpc,
    p.workerMembership,
    ...p.workers,
    ...p.serving,
  ];
  assert.equal(new Set(all).size, all.length);
  for (const port of all) assert.ok(port >= 30000 && port < 30000 + clusterPortCount, String(port));
  assert.deepEqual(
    problems({ FERRY_STACK: 'cluster', FERRY_CLUSTER_PORT_BASE: '30000', FERRY_API_PORT: '30005' }),
    [
      {
        variable: 'FERRY_API_PORT',
        rule: `port 30005 lies in the cluster block FERRY_CLUSTER_PORT_BASE…+${clusterPortCount - 1}`,
      },
    ],
  );
  // The dev stack does not use the block, so it does not police it; workers get ports from it.
  assert.equal(loadConfig({ FERRY_CLUSTER_PORT_BASE: '30000', FERRY_API_PORT: '30005' }).api.port, 30005);
  assert.equal(
    loadConfig({ FERRY_STACK: 'cluster', FERRY_CLUSTER_PORT_BASE: '30000', FERRY_WORKER_PORT: '30008' })
      .worker.port,
    30008,
  );
});
