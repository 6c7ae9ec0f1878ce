// `ferry audit`: the newest audit events — who did what to which target, and whether it was allowed.
import type { Command } from 'commander';
import { unwrap } from '../client.js';
import { withContext } from '../context.js';
import { parsePositiveInt } from '../duration.js';
import { when } from '../render.js';
import type { CliSettings } from '../settings.js';

export function registerAudit(program: Command, settings: CliSettings): void {
  program
    .command('audit')
    .description('the newest audit events (role admin)')
    .option('--limit <n>', 'how many events', parsePositiveInt, 50)
    .action(
      withContext(settings, async ({ out, api }, o: { limit: number }) => {
        const res = unwrap(await api.GET('/v1/audit', { params: { query: { limit: o.limit } } }));
        if (out.data(res)) return;
        out.table(
          ['AT', 'WHO', 'ROLE', 'ACTION', 'TARGET', 'RESULT', 'DETAIL'],
          res.events.map((e) => [
            when(e.at),
            e.who,
            e.role,
            e.action,
            e.target,
            `${e.result} ${e.status}`,
            e.detail,
          ]),
        );
      }),
    );
}
