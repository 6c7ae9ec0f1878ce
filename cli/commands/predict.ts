// `ferry predict MODEL --row '{…}' | --file rows.jsonl`: ask the model's serving for predictions.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { unwrap } from '../client.js';
import { withContext } from '../context.js';
import { UsageError } from '../errors.js';
import { fmt } from '../render.js';
import type { CliSettings } from '../settings.js';

type Row = Record<string, string | number | null>;

function parseRow(text: string, where: string): Row {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${where}: not JSON (${(err as Error).message})`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v))
    throw new UsageError(`${where}: must be a JSON object of feature → value`);
  return v as Row;
}

export function registerPredict(program: Command, settings: CliSettings): void {
  program
    .command('predict')
    .description("predictions from a model's deployed version (one row, or a JSON-lines file of up to 1000)")
    .argument('<model>')
    .option('--row <json>', 'one row as a JSON object, e.g. \'{"tenure_months": 3, "plan": "basic"}\'')
    .option('--file <path>', 'rows, one JSON object per line')
    .option('--request-key <key>', 'pin this caller to one version while traffic weights stay the same')
    .addHelpText(
      'after',
      `\nExamples:\n  $ ferry predict churn --row '{"tenure_months": 3, "plan": "basic", "monthly_charges": 70}'\n  $ ferry predict churn --file rows.jsonl --json\n`,
    )
    .action(
      withContext(
        settings,
        async ({ out, api }, model: string, o: { row?: string; file?: string; requestKey?: string }) => {
          if (!o.row === !o.file) throw new UsageError('give exactly one of --row JSON or --file rows.jsonl');
          const rows = o.row
            ? [parseRow(o.row, '--row')]
            : (await readFile(o.file!, 'utf8'))
                .split('\n')
                .map((l, i) => [l, i] as const)
                .filter(([l]) => l.trim() !== '')
                .map(([l, i]) => parseRow(l, `${o.file}:${i + 1}`));
          const res = unwrap(
            await api.POST('/v1/models/{model}/predict', {
              params: { path: { model } },
              body: { rows, ...(o.requestKey ? { requestKey: o.requestKey } : {}) },
            }),
          );
          if (out.data(res)) return;
          out.line(out.color.dim(`${res.model} v${res.version}`));
          out.table(
            ['#', 'PREDICTION', 'DETAIL', 'PREDICTION ID'],
            res.predictions.map((p, i) => [
              i + 1,
              p.label ?? (p.value !== undefined ? fmt(p.value) : null),
              p.probabilities
                ? Object.entries(p.probabilities)
                    .map(([k, v]) => `P(${k})=${fmt(v)}`)
                    .join(' ')
                : null,
              p.predictionId,
            ]),
          );
        },
      ),
    );
}
