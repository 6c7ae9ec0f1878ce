// Test harness for pipeline tests against the real test stack (`npm test` starts Temporal and MinIO):
// a worker in this process, a Temporal client, unique pipeline/model/dataset names, and data.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Logger as TemporalLogger } from '@temporalio/common';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import type { ActivityDeps } from '../../activities/deps.js';
import { loadConfig, type FerryConfig } from '../../core/config.js';
import { writeChurnCsv, type ChurnOptions } from '../../core/datasets/synthetic-churn.js';
import type { TrainingPipelineInput, WorkerQueueKind } from '../../core/contracts/index.js';
import { startTrainingRun } from '../../core/runs/start-run.js';
import { loadSpecFile, parseSpec, specHash } from '../../core/pipeline-spec/load.js';
import type { PipelineSpec, PipelineSpecInput } from '../../core/pipeline-spec/schema.js';
import { createFerryWorkers, runWorkers, type QueueWorker } from '../../worker/create-worker.js';
import { createActivityDeps } from '../../worker/deps.js';
import type { Tracing } from '../../core/telemetry/setup.js';
import { repoRoot } from '../../infra/local/stack.js';

export interface Harness {
  config: FerryConfig;
  client: Client;
  deps: ActivityDeps;
  taskQueue: string;
  /** The training queue of this harness's runs (served by its worker unless `queues` leaves it out). */
  trainTaskQueue: string;
  /** The in-process workers (none with `worker: false`). */
  workers: QueueWorker[];
  /** Unique per harness, so reruns and other files never see each other's models or data. */
  id: string;
  /** The churn spec renamed to this harness's names, with overrides merged in. */
  spec(overrides?: (s: PipelineSpecInput) => PipelineSpecInput): PipelineSpec;
  ingestChurn(options: Partial<ChurnOptions> & { rows: number }): Promise<string>;
  start(spec: PipelineSpec, input?: Partial<TrainingPipelineInput>): ReturnType<typeof startTrainingRun>;
  close(): Promise<void>;
}

let runtimeInstalled = false;

export async function createHarness(
  options: {
    worker?: boolean;
    /** Which queues the in-process worker serves; default both, like the local stack's worker. */
    queues?: readonly WorkerQueueKind[];
    /** The test process's tracing (core/telemetry/setup.ts), for the worker's activity and workflow spans. */
    tracing?: Tracing;
    /** The SDK runtime's logger, for the process's first harness (default: errors only, to stderr). */
    logger?: TemporalLogger;
    /** FERRY_* overrides, e.g. a webhook allowlist. */ env?: Record<string, string>;
  } = {},
): Promise<Harness> {
  if (!runtimeInstalled) {
    // Expected failures (validation, rejected updates) log at WARN; tests assert on them instead.
    Runtime.install({ logger: options.logger ?? new DefaultLogger('ERROR') });
    runtimeInstalled = true;
  }
  const config = loadConfig(undefined, options.env);
  const id = randomUUID().slice(0, 8);
  const taskQueue = `test-${id}`;
  const trainTaskQueue = `test-${id}-train`;
  const connection = await Connection.connect({ address: config.temporal.address });
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const deps: ActivityDeps = {
    ...createActivityDeps(config, `test-${id}`),
    temporal: { client, taskQueue, trainTaskQueue },
  };
  await deps.store.ensureBucket();
  const base = await loadSpecFile(join(repoRoot, 'pipelines', 'churn.yaml'));
  const dir = await mkdtemp(join(tmpdir(), 'ferry-test-data-'));

  let workers: QueueWorker[] = [];
  let running: Promise<void> | undefined;
  let nativeConnection: NativeConnection | undefined;
  if (options.worker !== false) {
    nativeConnection = await NativeConnection.connect({ address: config.temporal.address });
    const queues = { pipeline: taskQueue, train: trainTaskQueue };
    workers = await createFerryWorkers({
      connection: nativeConnection,
      namespace: config.temporal.namespace,
      queues: Object.fromEntries((options.queues ?? ['pipeline', 'train']).map((k) => [k, queues[k]])),
      deps,
      shutdownGraceMs: 1000,
      ...(options.tracing ? { tracing: options.tracing } : {}),
    });
    running = runWorkers(workers);
  }

  return {
    config,
    client,
    deps,
    taskQueue,
    trainTaskQueue,
    workers,
    id,
    spec(overrides) {
      const renamed: PipelineSpecInput = {
        ...base,
        name: `churn-${id}`,
        model: `churn-${id}`,
        dataset: { ...base.dataset, name: `churn-${id}` },
        schedule: undefined,
      };
      return parseSpec(overrides ? overrides(renamed) : renamed, 'test spec');
    },
    async ingestChurn(o) {
      const path = join(dir, `${randomUUID()}.csv`);
      await writeChurnCsv(path, { seed: 1, ...o });
      const { manifest } = await deps.catalog.ingestFile(`churn-${id}`, path, { source: 'test' });
      return manifest.sha256;
    },
    start(spec, input = {}) {
      return startTrainingRun({
        client,
        taskQueue,
        trainTaskQueue,
        input: { spec, specHash: specHash(spec), trigger: 'test', triggeredBy: 'test-runner', ...input },
      });
    },
    async close() {
      for (const { worker } of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await nativeConnection?.close();
      await connection.close();
      await deps.metrics.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Polls until the predicate holds or the timeout passes (then throws with the description). */
export async function eventually<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A run's history as text: the raw JSON plus every payload decoded, to search it for what must not be there. */
export async function historyText(client: Client, workflowId: string): Promise<string> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const decoded: string[] = [];
  const raw = JSON.stringify(history, (key, v: unknown) => {
    // Payload bytes come back base64 (or as bytes): decode them, or a search could never match.
    if (key === 'data' && typeof v === 'string') decoded.push(Buffer.from(v, 'base64').toString('utf8'));
    if (v instanceof Uint8Array) decoded.push(Buffer.from(v).toString('utf8'));
    return v;
  });
  return [raw, ...decoded].join('\n');
}
