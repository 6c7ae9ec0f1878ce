// Models: the list, and one model's versions, metrics across versions, what served when (the alias
// history as a timeline) and rollback with a reason (admins).
import { useState } from 'preact/hooks';
import { api, must, problemText } from '../api.ts';
import { Chart } from '../components/Chart.tsx';
import { ErrorNote, Loading } from '../components/Layout.tsx';
import { num, when } from '../format.ts';
import { useAsync } from '../hooks.ts';
import { can } from '../session.ts';

export function Models() {
  const models = useAsync(async () => must(await api.GET('/v1/models')).models, []);
  return (
    <section>
      <h1>Models</h1>
      <ErrorNote error={models.error} />
      {!models.data ? (
        <Loading what="models" />
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Champion</th>
                <th scope="col">Latest version</th>
                <th scope="col">Versions</th>
              </tr>
            </thead>
            <tbody>
              {models.data.map((m) => (
                <tr>
                  <td>
                    <a href={`/ui/models/${m.model}`}>{m.model}</a>
                  </td>
                  <td>{m.champion !== null ? `v${m.champion}` : '—'}</td>
                  <td>{m.latestVersion !== null ? `v${m.latestVersion}` : '—'}</td>
                  <td>{m.versionCount}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function Model(props: { params: { model: string } }) {
  const model = props.params.model;
  const detail = useAsync(
    async () => must(await api.GET('/v1/models/{model}', { params: { path: { model } } })),
    [model],
  );
  const metrics = useAsync(
    async () => must(await api.GET('/v1/models/{model}/metrics', { params: { path: { model } } })),
    [model, detail.data?.history.length],
  );
  const primary = metrics.data?.metric;
  if (detail.error) return <ErrorNote error={detail.error} />;
  if (!detail.data) return <Loading what={`model ${model}`} />;
  const d = detail.data;
  const champion = d.aliases.champion;
  // What served when: each change of the champion alias, until the next one.
  const served = d.history.filter((h) => h.alias === 'champion');
  const approvedBy = new Map(
    d.versions.map((v) => [v.version, v.decision?.decision === 'approve' ? v.decision.by : null]),
  );
  return (
    <section>
      <h1>
        Model <code>{model}</code>
      </h1>
      <p data-testid="champion">
        Champion: <strong>{champion !== undefined ? `v${champion}` : 'none'}</strong>
        {Object.entries(d.aliases)
          .filter(([a]) => a !== 'champion')
          .map(([a, v]) => ` · ${a}: v${v}`)}
        {' · '}
        <a href={`/ui/monitoring/${model}`}>Monitoring</a>
      </p>
      <h2>Metrics across versions</h2>
      {metrics.data && (
        <Chart
          title={`${metrics.data.metric} of each version (test split)`}
          x={metrics.data.versions.map((v) => v.version)}
          xLabel="version"
          series={[{ label: metrics.data.metric, values: metrics.data.versions.map((v) => v.value) }]}
          // A score between 0 and 1 is drawn on that whole scale: one version's 0.86 is not the chart's middle.
          yRange={
            metrics.data.versions.every((v) => v.value === null || (v.value >= 0 && v.value <= 1))
              ? [0, 1]
              : undefined
          }
        />
      )}
      <h2>What served when</h2>
      <ol class="served" data-testid="served-timeline">
        {served.map((h, i) => (
          <li>
            <strong>v{h.version}</strong> from {when(h.at)} to{' '}
            {served[i + 1] ? when(served[i + 1]!.at) : 'now'}
            {' — '}
            {approvedBy.get(h.version) ? `approved by ${approvedBy.get(h.version)}; ` : ''}
            {h.kind ?? 'change'} by {h.actor}
            {h.fromVersion !== null ? ` (was v${h.fromVersion})` : ''}: {h.reason}
            {h.runId && (
              <>
                {' '}
                (<a href={`/ui/runs/${h.runId}`}>run</a>)
              </>
            )}
          </li>
        ))}
        {served.length === 0 && <li>Nothing has served yet.</li>}
      </ol>
      {can('admin') && champion !== undefined && (
        <Rollback
          model={model}
          versions={d.versions.map((v) => v.version).filter((v) => v !== champion)}
          onDone={detail.reload}
        />
      )}
      <h2>Versions</h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Status</th>
              <th scope="col">Created</th>
              <th scope="col">Metrics</th>
              <th scope="col">Decision</th>
              <th scope="col">Run</th>
            </tr>
          </thead>
          <tbody>
            {[...d.versions].reverse().map((v) => (
              <tr>
                <td>
                  v{v.version}
                  {v.version === champion ? ' (champion)' : ''}
                </td>
                <td>{v.status}</td>
                <td>{when(v.createdAt)}</td>
                <td>
                  {Object.entries(v.metrics as Record<string, number>)
                    .filter(([k]) => !k.includes(':'))
                    // The primary metric first: it is the one the versions are compared on.
                    .sort(([a], [b]) => Number(b === primary) - Number(a === primary))
                    .slice(0, 4)
                    .map(([k, val]) => `${k} ${num(val)}`)
                    .join(', ')}
                </td>
                <td>
                  {v.decision ? `${v.decision.decision} by ${v.decision.by}: ${v.decision.comment}` : '—'}
                </td>
                <td>
                  <a href={`/ui/runs/${v.runId}`}>{v.runId}</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Rollback(props: { model: string; versions: number[]; onDone: () => void }) {
  const [to, setTo] = useState('');
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const target = to || String(props.versions.at(-1) ?? '');
  if (props.versions.length === 0) return null;
  const submit = async (e: Event) => {
    e.preventDefault();
    const r = await api.POST('/v1/models/{model}/rollback', {
      params: { path: { model: props.model } },
      body: { toVersion: Number(target), reason: reason.trim() },
    });
    setMessage(
      r.data
        ? { ok: true, text: `Champion is v${r.data.champion} (was v${r.data.fromVersion ?? '—'}).` }
        : { ok: false, text: problemText(r.error) },
    );
    if (r.data) {
      setTo('');
      setReason('');
      props.onDone();
    }
  };
  return (
    <details class="panel">
      <summary>Roll back the champion</summary>
      <form class="inline-form" onSubmit={submit}>
        <label>
          To version
          <select value={target} onChange={(e) => setTo(e.currentTarget.value)}>
            {props.versions.map((v) => (
              <option value={String(v)}>v{v}</option>
            ))}
          </select>
        </label>
        <label>
          Reason (required)
          <input required maxLength={500} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
        </label>
        <button type="submit" disabled={!reason.trim()}>
          Roll back
        </button>
      </form>
      {message && (
        <p role={message.ok ? 'status' : 'alert'} class={message.ok ? 'ok' : 'error'}>
          {message.text}
        </p>
      )}
    </details>
  );
}
