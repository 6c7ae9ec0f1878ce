// Split worker pools: a pipeline-only and a train-only worker process (the real entry point, each
// with its `--queue`) run one pipeline end to end; the run's history shows which pool ran each task.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { baseEnv, configEnv } from '../../core/config.js';
import { pipelineStatusQuery, trainQueueActivities } from '../../core/contracts/index.js';
import { findFreePortBlock } from '../../infra/local/free-ports.js';
import { repoRoot } from '../../infra/local/stack.js';
import { buildWorkflowBundle } from '../../worker/bundle.js';
import { createHarness, eventually, type Harness } from '../helpers/pipeline.js';
import { exposedNames, parseSamples, sampleValue, type Sample } from '../helpers/prometheus.js';
import { auth, createApiHarness } from '../helpers/api.js';
import { dashboardMetricNames, readDashboard } from '../helpers/grafana.js';

let h: Harness;
const children: ChildProcess[] = [];
/** Worker scrapes, for the dashboard check below (the tests run in order). */
const scraped: string[] = [];

before(async () => {
  h = await createHarness({ worker: false });
});
after(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : 0)));
  await h.close();
});

interface ReadyBody {
  status: string;
  queues: { kind: string; taskQueue: string; identity: string; state: string }[];
}

/** Starts worker/main.ts serving `queue` on the harness's queues; resolves once its /readyz answers 200. */
async function startWorker(queue: 'pipeline' | 'train', port: number) {
  const env = {
    ...baseEnv(),
    ...configEnv(h.config),
    FERRY_TASK_QUEUE: h.taskQueue,
    FERRY_TRAIN_TASK_QUEUE: h.trainTaskQueue,
    FERRY_WORKER_PORT: String(port),
    FERRY_LOG_LEVEL: 'warn',
  };
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(repoRoot, 'worker/main.ts'), '--queue', queue],
    { cwd: repoRoot, env, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  children.push(child);
  const url = `http://${h.config.bindHost}:${port}`;
  const ready = await eventually(
    `the ${queue} worker's /readyz`,
    async () => {
      const res = await fetch(`${url}/readyz`);
      return res.status === 200 ? ((await res.json()) as ReadyBody) : undefined;
    },
    120_000,
  );
  return { child, url, ready };
}

