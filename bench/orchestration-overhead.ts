// Orchestration overhead of the training pipeline on the local dev server: runs the real
// trainingPipelineWorkflow (and its rollout child) over no-op activities registered under the real
// names and, as the baseline in the same run, a bare chain of the same eight no-op activities. From
// each run's histories it measures the gap between one activity completing and the next one
// starting (across the hand-over to the rollout child and back), and the run's end-to-end time.
//
//   npm run bench:orchestration -- [--n 50] [--concurrency 8] [--warmup 3]
// It measures whatever Temporal the config names; `npm run bench:orchestration:modes` runs it on a
// throwaway dev server and a throwaway cluster and prints both side by side.
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { TypedSearchAttributes, tsToMs } from '@temporalio/common';
import proto from '@temporalio/proto';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { loadConfig } from '../core/config.js';
import {
  FerryModel,
  FerryStage,
  FerryTrigger,
  rolloutWorkflowId,
  type PipelineResult,
  type TrainingPipelineInput,
} from '../core/contracts/index.js';
import { specHash } from '../core/pipeline-spec/load.js';
import { registerSearchAttributes } from '../core/temporal-setup.js';
import { churnSpecNamed } from './lib/churn-spec.js';
import { fmt, intOptions, printResult, summarize, table, tableOf } from './lib/report.js';
import { createNoopActivities } from './noop-activities.js';

type History = proto.temporal.api.history.v1.IHistory;
type Kind = 'ferry' | 'bare';
const EventType = proto.temporal.api.enums.v1.EventType;
const workflowType: Record<Kind, string> = {
  ferry: 'trainingPipelineWorkflow',
  bare: 'bareActivityChainWorkflow',
};
const stepNames = 'validate train evaluate register recordDecision setTraffic promote recordRun'.split(' ');

/** The target for the gap between consecutive activities, on the local dev server. */
const target = { p50Ms: 50, p99Ms: 250 };

/** One gap between activities, split into where the time went (all from history event times). */
interface Gap {
  /** Index of the activity that completed (0 = validate). */
  step: number;
  totalMs: number;
  /** ActivityTaskCompleted → WorkflowTaskScheduled: the server reacting to the completion. */
  toWftScheduled: number;
  /** WorkflowTaskScheduled → WorkflowTaskStarted: the workflow task reaching the worker. */
  wftDispatch: number;
  /** WorkflowTaskStarted → WorkflowTaskCompleted: the worker running the activation and replying. */
  wftRun: number;
  /** WorkflowTaskCompleted (= ActivityTaskScheduled) → ActivityTaskStarted: the activity task reaching the worker. */
  activityDispatch: number;
  /** Into or out of the rollout child: its segments span two histories and are not split (NaN above). */
  handoff: boolean;
}

interface RunRecord {
  kind: Kind;
  handle: WorkflowHandle;
  clientMs: number;
  /** The StartWorkflowExecution RPC alone: one persisted write on the server. */
  startRpcMs: number;
}

const opts = intOptions({ n: 50, concurrency: 8, warmup: 3 });

Runtime.install({ logger: new DefaultLogger('WARN') });
const config = loadConfig();
const tag = randomUUID().slice(0, 8);
const taskQueue = `bench-noop-${tag}`;

const spec = await churnSpecNamed('bench-noop');
const input: TrainingPipelineInput = {
  spec,
  specHash: specHash(spec),
  trigger: 'test',
  triggeredBy: 'bench',
  approvalPolicy: 'auto',
};

const connection = await Connection.connect({ address: config.temporal.address });
const client = new Client({ connection, namespace: config.temporal.namespace });
await registerSearchAttributes(connection, config.temporal.namespace);
const nativeConnection = await NativeConnection.connect({ address: config.temporal.address });

const bundleStarted = performance.now();
const worker = await Worker.create({
  connection: nativeConnection,
  namespace: config.temporal.namespace,
  taskQueue,
  workflowsPath: fileURLToPath(new URL('./workflows.ts', import.meta.url)),
  activities: createNoopActivities(),
  // As worker/create-worker.ts configures the production worker.
  maxCachedWorkflows: 200,
  shutdownGraceTime: 1000,
});
const bundleMs = performance.now() - bundleStarted;

