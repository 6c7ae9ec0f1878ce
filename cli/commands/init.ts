// `ferry init --dataset NAME --label COL`: writes a pipeline spec inferred from the dataset's latest
// snapshot (the API's draft-spec: task from the label, categorical columns, validation ranges and
// domains from the profile, defaults for small data), so a CSV gets to a first run without the reference.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { unwrap } from '../client.js';
import { withContext } from '../context.js';
import { UsageError } from '../errors.js';
import type { CliSettings } from '../settings.js';

export function registerInit(program: Command, settings: CliSettings): void {
  program
    .command('init')
    .description("write a pipeline spec (YAML) inferred from an uploaded dataset's schema and profile")
    .requiredOption('--dataset <name>', 'an uploaded dataset (ferry datasets push FILE --name NAME)')
    .option('--label <column>', 'the column to predict (the task follows from its values)')
    .option('--pipeline <name>', 'pipeline name (default: the dataset name)')
    .option('--model <name>', 'model name (default: the pipeline name)')
    .option('-o, --output <file>', 'where to write the spec (default: stdout)')
    .option('--force', 'overwrite the output file if it exists')
    .addHelpText(
      'after',
      '\nExamples:\n  $ ferry init --dataset churn --label churned -o pipelines/churn.yaml\n  $ ferry init --dataset houses --label price --pipeline house-prices\n',
    )
    .action(
      withContext(
        settings,
        async (
          { out, api },
          o: {
            dataset: string;
            label?: string;
            pipeline?: string;
            model?: string;
            output?: string;
            force?: boolean;
          },
        ) => {
          if (!o.label) {
            const ds = unwrap(
              await api.GET('/v1/datasets/{name}', { params: { path: { name: o.dataset } } }),
            );
            throw new UsageError(
              `--label: required, the column to predict; ${o.dataset} has ${ds.latest.schema.map((c) => c.name).join(', ')}`,
            );
          }
          if (o.output && existsSync(o.output) && !o.force)
            throw new UsageError(`-o ${o.output}: exists (--force overwrites it)`);
          const draft = unwrap(
            await api.GET('/v1/datasets/{name}/draft-spec', {
              params: {
                path: { name: o.dataset },
                query: {
                  label: o.label,
                  ...(o.pipeline ? { pipeline: o.pipeline } : {}),
                  ...(o.model ? { model: o.model } : {}),
                },
              },
            }),
          );
          const { stringify } = await import('yaml');
          const notes = draft.notes.map((n) => `# ${n}`).join('\n');
          const yaml =
            `# Pipeline spec drafted by \`ferry init\` from dataset ${o.dataset}; review it, then\n` +
            `# \`ferry pipelines apply -f <this file>\`. Reference: docs/pipeline-spec.md\n` +
            (notes ? `${notes}\n` : '') +
            stringify(draft.spec);
          if (o.output) await writeFile(o.output, yaml);
          if (out.data({ ...draft, output: o.output ?? null })) return;
          if (o.output) {
            out.line(`wrote ${o.output}`);
            for (const n of draft.notes) out.line(`  ${n}`);
            out.line(out.color.dim(`next: ferry pipelines apply -f ${o.output}`));
          } else out.line(yaml.trimEnd());
        },
      ),
    );
}
