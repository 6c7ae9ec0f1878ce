// Ferry's own worker metrics (prom-client), fed by one activity interceptor: stage durations, runs by
// outcome, training and validation throughput, and registry conflicts. The worker's /metrics serves
// them next to the Temporal SDK's runtime metrics.
import { Context } from '@temporalio/activity';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { TrainingResult, ValidationSummary, WorkerQueueKind } from '../core/contracts/index.js';
import type { RegistryConflict } from '../core/registry/registry.js';

export interface WorkerMetrics {
  registry: Registry;
  /** Activity interceptor of one queue's worker. */
  interceptor(queue: WorkerQueueKind): ActivityInterceptorsFactory;
  /** Counts a registry conflict (wired into the activities' registry). */
  registryConflict(kind: RegistryConflict): void;
}

/** Seconds from a bookkeeping write (tens of ms) to a long training (an hour). */
const stageBuckets = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

/** A fresh registry per call, so tests that build several workers never collide on metric names. */
export function createWorkerMetrics(): WorkerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const stage = new Histogram({
    name: 'ferry_activity_duration_seconds',
    help: 'Duration of one activity attempt (a pipeline stage), by activity, queue and outcome',
    labelNames: ['activity', 'queue', 'outcome'] as const,
    buckets: stageBuckets,
    registers,
  });
  const runs = new Counter({
    name: 'ferry_pipeline_runs_total',
    help: 'Training runs finished, by pipeline and outcome (promoted, rejected, failed, …)',
    labelNames: ['pipeline', 'outcome'] as const,
    registers,
  });
  const epochs = new Counter({
    name: 'ferry_training_epochs_total',
    help: 'Epochs trained (by finished training attempts)',
    registers,
  });
  const trainingSeconds = new Counter({
    name: 'ferry_training_seconds_total',
    help: 'Seconds spent in finished training attempts',
    registers,
  });
  const epochsPerSecond = new Gauge({
    name: 'ferry_training_epochs_per_second',
    help: 'Epochs per second of the last finished training, by model',
    labelNames: ['model'] as const,
    registers,
  });
  const rows = new Counter({
    name: 'ferry_validation_rows_total',
    help: 'Dataset rows validated',
    registers,
  });
  const validationSeconds = new Counter({
    name: 'ferry_validation_seconds_total',
    help: 'Seconds spent validating datasets',
    registers,
  });
  const rowsPerSecond = new Gauge({
    name: 'ferry_validation_rows_per_second',
    help: 'Rows per second of the last dataset validation, by dataset',
    labelNames: ['dataset'] as const,
    registers,
  });
  const conflicts = new Counter({
    name: 'ferry_registry_conflicts_total',
    help: 'Registry writes that met another writer: a version number taken, an alias changed, a version already decided',
    labelNames: ['kind'] as const,
    registers,
  });
  for (const kind of ['version-number', 'alias', 'decision'] as const) conflicts.inc({ kind }, 0);

  /** Throughput and outcome metrics read off an activity's arguments and result. */
  const record = (activity: string, args: unknown[], result: unknown, seconds: number): void => {
    const input = args[0] as Record<string, unknown> | undefined;
    const spec = input?.spec as { name: string; model: string; dataset: { name: string } } | undefined;
    if (activity === 'trainModel') {
      const { epochsTrained } = result as TrainingResult;
      epochs.inc(epochsTrained);
      trainingSeconds.inc(seconds);
      if (spec && seconds > 0) epochsPerSecond.set({ model: spec.model }, epochsTrained / seconds);
    } else if (activity === 'validateDataset') {
      const { rowCount } = result as ValidationSummary;
      rows.inc(rowCount);
      validationSeconds.inc(seconds);
      if (spec && seconds > 0) rowsPerSecond.set({ dataset: spec.dataset.name }, rowCount / seconds);
    } else if (activity === 'recordRun' && spec) {
      runs.inc({ pipeline: spec.name, outcome: String(input?.outcome) });
    }
  };

  return {
    registry,
    registryConflict: (kind) => conflicts.inc({ kind }),
    interceptor: (queue) => () => ({
      inbound: {
        async execute(input, next) {
          const activity = Context.current().info.activityType;
          const end = stage.startTimer({ activity, queue });
          const started = performance.now();
          try {
            const result = await next(input);
            end({ outcome: 'completed' });
            record(activity, input.args, result, (performance.now() - started) / 1000);
            return result;
          } catch (err) {
            end({ outcome: 'failed' });
            throw err;
          }
        },
      },
    }),
  };
}
