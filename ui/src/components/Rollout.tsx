// A rollout as it happens: phase, weights per version, the bake countdown of the current step, each
// guard's number against its threshold, and pause / resume / abort / promote for approvers.
import { useState } from 'preact/hooks';
import { api, must, problemText } from '../api.ts';
import { duration, num, pct } from '../format.ts';
import { useAsync, useNow } from '../hooks.ts';
import type { RunView } from '../runs-data.ts';
import { can } from '../session.ts';

interface GuardReport {
  since: string;
  requests: number;
  errors: number;
  errorRate: number;
  p99LatencyMs: number | null;
  predictionPsi: number | null;
  labels: number;
  onlineAccuracy: number | null;
  championRequests: number;
  championErrorRate: number | null;
  breaches: string[];
  summary: string;
}

/** GET /v1/runs/{runId}'s `rollout` (core/contracts/rollout.ts RolloutStatus; the API types it loosely). */
interface RolloutStatus {
  strategy?: string;
  phase?: string;
  step?: number | null;
  weights?: Record<string, number>;
  shadow?: number[];
  paused?: boolean;
  lastGuards?: GuardReport | null;
  breach?: string | null;
}

const actions = [
  ['pause', 'Pause'],
  ['resume', 'Resume'],
  ['abort', 'Abort (roll back)'],
  ['promote-now', 'Promote now'],
] as const;

export function RolloutPanel(props: { run: RunView; onChange?: () => void }) {
  const { run } = props;
  const r = (run.rollout ?? {}) as RolloutStatus;
  // The plan (steps, bake, guard thresholds) and the bake timer now running; again at every change the run stream pushes.
  const detail = useAsync(
    async () => must(await api.GET('/v1/runs/{runId}/rollout', { params: { path: { runId: run.runId } } })),
    [run.runId, JSON.stringify(run.rollout)],
  );
  const plan = detail.data?.plan ?? null;
  const now = useNow();
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const guards = (plan?.guards ?? {}) as Partial<
    Record<'maxErrorRate' | 'maxP99LatencyMs' | 'maxPredictionPsi' | 'minRequests', number>
  >;
  const g = r.lastGuards ?? null;
  const active = run.status === 'RUNNING' && run.stage === 'rollout';
  const bakeEnds = detail.data?.bake ? Date.parse(detail.data.bake.endsAt) : undefined;
  const control = async (action: (typeof actions)[number][0]) => {
    setBusy(true);
    const res = await api.POST('/v1/runs/{runId}/rollout/{action}', {
      params: { path: { runId: run.runId, action } },
      body: reason.trim() ? { reason: reason.trim() } : {},
    });
    setBusy(false);
    setMessage(
      res.data ? { ok: true, text: `${action}: sent.` } : { ok: false, text: problemText(res.error) },
    );
    props.onChange?.();
  };
  const holds = (limit: number | undefined, value: number | null | undefined, max: boolean) =>
    limit === undefined || value === null || value === undefined
      ? null
      : max
        ? value <= limit
        : value >= limit;
  // Every guard of the plan with its threshold, and its number once a bake window has been read.
  const rows: [string, string, string, boolean | null][] = [
    [
      'requests',
      g ? String(g.requests) : '—',
      `≥ ${guards.minRequests ?? '—'}`,
      holds(guards.minRequests, g?.requests, false),
    ],
    [
      'error rate',
      g ? pct(g.errorRate) : '—',
      `≤ ${pct(guards.maxErrorRate)}`,
      holds(guards.maxErrorRate, g?.errorRate, true),
    ],
    [
      'p99 latency',
      g?.p99LatencyMs != null ? `${num(g.p99LatencyMs, 1)} ms` : '—',
      `≤ ${guards.maxP99LatencyMs ?? '—'} ms`,
      holds(guards.maxP99LatencyMs, g?.p99LatencyMs, true),
    ],
    [
      'prediction PSI',
      num(g?.predictionPsi),
      `≤ ${num(guards.maxPredictionPsi)}`,
      holds(guards.maxPredictionPsi, g?.predictionPsi, true),
    ],
    ['online accuracy', pct(g?.onlineAccuracy), g ? `(${g.labels} labels)` : '—', null],
    ['champion error rate', pct(g?.championErrorRate), g ? `(${g.championRequests} requests)` : '—', null],
  ];
  return (
    <div class="rollout" data-testid="rollout">
      <p>
        Phase <strong data-testid="rollout-phase">{r.phase ?? '—'}</strong>
        {r.paused ? ' (⏸ paused)' : ''} — strategy {r.strategy ?? plan?.strategy ?? '—'}
        {plan ? `, steps ${plan.steps.join(' → ')} %, bake ${plan.bake} per step` : ''}
      </p>
      {r.weights && (
        <ul class="weights" aria-label="Traffic weights">
          {Object.entries(r.weights).map(([version, weight]) => (
            <li>
              <span class="bar-label">{version.startsWith('v') ? version : `v${version}`}</span>
              <span class="bar-track" aria-hidden="true">
                <span class="bar-fill" style={{ width: `${weight}%` }} />
              </span>
              <span class="bar-value">{weight} %</span>
            </li>
          ))}
        </ul>
      )}
      {active && bakeEnds && (
        <p role="timer" aria-live="off">
          Bake:{' '}
          {bakeEnds > now
            ? `${duration(bakeEnds - now)} left in this step`
            : 'window closing, guards being read'}
        </p>
      )}
      {r.breach && (
        <p class="bad" role="alert">
          ✕ Guard breached: {r.breach}
        </p>
      )}
      {(g || (active && plan)) && (
        <div class="table-wrap">
          <table>
            <caption>
              {g
                ? `Guards over the bake window since ${g.since}`
                : 'Guards (not read yet: the first bake window is running)'}
            </caption>
            <thead>
              <tr>
                <th scope="col">Guard</th>
                <th scope="col">Now</th>
                <th scope="col">Threshold</th>
                <th scope="col">Holds</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(([name, value, threshold, holds]) => (
                <tr>
                  <th scope="row">{name}</th>
                  <td>{value}</td>
                  <td>{threshold}</td>
                  <td>{holds === null ? '—' : holds ? '✓ yes' : '✕ no'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {active && can('approver') && (
        <form class="inline-form" onSubmit={(e) => e.preventDefault()} aria-label="Control the rollout">
          <label>
            Reason
            <input value={reason} maxLength={500} onInput={(e) => setReason(e.currentTarget.value)} />
          </label>
          {actions.map(([action, label]) => (
            <button
              type="button"
              disabled={busy || (action === 'pause' && r.paused) || (action === 'resume' && !r.paused)}
              onClick={() => void control(action)}
            >
              {label}
            </button>
          ))}
        </form>
      )}
      {message && (
        <p role={message.ok ? 'status' : 'alert'} class={message.ok ? 'ok' : 'error'}>
          {message.text}
        </p>
      )}
    </div>
  );
}
