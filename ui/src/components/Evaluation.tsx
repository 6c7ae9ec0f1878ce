// The candidate against the champion and the spec's thresholds: a table (with pass/fail in words)
// and bars of the same numbers.
import { api, must } from '../api.ts';
import { num } from '../format.ts';
import { useAsync } from '../hooks.ts';
import type { RunView } from '../runs-data.ts';
import { pipelineSpec } from '../spec.ts';
import { Bars } from './Chart.tsx';

export function Evaluation(props: { run: RunView }) {
  const { run } = props;
  const championVersion = run.evaluation?.championVersion ?? null;
  const champion = useAsync(async () => {
    if (!run.model || championVersion === null) return undefined;
    return must(
      await api.GET('/v1/models/{model}/versions/{version}', {
        params: { path: { model: run.model, version: championVersion } },
      }),
    );
  }, [run.model, championVersion]);
  const spec = useAsync(() => pipelineSpec(run.pipeline), [run.pipeline]);
  if (!run.metrics) return <p class="muted">Not evaluated yet.</p>;
  const thresholds = spec.data?.evaluation?.thresholds ?? {};
  const primary = run.evaluation?.primaryMetric;
  const names = [...new Set([...Object.keys(run.metrics), ...Object.keys(thresholds)])].sort((a, b) =>
    a === primary ? -1 : b === primary ? 1 : a.localeCompare(b),
  );
  const championMetrics = champion.data?.metrics as Record<string, number> | undefined;
  return (
    <div>
      <p>
        {run.evaluation ? (
          <strong class={run.evaluation.passed ? 'ok' : 'bad'}>
            {run.evaluation.passed ? '✓ Evaluation passed' : '✕ Evaluation failed'}
          </strong>
        ) : (
          'Evaluation pending'
        )}
        {primary && <> — primary metric {primary}</>}
        {championVersion !== null ? <> — against champion v{championVersion}</> : <> — no champion yet</>}
      </p>
      {run.evaluation?.reasons.length ? (
        <ul>
          {run.evaluation.reasons.map((r) => (
            <li>{r}</li>
          ))}
        </ul>
      ) : null}
      <div class="table-wrap">
        <table>
          <caption>Candidate v{run.candidateVersion ?? '?'} against the champion and thresholds</caption>
          <thead>
            <tr>
              <th scope="col">Metric</th>
              <th scope="col">Candidate</th>
              <th scope="col">Champion{championVersion !== null ? ` v${championVersion}` : ''}</th>
              <th scope="col">Change</th>
              <th scope="col">Threshold (min)</th>
              <th scope="col">Meets threshold</th>
            </tr>
          </thead>
          <tbody>
            {names.map((name) => {
              const c = run.metrics![name];
              const ch = championMetrics?.[name];
              const t = thresholds[name];
              const meets = t === undefined || c === undefined ? null : c >= t;
              return (
                <tr>
                  <th scope="row">
                    {name}
                    {name === primary ? ' (primary)' : ''}
                  </th>
                  <td>{num(c)}</td>
                  <td>{num(ch)}</td>
                  <td>
                    {c !== undefined && ch !== undefined ? (c - ch >= 0 ? '+' : '') + num(c - ch) : '—'}
                  </td>
                  <td>{num(t)}</td>
                  <td>{meets === null ? '—' : meets ? '✓ yes' : '✕ no'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div class="bars-grid">
        {names
          // Counts (testRows) are not comparable scores: the table has them.
          .filter((n) => run.metrics![n] !== undefined && !/rows$/i.test(n))
          .slice(0, 6)
          .map((name) => (
            <Bars
              title={name}
              rows={[
                { label: 'candidate', value: run.metrics![name] ?? null },
                { label: 'champion', value: championMetrics?.[name] ?? null },
                { label: 'threshold', value: thresholds[name] ?? null },
              ]}
            />
          ))}
      </div>
    </div>
  );
}
