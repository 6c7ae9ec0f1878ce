// Approvals inbox: every run waiting for a decision the caller may give (GET /v1/approvals, pushed
// again by the runs stream's `approvals` event), each with what the decision needs on one screen.
import { useState } from 'preact/hooks';
import { api, must } from '../api.ts';
import { Decide } from '../components/Decide.tsx';
import { Evaluation } from '../components/Evaluation.tsx';
import { ErrorNote, Loading } from '../components/Layout.tsx';
import { duration, shortSha, when } from '../format.ts';
import { useAsync, useEventStream, useNow } from '../hooks.ts';
import type { RunView } from '../runs-data.ts';
import { can } from '../session.ts';

export function Approvals() {
  const allowed = can('approver');
  const list = useAsync(async () => (allowed ? must(await api.GET('/v1/approvals')).runs : []), [allowed]);
  useEventStream(allowed ? '/v1/runs/stream' : null, {
    approvals: (data) => list.set((data as { runs: RunView[] }).runs),
  });
  const now = useNow();
  // A decided run leaves the inbox at once (the stream pushes the new list): say what was decided.
  const [decided, setDecided] = useState<string[]>([]);
  if (!allowed)
    return (
      <section>
        <h1>Approvals</h1>
        <p>Deciding on candidates needs the approver role; you are signed in with a role that cannot.</p>
      </section>
    );
  return (
    <section>
      <h1>Approvals</h1>
      <ErrorNote error={list.error} />
      <div role="status" class="decided">
        {decided.map((d) => (
          <p class="ok">✓ {d}</p>
        ))}
      </div>
      {!list.data ? (
        <Loading what="approvals" />
      ) : list.data.length === 0 ? (
        <p role="status">Nothing waits for your decision.</p>
      ) : (
        list.data.map((r) => (
          <article class="panel approval" key={r.runId} aria-labelledby={`h-${r.runId}`}>
            <h2 id={`h-${r.runId}`}>
              {r.model} v{r.candidateVersion ?? '?'} — <a href={`/ui/runs/${r.runId}`}>{r.runId}</a>
            </h2>
            <dl class="facts">
              <dt>Triggered</dt>
              <dd>
                {r.trigger ?? '—'} by {r.triggeredBy ?? '—'} at {when(r.startedAt)}
              </dd>
              <dt>Deadline</dt>
              <dd>
                {r.approvalDeadline
                  ? `${when(r.approvalDeadline)} (${duration(Date.parse(r.approvalDeadline) - now)} left)`
                  : 'none'}
              </dd>
              <dt>Data snapshot</dt>
              <dd>
                <code>{shortSha(r.datasetSha)}</code>
                {r.validation ? `, ${r.validation.rowCount} rows` : ''}
              </dd>
              <dt>Validation</dt>
              <dd>
                {r.validation
                  ? `${r.validation.passed ? '✓ passed' : '✕ failed'}, ${r.validation.errors} errors`
                  : '—'}
                {r.validation?.warnings.length ? (
                  <ul>
                    {r.validation.warnings.map((w) => (
                      <li>! {w}</li>
                    ))}
                  </ul>
                ) : null}
              </dd>
            </dl>
            <Evaluation run={r} />
            <Decide
              runId={r.runId}
              onDone={(said) => {
                setDecided((all) => [...all, said]);
                list.reload();
              }}
            />
          </article>
        ))
      )}
    </section>
  );
}
