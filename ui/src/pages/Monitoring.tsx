// Monitoring of one model: volume, latency percentiles, error rate, drift per feature and online
// accuracy per monitor window (GET /v1/models/{model}/monitoring), and the runs drift triggered.
import { useLocation } from 'preact-iso';
import { useMemo } from 'preact/hooks';
import { api, must } from '../api.ts';
import { Chart } from '../components/Chart.tsx';
import { ErrorNote, Loading, StatusBadge } from '../components/Layout.tsx';
import { when } from '../format.ts';
import { useAsync } from '../hooks.ts';

export function Monitoring(props: { params: { model?: string } }) {
  const { route } = useLocation();
  const models = useAsync(async () => must(await api.GET('/v1/models')).models, []);
  const model = props.params.model ?? models.data?.[0]?.model;
  const points = useAsync(
    async () =>
      model
        ? must(await api.GET('/v1/models/{model}/monitoring', { params: { path: { model } } })).points
        : [],
    [model],
  );
  const runs = useAsync(
    async () =>
      model
        ? must(await api.GET('/v1/runs', { params: { query: { model, pageSize: 200 } } })).runs.filter(
            (r) => r.trigger === 'drift',
          )
        : [],
    [model],
  );
  const p = points.data ?? [];
  const x = useMemo(() => p.map((q) => Date.parse(q.windowEnd) / 1000), [p]);
  const features = useMemo(() => [...new Set(p.flatMap((q) => Object.keys(q.featurePsi)))].sort(), [p]);
  const charts = useMemo(
    () => ({
      volume: [{ label: 'predictions', values: p.map((q) => q.predictions) }],
      latency: [
        { label: 'p50 ms', values: p.map((q) => q.latencyP50Ms) },
        { label: 'p95 ms', values: p.map((q) => q.latencyP95Ms) },
        { label: 'p99 ms', values: p.map((q) => q.latencyP99Ms) },
      ],
      errors: [{ label: 'error rate', values: p.map((q) => q.errorRate) }],
      drift: [
        ...features.map((f) => ({ label: f, values: p.map((q) => q.featurePsi[f] ?? null) })),
        { label: 'prediction PSI', values: p.map((q) => q.predictionPsi) },
      ],
      accuracy: [{ label: 'online accuracy', values: p.map((q) => q.onlineAccuracy) }],
    }),
    [p, features],
  );
  return (
    <section>
      <h1>Monitoring</h1>
      <label>
        Model{' '}
        <select value={model ?? ''} onChange={(e) => route(`/ui/monitoring/${e.currentTarget.value}`)}>
          {models.data?.map((m) => (
            <option value={m.model}>{m.model}</option>
          ))}
        </select>
      </label>
      <ErrorNote error={points.error ?? models.error} />
      {!points.data ? (
        <Loading what="monitoring" />
      ) : p.length === 0 ? (
        <p role="status">The monitor has not checked this model yet.</p>
      ) : (
        <div class="charts">
          <Chart time title="Volume per window" x={x} xLabel="window end" series={charts.volume} />
          <Chart time title="Latency percentiles" x={x} xLabel="window end" series={charts.latency} />
          <Chart time title="Error rate" x={x} xLabel="window end" series={charts.errors} />
          <Chart time title="Drift per feature (PSI)" x={x} xLabel="window end" series={charts.drift} />
          <Chart time title="Online accuracy" x={x} xLabel="window end" series={charts.accuracy} />
        </div>
      )}
      <h2>What the monitor did</h2>
      <ul>
        {p
          .filter((q) => q.action !== 'none')
          .map((q) => (
            <li>
              {when(q.windowEnd)}: {q.action}
              {q.driftedFeature ? ` (${q.driftedFeature} drifted)` : ''} — {q.reason}
            </li>
          ))}
      </ul>
      <h2>Runs started by drift</h2>
      {runs.data?.length ? (
        <ul>
          {runs.data.map((r) => (
            <li>
              <a href={`/ui/runs/${r.runId}`}>{r.runId}</a> <StatusBadge status={r.status} />{' '}
              {when(r.startedAt)}
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">None.</p>
      )}
    </section>
  );
}
