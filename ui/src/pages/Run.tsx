// One run: live (GET /v1/runs/{runId}/stream pushes the run and each epoch), its stage timeline, the
// validation report (failed first, drift per feature), training curves, the evaluation against the
// champion, the decision, the rollout, the model card and links to Temporal and the artifacts.
import { useMemo, useState } from 'preact/hooks';
import { api, must, problemText } from '../api.ts';
import { Chart } from '../components/Chart.tsx';
import { Decide } from '../components/Decide.tsx';
import { Evaluation } from '../components/Evaluation.tsx';
import { ErrorNote, Loading, StatusBadge } from '../components/Layout.tsx';
import { RolloutPanel } from '../components/Rollout.tsx';
import { duration, num, shortSha, when } from '../format.ts';
import { useAsync, useEventStream, useNow } from '../hooks.ts';
import type { paths } from '../../../core/contracts/http-api.ts';
import type { RunView } from '../runs-data.ts';
import { can } from '../session.ts';

type Epoch =
  paths['/v1/runs/{runId}/epochs']['get']['responses'][200]['content']['application/json']['epochs'][number];
const pipelineStages = ['validate', 'train', 'evaluate', 'register', 'approval', 'rollout'];

export function Run(props: { params: { runId: string } }) {
  const runId = props.params.runId;
  const run = useAsync(
    async () => must(await api.GET('/v1/runs/{runId}', { params: { path: { runId } } })),
    [runId],
  );
  const key = run.data ? `${run.data.status}:${run.data.stage}:${run.data.decision?.at ?? ''}` : '';
  const epochs = useAsync(
    async () => must(await api.GET('/v1/runs/{runId}/epochs', { params: { path: { runId } } })).epochs,
    [runId, key],
  );
  const stages = useAsync(
    async () => must(await api.GET('/v1/runs/{runId}/stages', { params: { path: { runId } } })).stages,
    [runId, key],
  );
  const live = useEventStream(`/v1/runs/${encodeURIComponent(runId)}/stream`, {
    run: (data) => run.set(data as RunView),
    epoch: (e) => epochs.set([...(epochs.data ?? []), e as Epoch]),
    end: () => (run.reload(), epochs.reload()),
  });
  if (run.error) return <ErrorNote error={run.error} />;
  if (!run.data) return <Loading what={`run ${runId}`} />;
  const r = run.data;
  return (
    <section>
      <div class="title-row">
        <h1>
          Run <code>{r.runId}</code>
        </h1>
        {r.status === 'RUNNING' && (
          <span class={`live live-${live}`} role="status">
            {live === 'live' ? '● live' : live === 'connecting' ? '○ connecting' : '○ not live'}
          </span>
        )}
      </div>
      <dl class="facts">
        <dt>Status</dt>
        <dd>
          <StatusBadge status={r.status} />
        </dd>
        <dt>Stage</dt>
        <dd data-testid="run-stage">{r.stage ?? '—'}</dd>
        <dt>Pipeline</dt>
        <dd>{r.pipeline ? <a href={`/ui/pipelines/${r.pipeline}`}>{r.pipeline}</a> : '—'}</dd>
        <dt>Model</dt>
        <dd>{r.model ? <a href={`/ui/models/${r.model}`}>{r.model}</a> : '—'}</dd>
        <dt>Trigger</dt>
        <dd>
          {r.trigger ?? '—'} by {r.triggeredBy ?? '—'}
        </dd>
        <dt>Candidate</dt>
        <dd>{r.candidateVersion !== null ? `v${r.candidateVersion}` : '—'}</dd>
        <dt>Dataset snapshot</dt>
        <dd>
          <code>{shortSha(r.datasetSha)}</code>
        </dd>
        <dt>Started</dt>
        <dd>{when(r.startedAt)}</dd>
        <dt>Outcome</dt>
        <dd>{r.outcome ?? r.failure ?? (r.waitingFor ? `waiting for ${r.waitingFor}` : '—')}</dd>
        <dt>Links</dt>
        <dd>
          <a href={r.links.temporalUi} target="_blank" rel="noreferrer">
            Temporal UI
          </a>{' '}
          · <a href={r.links.self}>API resource</a>
        </dd>
      </dl>
      {r.status === 'RUNNING' && can('operator') && <Cancel runId={r.runId} />}
      <h2>Stages</h2>
      <StageTimeline run={r} stages={stages.data} />
      {r.status === 'RUNNING' && r.stage === 'approval' && !r.decision && (
        <div class="panel">
          <h2>Decision</h2>
          <p>Waiting for approval{r.approvalDeadline ? `, deadline ${when(r.approvalDeadline)}` : ''}.</p>
          <Decide runId={r.runId} onDone={() => run.reload()} />
        </div>
      )}
      {r.decision && (
        <p>
          <strong>{r.decision.decision === 'approve' ? '✓ Approved' : '✕ Rejected'}</strong> by{' '}
          {r.decision.by} at {when(r.decision.at)} via {r.decision.via}: “{r.decision.comment}”
        </p>
      )}
      <h2>Validation</h2>
      <Validation runId={r.runId} summary={r.validation} refresh={key} />
      <h2>Training curves</h2>
      <Curves epochs={epochs.data ?? []} />
      <h2>Evaluation</h2>
      <Evaluation run={r} refresh={key} />
      {r.rollout && (
        <>
          <h2>Rollout</h2>
          <RolloutPanel run={r} onChange={run.reload} />
        </>
      )}
      {r.model && r.candidateVersion !== null && <Candidate model={r.model} version={r.candidateVersion} />}
    </section>
  );
}

