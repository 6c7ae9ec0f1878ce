// The candidate against the champion and the spec's thresholds (GET /v1/runs/{runId}/evaluation): a
// table with pass/fail in words, bars of the same numbers, and the per-slice metrics of both.
import { api, ApiError, must } from '../api.ts';
import { num } from '../format.ts';
import { useAsync } from '../hooks.ts';
import type { RunView } from '../runs-data.ts';
import { Bars } from './Chart.tsx';

/** Counts (testRows) are not scores to compare in bars; the table still lists them. */
const isCount = (name: string) => /rows$/i.test(name);

export function Evaluation(props: { run: RunView; refresh?: string }) {
  const { run } = props;
  const report = useAsync(async () => {
    const r = await api.GET('/v1/runs/{runId}/evaluation', { params: { path: { runId: run.runId } } });
    return r.response.status === 404 ? null : must(r);
  }, [run.runId, props.refresh ?? '']);
  if (report.error instanceof ApiError) return <p class="error">{report.error.message}</p>;
  const e = report.data;
  if (e === undefined) return <p aria-live="polite">Loading the evaluation…</p>;
  if (e === null) return <p class="muted">Not evaluated yet.</p>;
  const thresholds = e.thresholds ?? {};
  const candidate = e.candidate.metrics;
  const champion = e.champion?.metrics;
  const primary = e.primaryMetric;
  const names = [...new Set([...Object.keys(candidate), ...Object.keys(thresholds)])].sort((a, b) =>
    a === primary ? -1 : b === primary ? 1 : a.localeCompare(b),
  );
  const sliceMetric = (m: Record<string, number> | null | undefined) => (m ? m[primary] : undefined);
  return (
    <div>
      <p>
        <strong class={e.passed ? 'ok' : 'bad'}>
          {e.passed ? '✓ Evaluation passed' : '✕ Evaluation failed'}
        </strong>
        {` — primary metric ${primary}`}
        {e.champion ? ` — against champion v${e.champion.version}` : ' — no champion yet'}
        {e.champion ? (e.beatsChampion ? ' (beats it)' : ' (does not beat it)') : ''}
        {e.maxRegression !== null ? `; regression allowed ${num(e.maxRegression)}` : ''}
      </p>
      {e.reasons.length > 0 && (
        <ul>
          {e.reasons.map((r) => (
            <li>{r}</li>
          ))}
        </ul>
      )}
      <div class="table-wrap">
        <table>
          <caption>
            Candidate v{e.candidate.version ?? '?'} against the champion and thresholds (test split)
          </caption>
          <thead>
            <tr>
              <th scope="col">Metric</th>
              <th scope="col">Candidate</th>
              <th scope="col">Champion{e.champion ? ` v${e.champion.version}` : ''}</th>
              <th scope="col">Change</th>
              <th scope="col">Threshold</th>
              <th scope="col">Meets threshold</th>
            </tr>
          </thead>
          <tbody>
            {names.map((name) => {
              const c = candidate[name];
              const ch = champion?.[name];
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
                  <td>{t === undefined ? '—' : `≥ ${num(t)}`}</td>
                  <td>{meets === null ? '—' : meets ? '✓ yes' : '✕ no'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div class="bars-grid">
        {names
          .filter((n) => candidate[n] !== undefined && !isCount(n))
          .slice(0, 6)
          .map((name) => (
            <Bars
              title={name}
              rows={[
                { label: 'candidate', value: candidate[name] ?? null },
                { label: 'champion', value: champion?.[name] ?? null },
                { label: 'threshold', value: thresholds[name] ?? null },
              ]}
            />
          ))}
      </div>
      {e.slices.length > 0 && (
        <>
          <div class="table-wrap">
            <table>
              <caption>Slices: {primary} per segment of the test split</caption>
              <thead>
                <tr>
                  <th scope="col">Slice</th>
                  <th scope="col">Rows</th>
                  <th scope="col">Candidate</th>
                  <th scope="col">Champion</th>
                  <th scope="col">Change</th>
                </tr>
              </thead>
              <tbody>
                {e.slices.map((s) => {
                  const c = sliceMetric(s.candidate);
                  const ch = sliceMetric(s.champion);
                  return (
                    <tr>
                      <th scope="row">
                        {s.column} = {s.value}
                      </th>
                      <td>{s.count}</td>
                      <td>{num(c)}</td>
                      <td>{num(ch)}</td>
                      <td>
                        {c !== undefined && ch !== undefined
                          ? `${c - ch >= 0 ? '▲ +' : '▼ '}${num(c - ch)}`
                          : '—'}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <Bars
            title={`${primary} of the candidate per slice`}
            rows={e.slices.map((s) => ({
              label: `${s.column}=${s.value}`,
              value: sliceMetric(s.candidate) ?? null,
            }))}
          />
        </>
      )}
    </div>
  );
}