let seq = 0;
async function runOne(kind: Kind): Promise<RunRecord> {
  const started = performance.now();
  const handle = await client.workflow.start(workflowType[kind], {
    taskQueue,
    workflowId: `bench-noop-${tag}-${kind}-${seq++}`,
    args: [input],
    // Start options as core/runs/start-run.ts gives them.
    typedSearchAttributes: new TypedSearchAttributes([
      { key: FerryModel, value: spec.model },
      { key: FerryStage, value: 'validate' },
      { key: FerryTrigger, value: input.trigger },
    ]),
    memo: { pipeline: spec.name, specHash: input.specHash, triggeredBy: input.triggeredBy },
    staticSummary: `Benchmark ${kind} no-op pipeline`,
  });
  const startRpcMs = performance.now() - started;
  const result = (await handle.result()) as PipelineResult;
  if (result.outcome !== 'promoted')
    throw new Error(`${handle.workflowId} ended ${result.outcome}, expected promoted`);
  return { kind, handle, clientMs: performance.now() - started, startRpcMs };
}

/** Runs `count` pipelines of each kind in the given order with `lanes` in flight; returns them with the batch's wall time. */
async function runBatch(
  kinds: readonly Kind[],
  lanes: number,
): Promise<{ runs: RunRecord[]; wallMs: number }> {
  const queue = [...kinds];
  const runs: RunRecord[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      for (let kind = queue.shift(); kind; kind = queue.shift()) runs.push(await runOne(kind));
    }),
  );
  return { runs, wallMs: performance.now() - started };
}

interface Event {
  type: proto.temporal.api.enums.v1.EventType | null | undefined;
  t: number;
}

function timeline(history: History): Event[] {
  // tsToMs floors to whole milliseconds; add the sub-millisecond nanos back for finer gaps.
  const ms = (t: proto.google.protobuf.ITimestamp | null | undefined) =>
    tsToMs(t) + ((t?.nanos ?? 0) % 1e6) / 1e6;
  return (history.events ?? []).map((e) => ({ type: e.eventType, t: ms(e.eventTime) }));
}

/**
 * The gaps between consecutive activities of one history. A gap during which the workflow ran its
 * rollout child (`child`, its events) is split into the hand-over to the child's first activity, the
 * child's own gaps, and the hand-back from its last activity to the parent's next one.
 */
function gapsWithin(events: Event[], child?: Event[]): { gaps: Omit<Gap, 'step'>[]; activityMs: number[] } {
  const find = (from: number, type: proto.temporal.api.enums.v1.EventType, before = events.length) => {
    if (from < 0) return -1;
    for (let k = from; k < before; k++) if (events[k]!.type === type) return k;
    return -1;
  };
  const gaps: Omit<Gap, 'step'>[] = [];
  const activityMs: number[] = [];
  const handoff = (totalMs: number): Omit<Gap, 'step'> => ({
    totalMs,
    toWftScheduled: Number.NaN,
    wftDispatch: Number.NaN,
    wftRun: Number.NaN,
    activityDispatch: Number.NaN,
    handoff: true,
  });
  for (let i = 0; i < events.length; i++) {
    if (events[i]!.type !== EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) continue;
    // The no-op activity's own started → completed: pure server and RPC time.
    if (events[i - 1]?.type === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED)
      activityMs.push(events[i]!.t - events[i - 1]!.t);
    const wftScheduled = find(i, EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED);
    const activityScheduled = find(i, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);
    const activityStarted = find(activityScheduled, EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED);
    if (wftScheduled < 0 || activityScheduled < 0 || activityStarted < 0) continue; // the last activity
    const t = (k: number) => events[k]!.t;
    if (
      child &&
      find(i, EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED, activityScheduled) >= 0
    ) {
      const starts = child.filter((e) => e.type === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED);
      const ends = child.filter((e) => e.type === EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED);
      const inner = gapsWithin(child);
      gaps.push(handoff(starts[0]!.t - t(i)), ...inner.gaps, handoff(t(activityStarted) - ends.at(-1)!.t));
      activityMs.push(...inner.activityMs);
      continue;
    }
    // The workflow task that scheduled the next activity is the one completed just before it.
    let wftCompleted = activityScheduled;
    while (wftCompleted > i && events[wftCompleted]!.type !== EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)
      wftCompleted--;
    let wftStarted = wftCompleted;
    while (wftStarted > i && events[wftStarted]!.type !== EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED)
      wftStarted--;
    gaps.push({
      totalMs: t(activityStarted) - t(i),
      toWftScheduled: t(wftScheduled) - t(i),
      wftDispatch: t(wftStarted) - t(wftScheduled),
      wftRun: t(wftCompleted) - t(wftStarted),
      activityDispatch: t(activityStarted) - t(activityScheduled),
      handoff: false,
    });
  }
  return { gaps, activityMs };
}

