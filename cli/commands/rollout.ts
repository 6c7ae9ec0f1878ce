// `ferry rollout status|pause|resume|abort|promote RUN`: watch and steer a run's canary or shadow rollout.
import type { Command } from 'commander';
import { unwrap } from '../client.js';
import { withContext } from '../context.js';
import { show } from '../render.js';
import type { CliSettings } from '../settings.js';

const actions = { pause: 'pause', resume: 'resume', abort: 'abort', promote: 'promote-now' } as const;

export function registerRollout(program: Command, settings: CliSettings): void {
  const rollout = program
    .command('rollout')
    .description("a run's rollout: status, pause, resume, abort (roll back now), promote");

  rollout
    .command('status')
    .description("the rollout's phase, step, traffic weights and last guard readings")
    .argument('<run-id>')
    .action(
      withContext(settings, async ({ out, api }, runId: string) => {
        const r = unwrap(await api.GET('/v1/runs/{runId}', { params: { path: { runId } } }));
        if (out.data({ runId, stage: r.stage, rollout: r.rollout })) return;
        if (!r.rollout) {
          out.line(`${runId} has no rollout yet (stage ${r.stage ?? '-'})`);
          return;
        }
        out.fields(Object.entries(r.rollout).map(([k, v]) => [k, show(v)]));
      }),
    );

  for (const [verb, action] of Object.entries(actions)) {
    rollout
      .command(verb)
      .description(
        {
          pause: 'hold the rollout at its current step',
          resume: 'continue a paused rollout',
          abort: 'roll the candidate back now',
          promote: 'skip the remaining steps and promote now',
        }[verb]!,
      )
      .argument('<run-id>')
      .option('-m, --message <reason>', 'why (kept in the audit log)')
      .action(
        withContext(settings, async ({ out, api }, runId: string, o: { message?: string }) => {
          const res = unwrap(
            await api.POST('/v1/runs/{runId}/rollout/{action}', {
              params: { path: { runId, action } },
              body: o.message ? { reason: o.message } : {},
            }),
          );
          if (out.data(res)) return;
          out.line(`${res.action}: ${show(res.rollout)}`);
        }),
      );
  }
}
