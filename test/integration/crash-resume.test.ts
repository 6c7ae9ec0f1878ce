// Durability: SIGKILL the worker process in the middle of training; a new worker process finishes
// the run from the last checkpoint, so at most one epoch is trained twice, and ends with the same
// weights as an uninterrupted run.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { baseEnv, configEnv } from '../../core/config.js';
import { loadTensorflow } from '../../core/model/backend.js';
import { loadModelBundle } from '../../core/model/bundle-store.js';
import type { CheckpointHead } from '../../core/model/checkpoints.js';
import { keys } from '../../core/storage/keys.js';
import { modelWeightsSha256 } from '../../core/model/trainer.js';
import { isPortFree } from '../../infra/local/processes.js';
import { repoRoot } from '../../infra/local/stack.js';
import { createHarness, eventually, type Harness } from '../helpers/pipeline.js';
import { runEpochs } from '../../core/warehouse/queries.js';
import { epochsTrainedMoreThanOnce } from '../helpers/metrics-queries.js';

let h: Harness;
const children: ChildProcess[] = [];

before(async () => {
  h = await createHarness({ worker: false });
});
after(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await h.close();
});

async function freePort(from: number): Promise<number> {
  for (let p = from; p < from + 200; p++) if (await isPortFree('127.0.0.1', p)) return p;
  throw new Error('no free port');
}

/** Starts the real worker entry point (worker/main.ts) as its own process on the harness's task queue. */
async function startWorkerProcess(): Promise<ChildProcess> {
  const env = {
    ...baseEnv(),
    ...configEnv(h.config),
    FERRY_TASK_QUEUE: h.taskQueue,
    FERRY_TRAIN_TASK_QUEUE: h.trainTaskQueue,
    FERRY_WORKER_PORT: String(await freePort(38100)),
    FERRY_LOG_LEVEL: 'warn',
  };
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'worker/main.ts')], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  return child;
}

test(
  'a worker killed mid-training is replaced, the run resumes from its last checkpoint and ends bit-identical to an uninterrupted run',
  { timeout: 900_000 },
  async () => {
    const spec = h.spec((s) => ({
      ...s,
      training: { ...s.training, epochs: 10, batchSize: 32, earlyStopping: undefined },
    }));
    const snapshot = await h.ingestChurn({ rows: 6_000, seed: 21 });
    const first = await startWorkerProcess();
    const handle = await h.start(spec, { datasetSnapshot: snapshot, approvalPolicy: 'auto' });

    const checkpoints = () =>
      h.deps.store
        .getJson<CheckpointHead>(keys.run(handle.workflowId).checkpointHead)
        .then((head) => head.epoch);
    const seenBeforeKill = await eventually(
      'three checkpoints',
      async () => ((await checkpoints()) >= 3 ? checkpoints() : undefined),
      400_000,
    );
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    assert.ok(
      seenBeforeKill < spec.training.epochs,
      `training finished before the kill (${seenBeforeKill} checkpoints)`,
    );

    await startWorkerProcess();
    const result = await handle.result();
    assert.equal(result.outcome, 'promoted');

    const epochs = await runEpochs(h.deps.metrics, handle.workflowId);
    const attempts = [...new Set(epochs.map((e) => e.attempt))];
    assert.ok(attempts.length >= 2, `expected a retried attempt, saw attempts ${attempts.join(', ')}`);
    const secondAttemptFirstEpoch = Math.min(...epochs.filter((e) => e.attempt !== 1).map((e) => e.epoch));
    assert.ok(
      secondAttemptFirstEpoch >= seenBeforeKill,
      `the retry started at epoch ${secondAttemptFirstEpoch}, before checkpoint ${seenBeforeKill}`,
    );
    assert.deepEqual(
      [...new Set(epochs.map((e) => e.epoch))].sort((a, b) => a - b),
      Array.from({ length: 10 }, (_, i) => i + 1),
    );
    const twice = await epochsTrainedMoreThanOnce(h.deps.metrics, handle.workflowId);
    assert.ok(twice <= 1, `${twice} epochs were trained twice`);

    // The same seed and data without a crash: the resumed run must have ended with the very same weights.
    const control = await (
      await h.start(spec, { datasetSnapshot: snapshot, approvalPolicy: 'auto' })
    ).result();
    assert.equal(
      await weightsHashOf(spec.model, result.version),
      await weightsHashOf(spec.model, control.version),
    );
  },
);

async function weightsHashOf(model: string, version: number): Promise<string> {
  const { tf } = await loadTensorflow();
  const v = await h.deps.registry.getVersion(model, version);
  const loaded = await loadModelBundle(h.deps.store, v.artifacts.modelPrefix, tf);
  try {
    return modelWeightsSha256(loaded.model);
  } finally {
    loaded.model.optimizer?.dispose();
    loaded.model.dispose();
  }
}
