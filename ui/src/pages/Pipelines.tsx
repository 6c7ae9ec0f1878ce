// Pipelines: the list, and one pipeline's spec (read-only YAML), its version history and its
// schedule (next runs; pause, resume and trigger for operators).
import { useState } from 'preact/hooks';
import { stringify } from 'yaml';
import { api, must, problemText } from '../api.ts';
import { ErrorNote, Loading } from '../components/Layout.tsx';
import { shortSha, when } from '../format.ts';
import { useAsync } from '../hooks.ts';
import { can } from '../session.ts';

export function Pipelines() {
  const list = useAsync(async () => must(await api.GET('/v1/pipelines')).pipelines, []);
  return (
    <section>
      <h1>Pipelines</h1>
      <ErrorNote error={list.error} />
      {!list.data ? (
        <Loading what="pipelines" />
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Pipeline</th>
                <th scope="col">Spec</th>
                <th scope="col">Changed</th>
                <th scope="col">By</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((p) => (
                <tr>
                  <td>
                    <a href={`/ui/pipelines/${p.name}`}>{p.name}</a>
                  </td>
                  <td>
                    <code>{shortSha(p.specHash)}</code>
                  </td>
                  <td>{when(p.updatedAt)}</td>
                  <td>{p.updatedBy}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function Pipeline(props: { params: { pipeline: string } }) {
  const pipeline = props.params.pipeline;
  const path = { params: { path: { pipeline } } };
  const detail = useAsync(async () => must(await api.GET('/v1/pipelines/{pipeline}', path)), [pipeline]);
  const versions = useAsync(
    async () => must(await api.GET('/v1/pipelines/{pipeline}/versions', path)).versions,
    [pipeline],
  );
  const schedule = useAsync(async () => {
    const r = await api.GET('/v1/pipelines/{pipeline}/schedule', path);
    return r.response.status === 404 ? null : must(r);
  }, [pipeline]);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const act = async (action: 'pause' | 'unpause' | 'trigger') => {
    const url =
      action === 'pause'
        ? '/v1/pipelines/{pipeline}/schedule/pause'
        : action === 'unpause'
          ? '/v1/pipelines/{pipeline}/schedule/unpause'
          : '/v1/pipelines/{pipeline}/schedule/trigger';
    const r = await api.POST(url, { ...path, body: {} } as never);
    setMessage(r.error ? { ok: false, text: problemText(r.error) } : { ok: true, text: `${action}: done.` });
    schedule.reload();
  };
  if (detail.error) return <ErrorNote error={detail.error} />;
  if (!detail.data) return <Loading what={`pipeline ${pipeline}`} />;
  const s = schedule.data;
  return (
    <section>
      <h1>
        Pipeline <code>{pipeline}</code>
      </h1>
      <h2>Schedule</h2>
      {schedule.loading && !s ? (
        <Loading what="schedule" />
      ) : !s ? (
        <p>No schedule.</p>
      ) : (
        <>
          <dl class="facts">
            <dt>Cron</dt>
            <dd>
              <code>{s.cron ?? '—'}</code> ({s.timezone})
            </dd>
            <dt>State</dt>
            <dd data-testid="schedule-state">
              {s.paused ? '⏸ paused' : '▶ active'}
              {s.note ? ` — ${s.note}` : ''}
            </dd>
            <dt>Next runs</dt>
            <dd>{s.nextRuns.length ? s.nextRuns.slice(0, 3).map(when).join(', ') : '—'}</dd>
            <dt>Recent runs</dt>
            <dd>
              {s.recentRuns.length
                ? s.recentRuns.slice(0, 5).map((r) => (
                    <>
                      <a href={`/ui/runs/${r.runId}`}>{when(r.startedAt)}</a>{' '}
                    </>
                  ))
                : '—'}
            </dd>
          </dl>
          {can('operator') && (
            <div class="buttons">
              {s.paused ? (
                <button type="button" onClick={() => void act('unpause')}>
                  Resume schedule
                </button>
              ) : (
                <button type="button" onClick={() => void act('pause')}>
                  Pause schedule
                </button>
              )}
              <button type="button" onClick={() => void act('trigger')}>
                Trigger now
              </button>
            </div>
          )}
          {message && (
            <p role={message.ok ? 'status' : 'alert'} class={message.ok ? 'ok' : 'error'}>
              {message.text}
            </p>
          )}
        </>
      )}
      <h2>Spec</h2>
      <p class="muted">
        Version <code>{shortSha(detail.data.specHash)}</code>, changed {when(detail.data.updatedAt)} by{' '}
        {detail.data.updatedBy}
        {detail.data.source ? ` from commit ${shortSha(detail.data.source.commit)}` : ''}.
      </p>
      <pre class="yaml" tabIndex={0} role="region" aria-label="Pipeline spec (YAML)">
        {stringify(detail.data.spec)}
      </pre>
      <h2>Version history</h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Spec</th>
              <th scope="col">Changed</th>
              <th scope="col">By</th>
              <th scope="col">Privileged change by</th>
              <th scope="col">Source</th>
            </tr>
          </thead>
          <tbody>
            {versions.data?.map((v) => (
              <tr>
                <td>
                  <code>{shortSha(v.specHash)}</code>
                </td>
                <td>{when(v.updatedAt)}</td>
                <td>{v.updatedBy}</td>
                <td>{v.privilegedBy ?? '—'}</td>
                <td>{v.source ? `${shortSha(v.source.commit)} ${v.source.path ?? ''}` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