function Cancel(props: { runId: string }) {
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  return (
    <p>
      <button
        type="button"
        disabled={sent}
        onClick={async () => {
          if (!confirm('Cancel this run?')) return;
          const r = await api.POST('/v1/runs/{runId}/cancel', { params: { path: { runId: props.runId } } });
          if (r.data) setSent(true);
          else setError(problemText(r.error));
        }}
      >
        {sent ? 'Cancel requested' : 'Cancel run'}
      </button>
      {error && (
        <span role="alert" class="error">
          {' '}
          {error}
        </span>
      )}
    </p>
  );
}

type Stage =
  paths['/v1/runs/{runId}/stages']['get']['responses'][200]['content']['application/json']['stages'][number];

function StageTimeline(props: { run: RunView; stages: Stage[] | undefined }) {
  const now = useNow();
  const reached = new Map((props.stages ?? []).map((s) => [s.stage, s]));
  const current = props.run.status === 'RUNNING' ? props.run.stage : null;
  return (
    <ol class="stages">
      {pipelineStages.map((stage) => {
        const t = reached.get(stage);
        const state = !t ? 'pending' : stage === current ? 'current' : 'done';
        const ms = t ? (t.ms ?? (t.endedAt ? Date.parse(t.endedAt) : now) - Date.parse(t.startedAt)) : null;
        return (
          <li class={`stage stage-${state}`} aria-current={state === 'current' ? 'step' : undefined}>
            <span class="stage-name">
              <span aria-hidden="true">{state === 'done' ? '✓' : state === 'current' ? '◐' : '○'}</span>{' '}
              {stage}
            </span>
            <span class="stage-time">
              {t ? `${when(t.startedAt).slice(11)} · ${duration(ms)}` : 'not reached'}
              {state === 'current' ? ' (now)' : ''}
            </span>
          </li>
        );
      })}
    </ol>
  );
}

