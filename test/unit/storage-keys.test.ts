// The object-key layout is what existing buckets hold: every key must read exactly as it always has.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keys, modelBundleKeys } from '../../core/storage/keys.js';

test('run artifacts and checkpoints keep their keys under runs/<runId>/', () => {
  const run = keys.run('train-churn-1');
  assert.equal(run.validationReport, 'runs/train-churn-1/validation.json');
  assert.equal(run.evaluationReport, 'runs/train-churn-1/evaluation.json');
  assert.equal(run.modelCard, 'runs/train-churn-1/model-card.md');
  assert.equal(run.checkpoints, 'runs/train-churn-1/checkpoints/');
  assert.equal(run.checkpointHead, 'runs/train-churn-1/checkpoints/head.json');
  assert.equal(
    run.checkpointEpoch('attempt-2-ab12cd34', 7),
    'runs/train-churn-1/checkpoints/attempt-2-ab12cd34/epoch-000007/',
  );
  assert.equal(run.model('attempt-2-ab12cd34'), 'runs/train-churn-1/model/attempt-2-ab12cd34/');
  assert.equal(run.isLegacyCheckpointState('runs/train-churn-1/checkpoints/epoch-3/state.json'), true);
  assert.equal(
    run.isLegacyCheckpointState('runs/train-churn-1/checkpoints/attempt-1-x/epoch-000003/model.json'),
    false,
  );
  assert.deepEqual(modelBundleKeys('runs/r/model/l/'), {
    model: 'runs/r/model/l/model.json',
    weights: 'runs/r/model/l/weights.bin',
    preprocessing: 'runs/r/model/l/preprocessing.json',
  });
});

test('datasets, registry, deployments, pipelines, feedback and audit keep their keys', () => {
  const sha = 'a'.repeat(64);
  const snapshot = keys.dataset('churn').snapshot(sha);
  assert.equal(keys.dataset('churn').snapshots, 'datasets/churn/snapshots/');
  assert.equal(keys.dataset('churn').latest, 'datasets/churn/latest.json');
  assert.equal(snapshot.manifest, `datasets/churn/snapshots/${sha}/manifest.json`);
  assert.equal(snapshot.source('csv'), `datasets/churn/snapshots/${sha}/source.csv`);
  assert.equal(snapshot.data, `datasets/churn/snapshots/${sha}/data.parquet`);
  assert.equal(snapshot.profile, `datasets/churn/snapshots/${sha}/profile.json`);
  assert.equal(keys.datasets, 'datasets/');
  assert.equal(keys.datasetOfLatestPointer('datasets/churn/latest.json'), 'churn');
  assert.equal(keys.datasetOfLatestPointer(`datasets/churn/snapshots/${sha}/manifest.json`), undefined);
  assert.equal(keys.datasetOfLatestPointer('datasets/a/b/latest.json'), undefined);

  assert.equal(keys.modelVersion('churn', 12).manifest, 'models/churn/versions/00000012/manifest.json');
  assert.equal(keys.modelVersion('churn', 12).decision, 'models/churn/versions/00000012/decision.json');
  assert.equal(keys.modelVersion('churn', 12).rollout, 'models/churn/versions/00000012/rollout.json');
  assert.equal(keys.model('churn').versions, 'models/churn/versions/');
  assert.equal(keys.model('churn').aliases, 'models/churn/aliases.json');
  assert.equal(
    keys.model('churn').byRun('train-churn-2026-12-02T10:00:00Z'),
    'models/churn/by-run/train-churn-2026-12-02T10%3A00%3A00Z.json',
  );
  assert.equal(
    keys.model('churn').historyEntry('2026-12-02T10:00:00.123Z', 'id'),
    'models/churn/history/2026-12-02T10-00-00-123Z-id.json',
  );
  assert.deepEqual(keys.parseModelVersionManifest('models/churn/versions/00000012/manifest.json'), {
    model: 'churn',
    version: 12,
  });
  assert.equal(keys.parseModelVersionManifest('models/churn/versions/00000012/decision.json'), undefined);

  assert.equal(keys.modelOfKey('models/churn/aliases.json'), 'churn');
  assert.equal(keys.modelOfKey('pipelines/churn/current.json'), undefined);
  assert.equal(keys.isPipelinePointer(keys.pipeline('churn').current), true);
  assert.equal(keys.isPipelinePointer(keys.pipeline('churn').spec('h1')), false);
  assert.equal(keys.deployment('churn').state, 'deployments/churn.json');
  assert.equal(keys.deployment('churn').historyEntry(3), 'deployments/churn/history/00000003.json');
  assert.equal(keys.pipeline('churn').current, 'pipelines/churn/current.json');
  assert.equal(keys.pipeline('churn').spec('h1'), 'pipelines/churn/specs/h1.json');
  assert.equal(
    keys.pipeline('churn').version('2026-12-03T10:00:00.000Z', 'h1'),
    'pipelines/churn/versions/2026-12-03T10-00-00-000Z-h1.json',
  );
  assert.equal(
    keys.isPipelinePointer(keys.pipeline('churn').version('2026-12-03T10:00:00.000Z', 'h1')),
    false,
  );
  assert.equal(keys.feedbackClaim('churn', 'p1'), 'serving/feedback/churn/p1.json');
  assert.equal(keys.audit.day('2026-12-02'), 'audit/2026-12-02/');
  assert.equal(
    keys.audit.event('2026-12-02T10:00:00.123Z', 'e1'),
    'audit/2026-12-02/2026-12-02T10-00-00-123Z-e1.json',
  );
});

test('metrics files and compaction manifests keep their keys', () => {
  assert.equal(
    keys.metrics.part('training_epochs', 'churn', 'r-epoch-000003-attempt-1'),
    'metrics/training_epochs/model=churn/r-epoch-000003-attempt-1.parquet',
  );
  assert.deepEqual(keys.metrics.parsePart('metrics/predictions/model=churn/p1.parquet'), {
    table: 'predictions',
    model: 'churn',
    part: 'p1',
  });
  assert.equal(keys.metrics.parsePart('metrics/predictions/model=churn/p1.parquet.meta.json'), undefined);
  assert.equal(
    keys.metrics.fromCacheSegments(['runs', 'model=churn', 'x.parquet']),
    'metrics/runs/model=churn/x.parquet',
  );
  const merged = keys.compaction.mergedPart('predictions', 'churn', 'abc');
  assert.equal(merged, 'metrics/predictions/model=churn/compacted-abc.parquet');
  assert.equal(
    keys.compaction.manifest('predictions', 'churn', merged),
    'metrics-compaction/predictions/model=churn/compacted-abc.json',
  );
  assert.equal(
    keys.compaction.lock('predictions', 'churn'),
    'metrics-compaction/predictions/model=churn/lock.json',
  );
});
