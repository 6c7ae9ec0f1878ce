// Live updates as server-sent events: a run (its view on every change, its epochs, its end) and the
// runs list (with the caller's approvals inbox for approvers). Each distinct stream key is polled at
// most once per interval, shared by every subscriber (api/shared-polls.ts).
import { Type } from 'typebox';
import { caller, roleRank } from '../plugins/auth.js';
import { openEventStream, type EventStream } from '../event-stream.js';
import { RunParams, type TypedApp } from '../schemas.js';
import type { ApprovalsService } from '../services/approvals.js';
import type { MetricsService } from '../services/metrics.js';
import type { RunsService, RunView } from '../services/runs.js';
import type { SharedPolls } from '../shared-polls.js';
import { defaultPageSize, ListQuery } from './runs.js';

type Epoch = Awaited<ReturnType<MetricsService['runEpochs']>>['epochs'][number];

const StreamQuery = Type.Omit(ListQuery, ['cursor']);

const eventStream = (description: string) => ({
  200: { description, content: { 'text/event-stream': { schema: Type.String() } } },
});

export interface StreamDeps {
  runs: RunsService;
  metrics: MetricsService;
  approvals: ApprovalsService;
  polls: SharedPolls;
  heartbeatMs: number;
}

/** A run and its epochs as one polled value: epochs are read while it trains (and once after). */
function runPoller(runId: string, d: StreamDeps): () => Promise<{ run: RunView; epochs: Epoch[] }> {
  let epochs: Epoch[] | undefined;
  let lastStage: string | null = null;
  return async () => {
    const run = await d.runs.get(runId);
    if (epochs === undefined || run.stage === 'train' || lastStage === 'train')
      epochs = (await d.metrics.runEpochs(runId)).epochs;
    lastStage = run.stage;
    return { run, epochs };
  };
}

/** Ties a subscription's end to the stream's. */
function until(stream: EventStream, unsubscribe: () => void): void {
  stream.onClose(unsubscribe);
}

export function streamRoutes(app: TypedApp, d: StreamDeps): void {
  const open = (req: Parameters<typeof openEventStream>[0], reply: Parameters<typeof openEventStream>[1]) =>
    openEventStream(req, reply, { heartbeatMs: d.heartbeatMs, retryMs: 3000 });

  app.get(
    '/v1/runs/:runId/stream',
    {
      config: { minRole: 'viewer' },
      exposeHeadRoute: false,
      schema: {
        tags: ['runs'],
        summary: "A run's live updates (server-sent events): `run`, `epoch`, then `end`",
        description:
          'Events: `run` (the body of GET /v1/runs/{runId}) on connect and on every change; `epoch` (one row of GET /v1/runs/{runId}/epochs) for each epoch, those already trained first; `end` ({runId, status}) when the run has finished, after which the server closes the stream. A comment line every 15 s keeps it open.',
        params: RunParams,
        response: eventStream('text/event-stream of run, epoch and end events'),
      },
    },
    async (req, reply) => {
      const { runId } = req.params;
      const sentEpochs = new Set<string>();
      let sentRun = '';
      // Set once the stream opens: a change the poller sees before that is delivered with the first value.
      const to: { stream?: EventStream } = {};
      const deliver = (v: { run: RunView; epochs: Epoch[] }) => {
        const { stream } = to;
        if (!stream) return;
        const json = JSON.stringify(v.run);
        if (json !== sentRun) stream.send('run', v.run);
        sentRun = json;
        for (const e of v.epochs) {
          const key = `${e.attempt}:${e.epoch}`;
          if (sentEpochs.has(key)) continue;
          sentEpochs.add(key);
          stream.send('epoch', e);
        }
        if (v.run.status !== 'RUNNING') {
          stream.send('end', { runId, status: v.run.status });
          stream.close();
        }
      };
      // The first value is read before the stream opens, so an unknown run is a 404 problem, not an empty stream.
      const sub = await d.polls.subscribe(`run:${runId}`, runPoller(runId, d), deliver);
      to.stream = open(req, reply);
      until(to.stream, sub.unsubscribe);
      deliver(sub.value);
    },
  );

  app.get(
    '/v1/runs/stream',
    {
      config: { minRole: 'viewer' },
      exposeHeadRoute: false,
      schema: {
        tags: ['runs'],
        summary: 'The runs list live (server-sent events): `runs`, and `approvals` for approvers',
        description:
          'Events: `runs` (the body of GET /v1/runs with the same query, first page) on connect and whenever it changes; for a caller with the approver role or higher, `approvals` (the body of GET /v1/approvals for the same pipeline and model) on connect and whenever it changes. A comment line every 15 s keeps it open.',
        querystring: StreamQuery,
        response: eventStream('text/event-stream of runs and approvals events'),
      },
    },
    async (req, reply) => {
      const query = { ...req.query, pageSize: req.query.pageSize ?? defaultPageSize };
      const who = caller(req);
      const key = JSON.stringify(Object.entries(query).sort(([a], [b]) => a.localeCompare(b)));
      const to: { stream?: EventStream } = {};
      const sent = new Map<string, string>();
      const sender = (event: string) => (value: unknown) => {
        const json = JSON.stringify(value);
        if (!to.stream || sent.get(event) === json) return;
        sent.set(event, json);
        to.stream.send(event, value);
      };
      const runs = await d.polls.subscribe(`runs:${key}`, () => d.runs.list(query), sender('runs'));
      const inbox =
        roleRank[who.role] >= roleRank.approver
          ? await d.polls
              .subscribe(
                // The inbox depends on who asks (four-eyes): one key per identity.
                `approvals:${who.name}:${query.pipeline ?? ''}:${query.model ?? ''}`,
                () =>
                  d.approvals.list(who, {
                    ...(query.pipeline ? { pipeline: query.pipeline } : {}),
                    ...(query.model ? { model: query.model } : {}),
                  }),
                sender('approvals'),
              )
              .catch((err: unknown) => {
                runs.unsubscribe();
                throw err;
              })
          : undefined;
      const stream = (to.stream = open(req, reply));
      until(stream, runs.unsubscribe);
      if (inbox) until(stream, inbox.unsubscribe);
      sender('runs')(runs.value);
      if (inbox) sender('approvals')(inbox.value);
    },
  );
}
