// Pure governance rules: which spec fields are privileged and how a version's lifecycle status is derived.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { lifecycleStatus, type AliasState } from '../../core/registry/registry.js';
import { loadSpecFile, parseSpec } from '../../core/pipeline-spec/load.js';
import {
  assertMayChangePrivileged,
  privilegedChanges,
  PrivilegedFieldError,
} from '../../core/pipeline-spec/privileged.js';

const churn = await loadSpecFile(join(import.meta.dirname, '..', '..', 'pipelines', 'churn.yaml'));

test('a new spec with every privileged field at its default has no privileged changes', () => {
  const plain = parseSpec({
    name: 'plain',
    model: 'plain',
    dataset: { name: 'plain', label: 'y' },
    task: 'binary',
    training: { epochs: 3 },
  });
  assert.deepEqual(privilegedChanges(undefined, plain), []);
});

test('the churn spec sets thresholds and guards, which count as privileged on creation', () => {
  const fields = privilegedChanges(undefined, churn).map((c) => c.field);
  assert.deepEqual(fields, ['evaluation.thresholds.accuracy', 'evaluation.thresholds.auc']);
});

test('training, data and schedule changes are not privileged; approval, thresholds, rollout and webhooks are', () => {
  const operatorEdit = parseSpec({
    ...churn,
    training: { ...churn.training, epochs: 3 },
    validation: { ...churn.validation, minRows: 10 },
    schedule: { cron: '0 4 * * *' },
  });
  assert.deepEqual(privilegedChanges(churn, operatorEdit), []);
  const relaxed = parseSpec({
    ...churn,
    approval: { ...churn.approval, policy: 'auto' },
    evaluation: { ...churn.evaluation, maxRegression: 0.5, thresholds: { auc: 0.5 } },
    rollout: { ...churn.rollout, strategy: 'canary', guards: { ...churn.rollout.guards, maxErrorRate: 1 } },
    monitoring: { ...churn.monitoring, webhookUrl: 'https://hooks.example.com/x' },
  });
  assert.deepEqual(privilegedChanges(churn, relaxed), [
    { field: 'approval.policy', before: 'manual', after: 'auto' },
    { field: 'evaluation.maxRegression', before: 0.02, after: 0.5 },
    { field: 'evaluation.thresholds.accuracy', before: 0.65, after: null },
    { field: 'evaluation.thresholds.auc', before: 0.7, after: 0.5 },
    { field: 'monitoring.webhookUrl', before: null, after: 'https://hooks.example.com/x' },
    { field: 'rollout.guards.maxErrorRate', before: 0.01, after: 1 },
    { field: 'rollout.strategy', before: 'direct', after: 'canary' },
  ]);
});

test('an operator is refused privileged changes by name; an approver or admin is not', () => {
  const changes = [{ field: 'approval.policy', before: 'manual', after: 'auto' }];
  assert.throws(
    () => assertMayChangePrivileged('operator', changes),
    (err: unknown) =>
      err instanceof PrivilegedFieldError &&
      err.message ===
        'role "operator" may not set or change approval.policy: it needs role "approver" or "admin"',
  );
  assert.doesNotThrow(() => assertMayChangePrivileged('approver', changes));
  assert.doesNotThrow(() => assertMayChangePrivileged('admin', changes));
  assert.doesNotThrow(() => assertMayChangePrivileged('operator', []));
});

test('lifecycle: candidate, champion, retired by promotion, rolled back by rollback or guard, rejected', () => {
  const aliases: AliasState = {
    aliases: { champion: 3 },
    updatedAt: '',
    displaced: {
      '1': { kind: 'promotion', toVersion: 2, at: '' },
      '2': { kind: 'rollback', toVersion: 3, at: '' },
    },
  };
  const v = (version: number, status: 'candidate' | 'rejected' = 'candidate') => ({ version, status });
  const rollout = { outcome: 'rolled-back' as const, reason: 'x', guards: null, runId: 'r', at: '' };
  const reject = { decision: 'reject' as const, by: 'a', comment: '', at: '', runId: 'r' };
  assert.equal(lifecycleStatus(v(1), aliases, undefined, undefined), 'retired');
  assert.equal(lifecycleStatus(v(2), aliases, undefined, undefined), 'rolled-back');
  assert.equal(lifecycleStatus(v(3), aliases, undefined, rollout), 'champion');
  assert.equal(lifecycleStatus(v(4), aliases, undefined, undefined), 'candidate');
  assert.equal(lifecycleStatus(v(5), aliases, undefined, rollout), 'rolled-back');
  assert.equal(lifecycleStatus(v(6), aliases, reject, undefined), 'rejected');
  assert.equal(lifecycleStatus(v(7, 'rejected'), aliases, undefined, undefined), 'rejected');
});
