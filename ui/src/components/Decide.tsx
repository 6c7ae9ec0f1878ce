// Approve or reject a candidate, with the comment the API requires; a refusal (four-eyes: the one
// who triggered or changed the spec may not approve) is explained in words.
import { useState } from 'preact/hooks';
import { api, type Problem, problemText } from '../api.ts';
import { can } from '../session.ts';

function refusal(problem: Problem | undefined): string {
  if (problem?.code === 'four-eyes')
    return `${problemText(problem).replace(/\.?$/, '.')} Another approver has to decide this run (four-eyes rule).`;
  if (problem?.status === 409) return `This run no longer waits for a decision: ${problemText(problem)}`;
  return problemText(problem);
}

export function Decide(props: { runId: string; onDone?: (said: string) => void }) {
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!can('approver')) return null;
  const id = `comment-${props.runId}`;
  const decide = async (action: 'approve' | 'reject') => {
    if (!comment.trim()) {
      setError('A comment is required: say why.');
      return;
    }
    setBusy(true);
    const path = action === 'approve' ? '/v1/runs/{runId}/approve' : '/v1/runs/{runId}/reject';
    const r = await api.POST(path, {
      params: { path: { runId: props.runId } },
      body: { comment: comment.trim() },
    });
    setBusy(false);
    if (r.data) {
      setError(null);
      const said = `${action === 'approve' ? 'Approved' : 'Rejected'} by ${r.data.by} at ${r.data.at}.`;
      setDone(said);
      props.onDone?.(`${props.runId}: ${said}`);
    } else setError(refusal(r.error as Problem | undefined));
  };
  if (done)
    return (
      <p role="status" class="ok">
        ✓ {done}
      </p>
    );
  return (
    <form class="decide" onSubmit={(e) => e.preventDefault()} aria-label={`Decide run ${props.runId}`}>
      <label for={id}>Comment (required)</label>
      <textarea
        id={id}
        required
        maxLength={2000}
        rows={2}
        value={comment}
        onInput={(e) => setComment(e.currentTarget.value)}
      />
      <div class="buttons">
        <button type="button" class="approve" disabled={busy} onClick={() => void decide('approve')}>
          ✓ Approve
        </button>
        <button type="button" class="reject" disabled={busy} onClick={() => void decide('reject')}>
          ✕ Reject
        </button>
      </div>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
    </form>
  );
}
