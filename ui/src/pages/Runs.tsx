// Runs: the live list (the first page pushed by GET /v1/runs/stream), filters (the API's where it
// has them, the rest over the loaded runs), 50 rows a page, and "start a run" for operators.
import { useLocation } from 'preact-iso';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, must, problemText } from '../api.ts';
import { ErrorNote, Loading, StatusBadge } from '../components/Layout.tsx';
import { duration, elapsed, num, when } from '../format.ts';
import { useAsync, useEventStream, useNow } from '../hooks.ts';
import {
  loadRuns,
  primaryMetric,
  runStatuses,
  runView,
  stages,
  type ListQuery,
  type RunSummary,
  type RunView,
} from '../runs-data.ts';
import { can } from '../session.ts';

const rowsPerPage = 50;
const maxRuns = 1000;

export function Runs() {
  const [pipeline, setPipeline] = useState('');
  const [status, setStatus] = useState('');
  const [stage, setStage] = useState('');
  const [trigger, setTrigger] = useState('');
  const [who, setWho] = useState('');
  const [candidate, setCandidate] = useState('');
  const [minMetric, setMinMetric] = useState('');
  const [minDuration, setMinDuration] = useState('');
  const [page, setPage] = useState(0);
  const [views, setViews] = useState<Record<string, RunView>>({});
  const now = useNow(5000);

  const query: ListQuery = {
    ...(pipeline ? { pipeline } : {}),
    ...(status ? { status: status as ListQuery['status'] } : {}),
    ...(stage ? { stage: stage as ListQuery['stage'] } : {}),
  };
  const pipelines = useAsync(async () => must(await api.GET('/v1/pipelines')).pipelines, []);
  const list = useAsync(() => loadRuns(query, maxRuns), [pipeline, status, stage]);
  useEffect(() => setPage(0), [pipeline, status, stage, trigger, who, candidate, minMetric, minDuration]);

  const streamQuery = new URLSearchParams(
    Object.entries({ pipeline, status }).filter(([, v]) => v) as [string, string][],
  ).toString();
  const live = useEventStream(`/v1/runs/stream${streamQuery ? `?${streamQuery}` : ''}`, {
    runs: (data) => {
      const first = (data as { runs: RunSummary[] }).runs.filter((r) => !stage || r.stage === stage);
      const current = list.data;
      if (!current) return;
      const fresh = new Map(first.map((r) => [r.runId, r]));
      const rest = current.runs.filter((r) => !fresh.has(r.runId));
      list.set({ runs: [...first, ...rest].slice(0, maxRuns), more: current.more });
    },
  });

  const runs = list.data?.runs ?? [];
  const triggers = useMemo(() => [...new Set(runs.map((r) => r.trigger).filter(Boolean))].sort(), [runs]);
  // Filters over the run views apply to the rows whose view is loaded; the rest wait for theirs.
  const needsView = !!(who || candidate || minMetric);
  const filtered = runs.filter((r) => {
    if (trigger && r.trigger !== trigger) return false;
    if (minDuration && (elapsed(r.startedAt, r.closedAt, now) ?? 0) < Number(minDuration) * 1000)
      return false;
    if (!needsView) return true;
    const v = views[r.runId];
    if (!v) return false;
    if (who && !(v.triggeredBy ?? '').toLowerCase().includes(who.toLowerCase())) return false;
    if (candidate && String(v.candidateVersion ?? '') !== candidate.trim()) return false;
    const metric = primaryMetric(v);
    if (minMetric && (!metric || metric.value < Number(minMetric))) return false;
    return true;
  });
  const pages = Math.max(1, Math.ceil(filtered.length / rowsPerPage));
  const shown = filtered.slice(page * rowsPerPage, (page + 1) * rowsPerPage);
  // The views of the rows shown (or of every loaded run while a view filter is set), a few at a time.
  const wanted = (needsView ? runs : shown).filter((r) => !views[r.runId] || r.status === 'RUNNING');
  const wantedKey = wanted.map((r) => `${r.runId}:${r.status}:${r.stage}`).join(',');
  useEffect(() => {
    let live = true;
    const queue = [...wanted];
    const worker = async () => {
      for (let r = queue.shift(); r && live; r = queue.shift()) {
        const v = await runView(r.runId, r.status).catch(() => undefined);
        if (v && live) setViews((all) => ({ ...all, [v.runId]: v }));
      }
    };
    void Promise.all([worker(), worker(), worker(), worker()]);
    return () => {
      live = false;
    };
  }, [wantedKey]);

  return (
    <section>
      <div class="title-row">
        <h1>Runs</h1>
        <span class={`live live-${live}`} role="status">
          {live === 'live' ? '● live' : live === 'connecting' ? '○ connecting' : '○ not live'}
        </span>
      </div>
      {can('operator') && <StartRun pipelines={pipelines.data?.map((p) => p.name) ?? []} />}
      <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter runs">
        <label>
          Pipeline
          <select value={pipeline} onChange={(e) => setPipeline(e.currentTarget.value)}>
            <option value="">any</option>
            {pipelines.data?.map((p) => (
              <option value={p.name}>{p.name}</option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
            <option value="">any</option>
            {runStatuses.map((s) => (
              <option value={s}>{s.toLowerCase()}</option>
            ))}
          </select>
        </label>
        <label>
          Stage
          <select value={stage} onChange={(e) => setStage(e.currentTarget.value)}>
            <option value="">any</option>
            {stages.map((s) => (
              <option value={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Trigger
          <select value={trigger} onChange={(e) => setTrigger(e.currentTarget.value)}>
            <option value="">any</option>
            {triggers.map((t) => (
              <option value={t!}>{t}</option>
            ))}
          </select>
        </label>
        <label>
          Triggered by
          <input value={who} onInput={(e) => setWho(e.currentTarget.value)} placeholder="name" />
        </label>
        <label>
          Candidate version
          <input
            value={candidate}
            inputMode="numeric"
            onInput={(e) => setCandidate(e.currentTarget.value)}
            size={6}
          />
        </label>
        <label>
          Primary metric ≥
          <input
            value={minMetric}
            inputMode="decimal"
            onInput={(e) => setMinMetric(e.currentTarget.value)}
            size={6}
          />
        </label>
        <label>
          Longer than (s)
          <input
            value={minDuration}
            inputMode="numeric"
            onInput={(e) => setMinDuration(e.currentTarget.value)}
            size={6}
          />
        </label>
      </form>
      <ErrorNote error={list.error} />
      {list.loading && !list.data ? (
        <Loading what="runs" />
      ) : (
        <>
          <p class="muted" role="status" data-testid="runs-count">
            {filtered.length} of {runs.length} loaded runs{list.data?.more ? ` (the newest ${maxRuns})` : ''}
            {needsView ? ' — filters on who, candidate and metric apply as run details load' : ''}
          </p>
          <div class="table-wrap">
            <table class="runs">
              <caption class="sr-only">Runs, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Run</th>
                  <th scope="col">Pipeline</th>
                  <th scope="col">Trigger</th>
                  <th scope="col">Who</th>
                  <th scope="col">Stage</th>
                  <th scope="col">Status</th>
                  <th scope="col">Started</th>
                  <th scope="col">Duration</th>
                  <th scope="col">Candidate</th>
                  <th scope="col">Primary metric</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((r) => {
                  const v = views[r.runId];
                  const metric = primaryMetric(v);
                  return (
                    <tr key={r.runId}>
                      <td class="run-id">
                        <a href={`/ui/runs/${encodeURIComponent(r.runId)}`}>{r.runId}</a>
                      </td>
                      <td>{r.pipeline ?? '—'}</td>
                      <td>{r.trigger ?? '—'}</td>
                      <td>{v?.triggeredBy ?? '…'}</td>
                      <td data-testid="stage">{r.stage ?? '—'}</td>
                      <td>
                        <StatusBadge status={r.status} />
                      </td>
                      <td>{when(r.startedAt)}</td>
                      <td>{duration(elapsed(r.startedAt, r.closedAt, now))}</td>
                      <td>{v ? (v.candidateVersion ?? '—') : '…'}</td>
                      <td>{metric ? `${metric.name} ${num(metric.value)}` : v ? '—' : '…'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <nav class="pager" aria-label="Pages of runs">
            <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)}>
              Previous
            </button>
            <span>
              Page {page + 1} of {pages}
            </span>
            <button type="button" disabled={page + 1 >= pages} onClick={() => setPage(page + 1)}>
              Next
            </button>
          </nav>
        </>
      )}
    </section>
  );
}

function StartRun(props: { pipelines: string[] }) {
  const { route } = useLocation();
  const [pipeline, setPipeline] = useState('');
  const [reason, setReason] = useState('');
  const [approval, setApproval] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const chosen = pipeline || props.pipelines[0] || '';
  const start = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    const body = {
      ...(reason.trim() ? { reason: reason.trim() } : {}),
      ...(approval ? { approval: approval as 'manual' | 'auto' | 'auto-if-better' } : {}),
    };
    const r = await api.POST('/v1/pipelines/{pipeline}/runs', {
      params: { path: { pipeline: chosen } },
      body,
    });
    setBusy(false);
    if (r.data) route(`/ui/runs/${encodeURIComponent(r.data.runId)}`);
    else setError(problemText(r.error));
  };
  return (
    <details class="panel">
      <summary>Start a run</summary>
      <form class="inline-form" onSubmit={start} aria-label="Start a run">
        <label>
          Pipeline
          <select value={chosen} onChange={(e) => setPipeline(e.currentTarget.value)} required>
            {props.pipelines.map((p) => (
              <option value={p}>{p}</option>
            ))}
          </select>
        </label>
        <label>
          Reason
          <input value={reason} maxLength={500} onInput={(e) => setReason(e.currentTarget.value)} />
        </label>
        <label>
          Approval
          <select value={approval} onChange={(e) => setApproval(e.currentTarget.value)}>
            <option value="">as the spec says</option>
            <option value="manual">manual</option>
            <option value="auto-if-better">auto if better</option>
            <option value="auto">auto</option>
          </select>
        </label>
        <button type="submit" disabled={busy || !chosen}>
          {busy ? 'Starting…' : 'Start run'}
        </button>
        {error && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
      </form>
    </details>
  );
}
