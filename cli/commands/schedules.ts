// `ferry schedules ls|show|pause|resume|trigger|backfill`: the pipelines' retraining schedules.
import type { Command } from 'commander';
import { unwrap } from '../client.js';
import { withContext } from '../context.js';
import { UsageError } from '../errors.js';
import { when } from '../render.js';
import type { CliSettings } from '../settings.js';

/** An ISO date-time from `--from`/`--to` (a bare date means its midnight UTC). */
function isoDate(flag: string, text: string): string {
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(t))
    throw new UsageError(
      `${flag} ${text}: must be an ISO date or date-time, e.g. 2026-11-01 or 2026-11-01T02:00:00Z`,
    );
  return new Date(t).toISOString();
}

export function registerSchedules(program: Command, settings: CliSettings): void {
  const schedules = program.command('schedules').description("pipelines' retraining schedules");

  schedules
    .command('ls')
    .description('every pipeline with a schedule: cron, state, next run')
    .action(
      withContext(settings, async ({ out, api }) => {
        const { pipelines } = unwrap(await api.GET('/v1/pipelines'));
        const found = [];
        for (const p of pipelines) {
          const res = await api.GET('/v1/pipelines/{pipeline}/schedule', {
            params: { path: { pipeline: p.name } },
          });
          if (res.response.status === 404) continue;
          found.push(unwrap(res));
        }
        if (out.data({ schedules: found })) return;
        out.table(
          ['PIPELINE', 'CRON', 'TIMEZONE', 'STATE', 'NEXT RUN', 'NOTE'],
          found.map((s) => [
            s.pipeline,
            s.cron,
            s.timezone,
            s.paused ? 'paused' : 'active',
            when(s.nextRuns[0]),
            s.note,
          ]),
        );
      }),
    );

  schedules
    .command('show')
    .description("a pipeline's schedule: next and recent runs")
    .argument('<pipeline>')
    .action(
      withContext(settings, async ({ out, api }, pipeline: string) => {
        const s = unwrap(
          await api.GET('/v1/pipelines/{pipeline}/schedule', { params: { path: { pipeline } } }),
        );
        if (out.data(s)) return;
        out.fields([
          ['pipeline', s.pipeline],
          ['cron', `${s.cron ?? '-'} (${s.timezone})`],
          ['state', s.paused ? `paused${s.note ? `: ${s.note}` : ''}` : 'active'],
          ['next runs', s.nextRuns.map(when)],
          ['overlap', s.overlap],
        ]);
        out.line();
        out.table(
          ['RECENT RUN', 'SCHEDULED', 'STARTED'],
          s.recentRuns.map((r) => [r.runId, when(r.scheduledAt), when(r.startedAt)]),
        );
      }),
    );

  for (const [verb, path] of [
    ['pause', '/v1/pipelines/{pipeline}/schedule/pause'],
    ['resume', '/v1/pipelines/{pipeline}/schedule/unpause'],
  ] as const) {
    schedules
      .command(verb)
      .description(verb === 'pause' ? 'stop starting scheduled runs' : 'start scheduled runs again')
      .argument('<pipeline>')
      .option('-m, --message <note>', 'why (shown with the schedule)')
      .action(
        withContext(settings, async ({ out, api }, pipeline: string, o: { message?: string }) => {
          const s = unwrap(
            await api.POST(path, {
              params: { path: { pipeline } },
              body: o.message ? { note: o.message } : {},
            }),
          );
          if (out.data(s)) return;
          out.line(
            `${pipeline}: schedule ${s.paused ? 'paused' : 'active'}${s.nextRuns[0] ? `, next run ${when(s.nextRuns[0])}` : ''}`,
          );
        }),
      );
  }

  schedules
    .command('trigger')
    .description('start the scheduled run now')
    .argument('<pipeline>')
    .action(
      withContext(settings, async ({ out, api }, pipeline: string) => {
        const res = unwrap(
          await api.POST('/v1/pipelines/{pipeline}/schedule/trigger', { params: { path: { pipeline } } }),
        );
        if (out.data(res)) return;
        out.line(`${pipeline}: scheduled run triggered`);
      }),
    );

  schedules
    .command('backfill')
    .description('start the runs the schedule would have started between two times')
    .argument('<pipeline>')
    .requiredOption('--from <date>', 'start (ISO date or date-time)')
    .requiredOption('--to <date>', 'end (ISO date or date-time)')
    .addHelpText(
      'after',
      '\nExample:\n  $ ferry schedules backfill churn --from 2026-11-01 --to 2026-11-08\n',
    )
    .action(
      withContext(settings, async ({ out, api }, pipeline: string, o: { from: string; to: string }) => {
        const body = { from: isoDate('--from', o.from), to: isoDate('--to', o.to) };
        const res = unwrap(
          await api.POST('/v1/pipelines/{pipeline}/schedule/backfill', {
            params: { path: { pipeline } },
            body,
          }),
        );
        if (out.data(res)) return;
        out.line(`${pipeline}: backfill requested from ${when(res.from)} to ${when(res.to)}`);
      }),
    );
}