function gapsOf(history: History, child?: History): { gaps: Gap[]; activityMs: number[]; serverMs: number } {
  const events = timeline(history);
  const { gaps, activityMs } = gapsWithin(events, child ? timeline(child) : undefined);
  const serverMs = (events.at(-1)?.t ?? 0) - (events[0]?.t ?? 0);
  return { gaps: gaps.map((g, step) => ({ ...g, step })), activityMs, serverMs };
}

interface Scenario {
  name: string;
  lanes: number;
  wallMs: number;
  byKind: Record<Kind, { gaps: Gap[]; activityMs: number[]; clientMs: number[]; serverMs: number[] }>;
}

async function analyse(
  name: string,
  lanes: number,
  batch: { runs: RunRecord[]; wallMs: number },
): Promise<Scenario> {
  const empty = () => ({ gaps: [], activityMs: [], clientMs: [], serverMs: [] });
  const byKind: Scenario['byKind'] = { ferry: empty(), bare: empty() };
  for (const run of batch.runs) {
    const child =
      run.kind === 'ferry'
        ? await client.workflow.getHandle(rolloutWorkflowId(run.handle.workflowId)).fetchHistory()
        : undefined;
    const { gaps, activityMs, serverMs } = gapsOf(await run.handle.fetchHistory(), child);
    if (gaps.length !== stepNames.length - 1)
      throw new Error(
        `${run.handle.workflowId}: found ${gaps.length} gaps, expected ${stepNames.length - 1}`,
      );
    const k = byKind[run.kind];
    k.gaps.push(...gaps);
    k.activityMs.push(...activityMs);
    k.clientMs.push(run.clientMs);
    k.serverMs.push(serverMs);
  }
  return { name, lanes, wallMs: batch.wallMs, byKind };
}

/** Round trips of an RPC that touches no persistence, the floor under every server hop. */
async function probeRtt(count = 30): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await connection.workflowService.getSystemInfo({});
    times.push(performance.now() - started);
  }
  return times;
}

const loadBefore = loadavg()[0]!;
const rttMs = summarize(await probeRtt());
let startRpcMs = summarize([]);
/** `n` runs of each kind, alternated run by run so both see the same drift in machine load. */
const alternating = (n: number): Kind[] =>
  Array.from({ length: n * 2 }, (_, i) => (i % 2 ? 'bare' : 'ferry'));
const scenarios = await worker.runUntil(async () => {
  // Warm-up: the first runs pay for V8 JIT, the workflow context and sticky-queue set-up.
  await runBatch(alternating(opts.warmup), 1);
  const sequential = await runBatch(alternating(opts.n), 1);
  startRpcMs = summarize(sequential.runs.map((r) => r.startRpcMs));
  // Concurrent: one kind at a time, so the Ferry-shaped figure is 8 real pipelines in flight.
  const concurrentFerry = await runBatch(Array<Kind>(opts.n).fill('ferry'), opts.concurrency);
  const concurrentBare = await runBatch(Array<Kind>(opts.n).fill('bare'), opts.concurrency);
  return [
    await analyse('sequential', 1, sequential),
    await analyse(`${opts.concurrency} concurrent`, opts.concurrency, {
      runs: [...concurrentFerry.runs, ...concurrentBare.runs],
      wallMs: concurrentFerry.wallMs,
    }),
  ];
});
const loadAfter = loadavg()[0]!;
await nativeConnection.close();
await connection.close();

// ---- report ----
const p50 = (values: number[]) => summarize(values).p50;
const kindRows = scenarios.flatMap((s) =>
  (['ferry', 'bare'] as const).map((kind) => {
    const k = s.byKind[kind];
    const gap = summarize(k.gaps.map((g) => g.totalMs));
    return { scenario: s.name, kind, k, gap, e2e: summarize(k.clientMs), server: summarize(k.serverMs) };
  }),
);
const json = scenarios.map((s, i) => {
  const [ferry, bare] = [kindRows[2 * i]!, kindRows[2 * i + 1]!];
  return {
    scenario: s.name,
    lanes: s.lanes,
    pipelines: ferry.k.clientMs.length,
    gapMs: { p50: ferry.gap.p50, p99: ferry.gap.p99, max: ferry.gap.max },
    baselineGapMs: { p50: bare.gap.p50, p99: bare.gap.p99, max: bare.gap.max },
    gapP50Ratio: ferry.gap.p50 / bare.gap.p50,
    e2eMs: { p50: ferry.e2e.p50, p99: ferry.e2e.p99 },
    baselineE2eMs: { p50: bare.e2e.p50, p99: bare.e2e.p99 },
    e2eP50Ratio: ferry.e2e.p50 / bare.e2e.p50,
    ferryPipelinesPerSecond: (ferry.k.clientMs.length / s.wallMs) * 1000,
    targetMet: ferry.gap.p50 <= target.p50Ms && ferry.gap.p99 <= target.p99Ms,
  };
});

