// Server-sent events against the real stack: a run's stream follows a real run from its start to its
// end (stages advancing, every epoch, then `end` and the server closes), and the list stream shows
// a run as soon as it starts; cookie sessions open them as a browser's EventSource would.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventSourceParserStream, type EventSourceMessage } from 'eventsource-parser/stream';
import type { PipelineSpec } from '../../core/pipeline-spec/schema.js';
import { assertProblem, auth, createApiHarness, json, tokens, type ApiHarness } from '../helpers/api.js';
import { createHarness, type Harness } from '../helpers/pipeline.js';

let h: Harness;
let api: ApiHarness;
let spec: PipelineSpec;
let base: string;

before(async () => {
  h = await createHarness();
  api = await createApiHarness(h);
  spec = h.spec((s) => ({ ...s, training: { ...s.training, epochs: 3, earlyStopping: undefined } }));
  await h.ingestChurn({ rows: 3000, seed: 7 });
  const put = await api.app.inject({
    method: 'PUT',
    url: `/v1/pipelines/${spec.name}`,
    headers: auth('admin'),
    payload: spec,
  });
  assert.equal(put.statusCode, 201, put.body);
  await api.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(api.app.server.address() as { port: number }).port}`;
});
after(async () => {
  await api.close();
  await h.close();
});

interface Stream {
  response: Response;
  /** The next event named one of `names` (others are kept for later calls), within `timeoutMs`. */
  next(names: string[], timeoutMs?: number): Promise<EventSourceMessage | undefined>;
  close(): void;
}

/** Opens an event stream; `next` answers undefined once the server has closed it. */
async function openStream(path: string, headers: Record<string, string>): Promise<Stream> {
  const abort = new AbortController();
  const response = await fetch(`${base}${path}`, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: abort.signal,
  });
  assert.equal(response.status, 200, await (response.status === 200 ? '' : response.text()));
  const reader = response
    .body!.pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream())
    .getReader();
  return {
    response,
    async next(names, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no ${names.join('/')} event within ${timeoutMs} ms`);
        let timer: NodeJS.Timeout | undefined;
        const read = await Promise.race([
          reader.read(),
          new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), left))),
        ]);
        clearTimeout(timer);
        if (read === 'timeout') throw new Error(`no ${names.join('/')} event within ${timeoutMs} ms`);
        if (read.done) return undefined;
        if (names.includes(read.value.event ?? 'message')) return read.value;
      }
    },
    close: () => abort.abort(),
  };
}

const stages = ['validate', 'train', 'evaluate', 'register', 'approval', 'rollout', 'done'];

