// trainModel against real MinIO and DuckDB, run in MockActivityEnvironment: an attempt that was
// replaced while it hung on storage writes nothing more, its successor resumes bit-exactly, and
// the long activities heartbeat from their first moment.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { ActivityDeps } from '../../activities/deps.js';
import { createTrainActivities } from '../../activities/train-model.js';
import { createValidateActivities } from '../../activities/validate-dataset.js';
import type { TrainingResult, TrainModelInput, ValidationSummary } from '../../core/contracts/index.js';
import type { CheckpointHead } from '../../core/model/checkpoints.js';
import { keys } from '../../core/storage/keys.js';
import type { PipelineSpec } from '../../core/pipeline-spec/schema.js';
import type { ObjectStore } from '../../core/storage/object-store.js';
import { createHarness, type Harness } from '../helpers/pipeline.js';
import { runEpochs } from '../../core/warehouse/queries.js';

let h: Harness;
let spec: PipelineSpec;
let datasetSha: string;

before(async () => {
  h = await createHarness({ worker: false });
  spec = h.spec((s) => ({
    ...s,
    training: { ...s.training, epochs: 6, batchSize: 64, earlyStopping: undefined },
  }));
  datasetSha = await h.ingestChurn({ rows: 3_000, seed: 31 });
});
after(async () => {
  await h.close();
});

function attemptEnv(runId: string, attempt: number): MockActivityEnvironment {
  return new MockActivityEnvironment({
    attempt,
    activityId: '1',
    activityType: 'trainModel',
    workflowExecution: { workflowId: runId, runId: `${runId}-execution` },
  });
}

/** Runs trainModel as attempt `attempt` of `runId`'s training activity. */
function runTrain(
  deps: ActivityDeps,
  env: MockActivityEnvironment,
  input: TrainModelInput,
): Promise<TrainingResult> {
  return env.run(createTrainActivities(deps).trainModel, input) as Promise<TrainingResult>;
}

/** The real store, except that the first write whose key matches `hold` waits until released. */
function holdingStore(base: ObjectStore, hold: (key: string) => boolean) {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let reached!: () => void;
  const holding = new Promise<void>((r) => (reached = r));
  let held = false;
  const gate = async (key: string) => {
    if (held || !hold(key)) return;
    held = true;
    reached();
    await released;
  };
  const store: ObjectStore = {
    ...base,
    async put(key, body, options) {
      await gate(key);
      return base.put(key, body, options);
    },
    async putJson(key, value, options) {
      await gate(key);
      return base.putJson(key, value, options);
    },
  };
  return { store, holding, release };
}

test('an attempt replaced while it hung on a checkpoint write stops without writing, and its successor ends bit-identical to an uninterrupted run', async () => {
  const control = await runTrain(h.deps, attemptEnv(`control-${h.id}`, 1), {
    runId: `control-${h.id}`,
    spec,
    datasetSha,
  });

  const runId = `fenced-${h.id}`;
  const zombieStore = holdingStore(h.deps.store, (key) => key.includes('/epoch-000003/'));
  const zombie = runTrain({ ...h.deps, store: zombieStore.store }, attemptEnv(runId, 1), {
    runId,
    spec,
    datasetSha,
  }).then(
    (r: TrainingResult) => r,
    (err: Error) => err,
  );
  await zombieStore.holding;

  // The server timed attempt 1 out and scheduled attempt 2, which runs to the end while 1 hangs.
  const successor = await runTrain(h.deps, attemptEnv(runId, 2), { runId, spec, datasetSha });
  assert.equal(successor.resumedFromEpoch, 2);
  assert.equal(successor.lastEpoch, 6);
  assert.ok(successor.weightsSha256, 'the result names its weights hash');
  assert.equal(successor.weightsSha256, control.weightsSha256);

  zombieStore.release();
  const outcome = await zombie;
  assert.ok(outcome instanceof Error, 'the replaced attempt must not finish');
  assert.equal(outcome.name, 'TrainingSupersededError');
  assert.match(outcome.message, /training attempt 1 of run .* was superseded by attempt 2/);

  const epochs = await runEpochs(h.deps.metrics, runId);
  assert.deepEqual(
    epochs.map((e) => [e.epoch, e.attempt]),
    [
      [1, 1],
      [2, 1],
      [3, 2],
      [4, 2],
      [5, 2],
      [6, 2],
    ],
  );
  const head = await h.deps.store.getJson<CheckpointHead>(keys.run(runId).checkpointHead);
  assert.equal(head.epoch, 6);
  assert.equal(head.owner.attempt, 2);
  assert.ok(head.prefix?.includes(head.owner.lease), `head points at the successor's files: ${head.prefix}`);
  const zombieModels = (await h.deps.store.list(`runs/${runId}/model/`)).filter(
    (o) => !o.key.startsWith(successor.modelPrefix),
  );
  assert.deepEqual(
    zombieModels.map((o) => o.key),
    [],
  );
});

test('training heartbeats while it loads data, before the first epoch ends', async () => {
  const env = attemptEnv(`heartbeats-${h.id}`, 1);
  const beats: unknown[] = [];
  env.on('heartbeat', (d: unknown) => beats.push(d));
  await runTrain(h.deps, env, {
    runId: `heartbeats-${h.id}`,
    spec: { ...spec, training: { ...spec.training, epochs: 1 } },
    datasetSha,
  });
  assert.deepEqual(beats[0], { epoch: 0, phase: 'loading' });
  const loaded = beats.findIndex((b) => (b as { phase?: string }).phase === 'data-loaded');
  const firstEpoch = beats.findIndex((b) => 'loss' in (b as object));
  assert.ok(loaded > 0 && loaded < firstEpoch, JSON.stringify(beats));
});

test('validation heartbeats from its start', async () => {
  const env = new MockActivityEnvironment({ activityType: 'validateDataset' });
  const beats: unknown[] = [];
  env.on('heartbeat', (d: unknown) => beats.push(d));
  const summary = (await env.run(createValidateActivities(h.deps).validateDataset, {
    runId: `validate-${h.id}`,
    spec,
    datasetSnapshot: datasetSha,
  })) as ValidationSummary;
  assert.equal(summary.passed, true);
  assert.deepEqual(beats[0], { phase: 'validating' });
});
