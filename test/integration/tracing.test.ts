// Tracing end to end, in one process with an in-memory exporter: one API-triggered run is one trace
// from the HTTP request through the workflow start, the workflow, its activities and their S3 and
// DuckDB calls.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { loadConfig } from '../../core/config.js';
import { startTracing, type Tracing } from '../../core/telemetry/setup.js';
import { createLogger } from '../../core/logger.js';
import { temporalLogger } from '../../worker/temporal-logger.js';
import { auth, createApiHarness, json, type ApiHarness } from '../helpers/api.js';
import { createHarness, type Harness } from '../helpers/pipeline.js';

const exporter = new InMemorySpanExporter();
const lines: string[] = [];
/** The run the first test started (the second reads its log lines). */
let tracedRunId: string | undefined;
let tracing: Tracing;
let h: Harness;
let api: ApiHarness;

before(async () => {
  // Before any client, worker or app exists, as a process's entry point does it.
  tracing = startTracing({ telemetry: loadConfig().telemetry, serviceName: 'ferry-test', exporter });
  h = await createHarness({
    tracing,
    // The worker process's logging: pino behind the SDK's logger, here into `lines`.
    logger: temporalLogger(createLogger('debug', 'ferry-worker', { write: (line) => void lines.push(line) })),
  });
  api = await createApiHarness(h);
});
after(async () => {
  await api.close();
  await h.close();
  await tracing.shutdown();
});

test('an API-triggered run is one trace: HTTP request → StartWorkflow → RunWorkflow → StartActivity → RunActivity → S3 and DuckDB calls', async () => {
  const spec = h.spec((s) => ({ ...s, training: { ...s.training, epochs: 1, earlyStopping: undefined } }));
  await h.ingestChurn({ rows: 1_500, seed: 3 });
  await api.deps.pipelines.put(spec, 'tracing test');
  exporter.reset();

  const started = await api.app.inject({
    method: 'POST',
    url: `/v1/pipelines/${spec.name}/runs`,
    headers: { ...auth('admin'), traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
    payload: { approval: 'auto', reason: 'tracing test' },
  });
  assert.equal(started.statusCode, 202, started.body);
  const { runId } = json(started) as { runId: string };
  tracedRunId = runId;
  assert.equal((await h.client.workflow.getHandle(runId).result()).outcome, 'promoted');

  const spans = exporter.getFinishedSpans();
  const request = spans.find((s) => s.name === 'POST /v1/pipelines/:pipeline/runs');
  assert.ok(request, `no request span among ${[...new Set(spans.map((s) => s.name))].join(', ')}`);
  // The caller's traceparent is continued, not replaced.
  assert.equal(request.spanContext().traceId, '0af7651916cd43dd8448eb211c80319c');
  assert.equal(request.parentSpanId, 'b7ad6b7169203331');
  assert.equal(request.kind, SpanKind.SERVER);
  const trace = spans.filter((s) => s.spanContext().traceId === request.spanContext().traceId);
  const byId = new Map(trace.map((s) => [s.spanContext().spanId, s]));
  /** The span's ancestors' names, nearest first, up to the request. */
  const ancestry = (s: ReadableSpan): string[] => {
    const names: string[] = [];
    for (
      let p = s.parentSpanId && byId.get(s.parentSpanId);
      p;
      p = p.parentSpanId && byId.get(p.parentSpanId)
    )
      names.push(p.name);
    return names;
  };
  const chainTo = (leaf: RegExp, activity: string) => {
    const found = trace.find((s) => leaf.test(s.name) && ancestry(s)[0] === `RunActivity:${activity}`);
    assert.ok(
      found,
      `no ${leaf} span under RunActivity:${activity} in trace; spans: ${trace.map((s) => s.name).join(', ')}`,
    );
    return [found.name, ...ancestry(found)];
  };
  const upToRequest = [
    'RunActivity:ACTIVITY',
    'StartActivity:ACTIVITY',
    'RunWorkflow:trainingPipelineWorkflow',
    'StartWorkflow:trainingPipelineWorkflow',
    'POST /v1/pipelines/:pipeline/runs',
  ];
  const expected = (activity: string) => upToRequest.map((n) => n.replace('ACTIVITY', activity));
  // validateDataset reads the snapshot from S3 and checks it with DuckDB; registerModel writes to S3.
  const s3 = chainTo(/^S3 GetObject$/, 'validateDataset');
  assert.deepEqual(s3.slice(1), expected('validateDataset'));
  const duck = chainTo(/^DuckDB (query|run|stream)$/, 'validateDataset');
  assert.deepEqual(duck.slice(1), expected('validateDataset'));
  const put = chainTo(/^S3 PutObject$/, 'registerModel');
  assert.deepEqual(put.slice(1), expected('registerModel'));
  // Every stage of the run is in the same trace.
  for (const activity of ['validateDataset', 'trainModel', 'evaluateModel', 'registerModel', 'recordRun'])
    assert.ok(
      trace.some((s) => s.name === `RunActivity:${activity}`),
      `RunActivity:${activity} is not in the request's trace`,
    );
  const s3Span = trace.find((s) => s.name === 'S3 GetObject')!;
  assert.equal(s3Span.attributes['aws.s3.bucket'], h.config.s3.bucket);
  assert.equal(s3Span.kind, SpanKind.CLIENT);
});

test("the worker's log lines are one JSON object each; an activity's carry its workflow id, run id, activity type and the trace id", async () => {
  const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.ok(events.length > 0, 'the run above logged nothing');
  const spans = exporter.getFinishedSpans();
  const run = spans.find((s) => s.name === 'RunActivity:trainModel');
  assert.ok(run, 'the run above traced trainModel');
  const trained = events.filter((e) => e.activityType === 'trainModel' && e.msg === 'model trained');
  assert.equal(trained.length, 1, JSON.stringify(events.filter((e) => e.activityType === 'trainModel')));
  const line = trained[0]!;
  assert.deepEqual(
    {
      name: line.name,
      workflowType: line.workflowType,
      hasRunId: typeof line.workflowRunId === 'string' && line.workflowRunId !== '',
      trace_id: line.trace_id,
    },
    {
      name: 'ferry-worker',
      workflowType: 'trainingPipelineWorkflow',
      hasRunId: true,
      trace_id: run.spanContext().traceId,
    },
  );
  assert.equal(line.workflowId, tracedRunId);
  assert.equal(line.epochs, 1);
  // The SDK's own activity lines (debug) carry the same context.
  assert.ok(
    events.some(
      (e) =>
        e.msg === 'Activity completed' && e.activityType === 'trainModel' && e.workflowId === tracedRunId,
    ),
  );
});