test("a run's stream sends its view as the stage advances, every epoch, then end, and closes", async () => {
  const list = await openStream(`/v1/runs/stream?pipeline=${spec.name}`, auth('approver'));
  const run = await (async () => {
    assert.match(String(list.response.headers.get('content-type')), /^text\/event-stream/);
    assert.equal(list.response.headers.get('cache-control'), 'no-cache, no-transform');
    const first = JSON.parse((await list.next(['runs']))!.data) as { runs: { runId: string }[] };
    assert.deepEqual(first.runs, [], 'no run of this pipeline yet');
    const inbox = JSON.parse((await list.next(['approvals']))!.data) as { runs: unknown[] };
    assert.deepEqual(inbox.runs, []);

    const started = await api.app.inject({
      method: 'POST',
      url: `/v1/pipelines/${spec.name}/runs`,
      // A manual gate: the run waits at approval until the test approves it, so the stream must show
      // the stages before, the wait, and what follows however fast the machine runs the rest.
      headers: auth('admin'),
      payload: { approval: 'manual', reason: 'stream test' },
    });
    assert.equal(started.statusCode, 202, started.body);
    const { runId } = json(started) as { runId: string };
    // The list stream shows the new run without being asked.
    const updated = JSON.parse((await list.next(['runs'], 15_000))!.data) as {
      runs: { runId: string; status: string }[];
    };
    assert.deepEqual(
      updated.runs.map((r) => r.runId),
      [runId],
    );
    return runId;
  })().finally(() => list.close());

  // A browser's way in: the session cookie (EventSource sends cookies, not headers).
  const signIn = await api.app.inject({
    method: 'POST',
    url: '/v1/session',
    payload: { token: tokens.viewer.secret },
  });
  const cookie = signIn.cookies.find((c) => c.name === 'ferry_session')!.value;
  const stream = await openStream(`/v1/runs/${run}/stream`, { cookie: `ferry_session=${cookie}` });
  const views: { stage: string | null; status: string; runId: string }[] = [];
  const epochs: Record<string, unknown>[] = [];
  let end: Record<string, unknown> | undefined;
  for (;;) {
    const e = await stream.next(['run', 'epoch', 'end'], 120_000);
    if (!e) break;
    const data = JSON.parse(e.data) as Record<string, unknown>;
    if (e.event === 'run') {
      const view = data as (typeof views)[number];
      if (view.stage === 'approval' && !views.some((v) => v.stage === 'approval')) {
        const approved = await api.app.inject({
          method: 'POST',
          url: `/v1/runs/${run}/approve`,
          headers: auth('approver'),
          payload: { comment: 'seen on the stream' },
        });
        assert.equal(approved.statusCode, 200, approved.body);
      }
      views.push(view);
    }
    if (e.event === 'epoch') epochs.push(data);
    if (e.event === 'end') {
      assert.equal(end, undefined, 'one end event');
      end = data;
    }
  }
  assert.equal(views[0]?.runId, run, 'the first event is the run');
  const seen = views.map((v) => stages.indexOf(v.stage ?? ''));
  assert.ok(
    seen.every((s, i) => s >= 0 && (i === 0 || s >= seen[i - 1]!)),
    `stages only advance: ${views.map((v) => v.stage).join(' → ')}`,
  );
  // The wait at approval is always seen, and so is a stage after it; the first view may already be past
  // validation and training on a fast machine, so what comes before is not counted on.
  assert.ok(
    seen.includes(stages.indexOf('approval')) && seen.at(-1)! > stages.indexOf('approval'),
    `the approval wait and what follows seen live: ${views.map((v) => v.stage).join(' → ')}`,
  );
  assert.equal(views.at(-1)!.status, 'COMPLETED');
  assert.deepEqual(end, { runId: run, status: 'COMPLETED' });
  // Every epoch, as the epochs route answers them after the run.
  const after = json(await api.app.inject({ url: `/v1/runs/${run}/epochs`, headers: auth('viewer') }));
  assert.equal(epochs.length, 3);
  assert.deepEqual(epochs, after.epochs);
  // The final view is the run's view.
  const view = json(await api.app.inject({ url: `/v1/runs/${run}`, headers: auth('viewer') }));
  assert.deepEqual(views.at(-1), view);

  // A finished run's stream says so at once: its view, its epochs, end.
  const again = await openStream(`/v1/runs/${run}/stream`, auth('viewer'));
  const names: string[] = [];
  for (let e = await again.next(['run', 'epoch', 'end']); e; e = await again.next(['run', 'epoch', 'end']))
    names.push(e.event!);
  assert.deepEqual(names, ['run', 'epoch', 'epoch', 'epoch', 'end']);
});

test('a stream of an unknown run is a 404 problem, and without credentials a 401', async () => {
  const missing = await api.app.inject({
    url: '/v1/runs/train-nope-20261204T000000Z-00000000/stream',
    headers: auth('viewer'),
  });
  assertProblem(missing, 404, 'run-not-found');
  assertProblem(await api.app.inject({ url: '/v1/runs/stream' }), 401, 'unauthenticated');
  // A viewer's list stream has no approvals event (the inbox is for approvers).
  const list = await openStream(`/v1/runs/stream?pipeline=nothing-${h.id}`, auth('viewer'));
  try {
    assert.ok(await list.next(['runs']));
    await assert.rejects(list.next(['approvals'], 2500), /no approvals event/);
  } finally {
    list.close();
  }
});
