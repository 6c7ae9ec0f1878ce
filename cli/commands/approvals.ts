// `ferry approve|reject RUN -m "…"` and `ferry approvals`: decide a candidate (identity from the token;
// the four-eyes rule is the API's) and list what waits for a decision the caller may give.
import type { Command } from 'commander';
import { unwrap } from '../client.js';
import { withContext } from '../context.js';
import { fmt, when } from '../render.js';
import type { CliSettings } from '../settings.js';

export function registerApprovals(program: Command, settings: CliSettings): void {
  for (const action of ['approve', 'reject'] as const) {
    program
      .command(action)
      .description(`${action} a run's candidate waiting for a decision (you are who your token says)`)
      .argument('<run-id>')
      .requiredOption('-m, --message <comment>', 'why (kept with the decision and in the audit log)')
      .addHelpText(
        'after',
        `\nExample:\n  $ ferry ${action} <run-id> -m "${action === 'approve' ? 'holdout AUC up, slices fine' : 'recall on the new region dropped'}"\n`,
      )
      .action(
        withContext(settings, async ({ out, api }, runId: string, o: { message: string }) => {
          const path = action === 'approve' ? '/v1/runs/{runId}/approve' : '/v1/runs/{runId}/reject';
          const d = unwrap(
            await api.POST(path, { params: { path: { runId } }, body: { comment: o.message } }),
          );
          if (out.data(d)) return;
          out.line(
            `${d.decision === 'approve' ? 'approved' : 'rejected'} by ${d.by} at ${when(d.at)}: ${d.comment}`,
          );
        }),
      );
  }

  program
    .command('approvals')
    .description('runs waiting for a decision you may give')
    .action(
      withContext(settings, async ({ out, api }) => {
        const res = unwrap(await api.GET('/v1/approvals'));
        if (out.data(res)) return;
        out.table(
          ['RUN', 'PIPELINE', 'CANDIDATE', 'METRICS', 'TRIGGERED BY', 'DEADLINE'],
          res.runs.map((r) => [
            r.runId,
            r.pipeline,
            r.candidateVersion !== null ? `${r.model} v${r.candidateVersion}` : null,
            r.metrics
              ? Object.entries(r.metrics)
                  .map(([k, v]) => `${k}=${fmt(v)}`)
                  .join(' ')
              : null,
            r.triggeredBy,
            when(r.approvalDeadline),
          ]),
        );
      }),
    );
}
