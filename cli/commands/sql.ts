// `ferry sql "SELECT …"`: read-only DuckDB SQL over Ferry's metrics, prediction and audit tables (admin).
import type { Command } from 'commander';
import { unwrap } from '../client.js';
import { withContext } from '../context.js';
import { parsePositiveInt } from '../duration.js';
import { show } from '../render.js';
import type { CliSettings } from '../settings.js';

export function registerSql(program: Command, settings: CliSettings): void {
  program
    .command('sql')
    .description("query Ferry's tables with DuckDB SQL (read-only; role admin)")
    .argument('<query>', 'one SELECT statement')
    .option('--max-rows <n>', 'at most this many rows', parsePositiveInt, 100)
    .addHelpText(
      'after',
      `\nExample:\n  $ ferry sql "SELECT model, version, metric, value FROM metrics ORDER BY ts DESC LIMIT 5"\n`,
    )
    .action(
      withContext(settings, async ({ out, api }, sql: string, o: { maxRows: number }) => {
        const res = unwrap(await api.POST('/v1/metrics/query', { body: { sql, maxRows: o.maxRows } }));
        if (out.data(res)) return;
        const cols = res.columns.map((c) => c.name);
        out.table(
          cols,
          res.rows.map((r) => cols.map((c) => show(r[c]))),
        );
        out.line(
          out.color.dim(
            `${res.rowCount} row(s)${res.truncated ? ' (truncated)' : ''} in ${res.elapsedMs} ms`,
          ),
        );
      }),
    );
}