function Validation(props: { runId: string; summary: RunView['validation']; refresh: string }) {
  const report = useAsync(
    async () =>
      must(await api.GET('/v1/runs/{runId}/validation', { params: { path: { runId: props.runId } } })),
    // Again at each change of stage or status: the report is written while the run goes on.
    [props.runId, props.refresh],
  );
  if (!props.summary && !report.data?.checks.length) return <p class="muted">Not validated yet.</p>;
  const checks = report.data?.checks ?? [];
  const failedFirst = [...checks].sort(
    (a, b) =>
      Number(a.passed) - Number(b.passed) ||
      (a.severity === 'error' ? -1 : 1) - (b.severity === 'error' ? -1 : 1),
  );
  const drift = checks.filter((c) => c.check === 'drift' && c.column && c.observed !== null);
  return (
    <div>
      {props.summary && (
        <p>
          <strong class={props.summary.passed ? 'ok' : 'bad'}>
            {props.summary.passed ? '✓ Passed' : '✕ Failed'}
          </strong>{' '}
          — {props.summary.rowCount} rows, {props.summary.errors} errors, {props.summary.warnings.length}{' '}
          warnings
        </p>
      )}
      {drift.length > 0 && (
        <Chart
          title="Drift per feature (PSI against the champion's training data)"
          x={drift.map((_, i) => i + 1)}
          xLabel="feature #"
          series={[
            { label: 'PSI', values: drift.map((c) => c.observed) },
            { label: 'threshold', values: drift.map((c) => c.threshold) },
          ]}
          height={180}
        />
      )}
      {drift.length > 0 && (
        <p class="muted">
          Features: {drift.map((c, i) => `#${i + 1} ${c.column} ${num(c.observed)}`).join(', ')}
        </p>
      )}
      <ErrorNote error={report.error} />
      <details open={checks.some((c) => !c.passed)}>
        <summary>{checks.length} checks, failed first</summary>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Result</th>
                <th scope="col">Check</th>
                <th scope="col">Column</th>
                <th scope="col">Observed</th>
                <th scope="col">Threshold</th>
                <th scope="col">Message</th>
              </tr>
            </thead>
            <tbody>
              {failedFirst.map((c) => (
                <tr class={c.passed ? '' : 'row-failed'}>
                  <td>{c.passed ? '✓ passed' : c.severity === 'error' ? '✕ failed' : '! warning'}</td>
                  <td>{c.check}</td>
                  <td>{c.column ?? '—'}</td>
                  <td>{num(c.observed)}</td>
                  <td>{num(c.threshold)}</td>
                  <td>{c.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </div>
  );
}

function Curves(props: { epochs: Epoch[] }) {
  // The last attempt of each epoch (a retried activity records an epoch again).
  const rows = useMemo(() => {
    const byEpoch = new Map<number, Epoch>();
    for (const e of props.epochs) byEpoch.set(e.epoch, e);
    return [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
  }, [props.epochs]);
  const x = useMemo(() => rows.map((e) => e.epoch), [rows]);
  const loss = useMemo(
    () => [
      { label: 'train loss', values: rows.map((e) => e.loss) },
      { label: 'validation loss', values: rows.map((e) => e.valLoss) },
    ],
    [rows],
  );
  const metric = useMemo(
    () => [{ label: 'validation metric', values: rows.map((e) => e.valMetric) }],
    [rows],
  );
  return (
    <div class="charts">
      <Chart title="Loss per epoch: train vs validation" x={x} xLabel="epoch" series={loss} />
      <Chart title="Validation metric per epoch" x={x} xLabel="epoch" series={metric} />
    </div>
  );
}

function Candidate(props: { model: string; version: number }) {
  const v = useAsync(
    async () =>
      must(
        await api.GET('/v1/models/{model}/versions/{version}', {
          params: { path: { model: props.model, version: props.version } },
        }),
      ),
    [props.model, props.version],
  );
  if (!v.data) return null;
  const d = v.data;
  return (
    <>
      <h2>Artifacts</h2>
      <ul class="artifacts">
        {Object.entries(d.artifacts).map(([name, key]) => (
          <li>
            {name}: <code>{key}</code>
          </li>
        ))}
        <li>
          trained at code revision <code>{d.lineage.codeRevision}</code> on {d.lineage.backend}, seeds split{' '}
          {d.lineage.seeds.split} / training {d.lineage.seeds.training}
        </li>
      </ul>
      <h2>Model card</h2>
      {d.modelCard ? (
        <pre class="card" tabIndex={0} role="region" aria-label="Model card">
          {d.modelCard}
        </pre>
      ) : (
        <p class="muted">No model card.</p>
      )}
    </>
  );
}