console.log(
  `\nOrchestration overhead · ${opts.n} pipelines per kind · warm-up ${opts.warmup} · worker bundle built in ${fmt(bundleMs, 0)} ms · task queue ${taskQueue}\n`,
);
console.log(
  `Gap = ActivityTaskCompleted → next ActivityTaskStarted (history event times; the real pipeline's include the hand-over to its rollout child and back), ${stepNames.length - 1} per pipeline. End-to-end = client start() → result().\n`,
);
console.log(
  tableOf(kindRows, [
    ['scenario', (r) => r.scenario],
    ['workflow', (r) => (r.kind === 'ferry' ? 'trainingPipelineWorkflow' : 'bare chain (baseline)')],
    ['runs', (r) => String(r.k.clientMs.length)],
    ['gaps', (r) => String(r.gap.n)],
    ['gap p50 ms', (r) => fmt(r.gap.p50)],
    ['gap p99 ms', (r) => fmt(r.gap.p99)],
    ['gap max ms', (r) => fmt(r.gap.max)],
    ['e2e p50 ms', (r) => fmt(r.e2e.p50)],
    ['e2e p99 ms', (r) => fmt(r.e2e.p99)],
    ['server e2e p50 ms', (r) => fmt(r.server.p50)],
  ]),
);
console.log('\nWhere a gap goes (p50 ms of each segment):\n');
// Hand-overs to and from the rollout child span two histories: they count in the total only.
const segment = (f: (g: Gap) => number) => (r: (typeof kindRows)[number]) =>
  fmt(p50(r.k.gaps.filter((g) => !g.handoff).map(f)));
console.log(
  tableOf(kindRows, [
    ['scenario', (r) => r.scenario],
    ['workflow', (r) => r.kind],
    ['completed→WFT sched', segment((g) => g.toWftScheduled)],
    ['WFT sched→started', segment((g) => g.wftDispatch)],
    ['WFT started→completed', segment((g) => g.wftRun)],
    ['act sched→started', segment((g) => g.activityDispatch)],
    ['gap total', (r) => fmt(r.gap.p50)],
    ['no-op act started→completed', (r) => fmt(p50(r.k.activityMs))],
  ]),
);

const sequentialFerry = scenarios[0]!.byKind.ferry.gaps;
console.log('\nSequential trainingPipelineWorkflow gaps by transition (p50 / p99 ms):\n');
console.log(
  table(
    ['after', 'before', 'p50', 'p99'],
    stepNames.slice(0, -1).map((name, step) => {
      const s = summarize(sequentialFerry.filter((g) => g.step === step).map((g) => g.totalMs));
      return [name, stepNames[step + 1]!, fmt(s.p50), fmt(s.p99)];
    }),
  ),
);
console.log('\nRatios (real pipeline / bare chain, >1 = Ferry slower):\n');
console.log(
  tableOf(json, [
    ['scenario', (j) => j.scenario],
    ['gap p50 ratio', (j) => fmt(j.gapP50Ratio, 2)],
    ['e2e p50 ratio', (j) => fmt(j.e2eP50Ratio, 2)],
    ['Ferry pipelines/s', (j) => fmt(j.ferryPipelinesPerSecond, 2)],
  ]),
);
console.log('\nServer round trips (sequential phase), for scale:\n');
console.log(
  table(
    ['RPC', 'p50 ms', 'p99 ms'],
    [
      ['GetSystemInfo (no persistence)', fmt(rttMs.p50), fmt(rttMs.p99)],
      ['StartWorkflowExecution (one persisted write)', fmt(startRpcMs.p50), fmt(startRpcMs.p99)],
    ],
  ),
);
console.log(`\n1-minute load average: ${fmt(loadBefore, 2)} before, ${fmt(loadAfter, 2)} after (2 cores).`);
for (const j of json) {
  console.log(
    `\nTarget (gap p50 ≤ ${target.p50Ms} ms, p99 ≤ ${target.p99Ms} ms), ${j.scenario}: ${j.targetMet ? 'MET' : 'NOT MET'} (p50 ${fmt(j.gapMs.p50)} ms, p99 ${fmt(j.gapMs.p99)} ms)`,
  );
}
printResult({
  bench: 'orchestration-overhead',
  n: opts.n,
  concurrency: opts.concurrency,
  target,
  targetMet: json.every((j) => j.targetMet),
  scenarios: json,
  server: { getSystemInfoP50Ms: rttMs.p50, startWorkflowP50Ms: startRpcMs.p50 },
  loadAverage: { before: loadBefore, after: loadAfter },
});