test(
  'with a pipeline-only and a train-only worker process, validation, training and evaluation run on the train worker and everything else on the pipeline worker',
  { timeout: 600_000 },
  async () => {
    const base = await findFreePortBlock({ host: h.config.bindHost, count: 2 });
    const [pipeline, train] = await Promise.all([
      startWorker('pipeline', base),
      startWorker('train', base + 1),
    ]);
    assert.deepEqual(
      pipeline.ready.queues.map((q) => [q.kind, q.taskQueue, q.identity, q.state]),
      [['pipeline', h.taskQueue, `ferry-worker-pipeline@${hostname()}:${pipeline.child.pid}`, 'RUNNING']],
    );
    assert.deepEqual(
      train.ready.queues.map((q) => [q.kind, q.taskQueue, q.identity, q.state]),
      [['train', h.trainTaskQueue, `ferry-worker-train@${hostname()}:${train.child.pid}`, 'RUNNING']],
    );
    const pipelineIdentity = pipeline.ready.queues[0]!.identity;
    const trainIdentity = train.ready.queues[0]!.identity;

    const spec = h.spec((s) => ({ ...s, training: { ...s.training, epochs: 2, earlyStopping: undefined } }));
    const snapshot = await h.ingestChurn({ rows: 2_000, seed: 5 });
    const handle = await h.start(spec, { datasetSnapshot: snapshot, approvalPolicy: 'auto' });
    const result = await handle.result();
    assert.equal(result.outcome, 'promoted');

    // Who started each activity, by the identity Temporal recorded on its ActivityTaskStarted event.
    const history = await handle.fetchHistory();
    const events = history.events ?? [];
    const scheduled = new Map(
      events
        .filter((e) => e.activityTaskScheduledEventAttributes)
        .map((e) => {
          const a = e.activityTaskScheduledEventAttributes!;
          return [String(e.eventId), { type: a.activityType!.name!, queue: a.taskQueue!.name! }];
        }),
    );
    const ran = events
      .filter((e) => e.activityTaskStartedEventAttributes)
      .map((e) => {
        const a = e.activityTaskStartedEventAttributes!;
        return { ...scheduled.get(String(a.scheduledEventId))!, identity: a.identity! };
      });
    const heavy = new Set<string>(trainQueueActivities);
    assert.deepEqual(
      ran.filter((r) => heavy.has(r.type)).map((r) => r.type),
      ['validateDataset', 'trainModel', 'evaluateModel'],
    );
    for (const r of ran) {
      const onTrain = heavy.has(r.type);
      assert.deepEqual(
        r,
        {
          type: r.type,
          queue: onTrain ? h.trainTaskQueue : h.taskQueue,
          identity: onTrain ? trainIdentity : pipelineIdentity,
        },
        `${r.type} ran on the wrong pool`,
      );
    }
    assert.ok(
      ran.some((r) => r.type === 'registerModel'),
      'the run registered its model on the pipeline pool',
    );
    const workflowTaskIdentities = new Set(
      events
        .filter((e) => e.workflowTaskStartedEventAttributes)
        .map((e) => e.workflowTaskStartedEventAttributes!.identity),
    );
    assert.deepEqual([...workflowTaskIdentities], [pipelineIdentity]);

    // Each worker's /metrics: Ferry's metrics for what it ran, and the Temporal SDK's runtime metrics.
    const scrape = async (url: string) => {
      const res = await fetch(`${url}/metrics`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
      return res.text();
    };
    const [pipelineText, trainText] = await Promise.all([scrape(pipeline.url), scrape(train.url)]);
    const onPipeline = parseSamples(pipelineText);
    const onTrain = parseSamples(trainText);
    const status = await handle.query(pipelineStatusQuery);
    const completed = (activity: string, queue: string) => ({ activity, queue, outcome: 'completed' });
    assert.deepEqual(
      {
        trained: sampleValue(
          onTrain,
          'ferry_activity_duration_seconds_count',
          completed('trainModel', 'train'),
        ),
        evaluated: sampleValue(
          onTrain,
          'ferry_activity_duration_seconds_count',
          completed('evaluateModel', 'train'),
        ),
        epochs: sampleValue(onTrain, 'ferry_training_epochs_total'),
        rows: sampleValue(onTrain, 'ferry_validation_rows_total'),
        trainedOnPipeline: sampleValue(
          onPipeline,
          'ferry_activity_duration_seconds_count',
          completed('trainModel', 'pipeline'),
        ),
        registered: sampleValue(
          onPipeline,
          'ferry_activity_duration_seconds_count',
          completed('registerModel', 'pipeline'),
        ),
        runs: sampleValue(onPipeline, 'ferry_pipeline_runs_total', {
          pipeline: spec.name,
          outcome: 'promoted',
        }),
        conflicts: sampleValue(onPipeline, 'ferry_registry_conflicts_total', { kind: 'alias' }),
      },
      {
        trained: 1,
        evaluated: 1,
        epochs: 2,
        rows: status.validation!.rowCount,
        trainedOnPipeline: undefined,
        registered: 1,
        runs: 1,
        conflicts: 0,
      },
    );
    for (const [name, samples] of [
      ['ferry_training_epochs_per_second', onTrain],
      ['ferry_validation_rows_per_second', onTrain],
    ] as const) {
      const v = samples.find((x) => x.name === name)?.value ?? 0;
      assert.ok(v > 0, `${name} is ${v}`);
    }
    // The SDK's own: a pipeline worker polls workflow and activity tasks, a training worker activity tasks.
    const sdk = (samples: readonly Sample[]) => samples.filter((x) => x.name.startsWith('temporal_'));
    assert.ok(
      sdk(onPipeline).some((x) => x.labels.task_queue === h.taskQueue),
      `no temporal_* sample for ${h.taskQueue} in:\n${pipelineText.slice(0, 2000)}`,
    );
    assert.ok(
      sdk(onTrain).some(
        (x) => x.name.startsWith('temporal_activity_execution') && x.labels.task_queue === h.trainTaskQueue,
      ),
      `no temporal_activity_execution* sample for ${h.trainTaskQueue}`,
    );
    scraped.push(pipelineText, trainText);

    // The new path (patched 'train-task-queue') replays against today's code, like the recorded fixtures.
    const { path } = await buildWorkflowBundle();
    await Worker.runReplayHistory({ workflowBundle: { codePath: path } }, history, handle.workflowId);
  },
);

test("every metric the Grafana dashboard queries is in a real scrape of the workers' and the API's /metrics", async (t) => {
  assert.equal(scraped.length, 2, 'the pool test above scrapes both workers first');
  const api = await createApiHarness(h);
  t.after(() => api.close());
  const res = await api.app.inject({ url: '/metrics', headers: auth('viewer') });
  assert.equal(res.statusCode, 200);
  const exposed = new Set([...scraped, res.body].flatMap((text) => [...exposedNames(text)]));
  const used = dashboardMetricNames(await readDashboard());
  assert.ok(
    used.some((n) => n.startsWith('temporal_')),
    'the dashboard shows Temporal SDK metrics',
  );
  assert.deepEqual(
    used.filter((n) => !exposed.has(n)),
    [],
  );
});
