// Rollouts: every run in its rollout stage, each live through its run stream.
import { api, must } from '../api.ts';
import { ErrorNote, Loading } from '../components/Layout.tsx';
import { RolloutPanel } from '../components/Rollout.tsx';
import { useAsync, useEventStream } from '../hooks.ts';
import type { RunSummary, RunView } from '../runs-data.ts';

export function Rollouts() {
  const list = useAsync(
    async () =>
      must(
        await api.GET('/v1/runs', {
          params: { query: { stage: 'rollout', status: 'RUNNING', pageSize: 50 } },
        }),
      ).runs,
    [],
  );
  useEventStream('/v1/runs/stream?status=RUNNING', {
    runs: (data) => {
      const now = (data as { runs: RunSummary[] }).runs.filter((r) => r.stage === 'rollout');
      if (now.map((r) => r.runId).join() !== list.data?.map((r) => r.runId).join()) list.set(now);
    },
  });
  return (
    <section>
      <h1>Rollouts</h1>
      <ErrorNote error={list.error} />
      {!list.data ? (
        <Loading what="rollouts" />
      ) : list.data.length === 0 ? (
        <p role="status">No rollout is in progress.</p>
      ) : (
        list.data.map((r) => <LiveRollout runId={r.runId} key={r.runId} />)
      )}
    </section>
  );
}

function LiveRollout(props: { runId: string }) {
  const run = useAsync(
    async () => must(await api.GET('/v1/runs/{runId}', { params: { path: { runId: props.runId } } })),
    [props.runId],
  );
  useEventStream(`/v1/runs/${encodeURIComponent(props.runId)}/stream`, {
    run: (data) => run.set(data as RunView),
  });
  if (!run.data) return <Loading what={props.runId} />;
  const r = run.data;
  return (
    <article class="panel" aria-labelledby={`h-${r.runId}`}>
      <h2 id={`h-${r.runId}`}>
        {r.model} v{r.candidateVersion ?? '?'} — <a href={`/ui/runs/${r.runId}`}>{r.runId}</a>
      </h2>
      <RolloutPanel run={r} onChange={run.reload} />
    </article>
  );
}
