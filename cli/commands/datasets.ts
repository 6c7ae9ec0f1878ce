// `ferry datasets push|ls|show`: upload a CSV or Parquet file as a snapshot, list datasets, show one.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { extname } from 'node:path';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import type { paths } from '../../core/contracts/http-api.js';
import { rawRequest, unwrap } from '../client.js';
import { withContext } from '../context.js';
import { UsageError } from '../errors.js';
import { when } from '../render.js';
import type { CliSettings } from '../settings.js';

type UploadResult = paths['/v1/datasets/{name}']['post']['responses'][201]['content']['application/json'];
type Manifest = UploadResult['manifest'];

const mediaTypes: Record<string, string> = {
  '.csv': 'text/csv',
  '.parquet': 'application/vnd.apache.parquet',
};

const schemaLine = (m: Manifest) => m.schema.map((c) => `${c.name}:${c.type}`).join(' ');

export function registerDatasets(program: Command, settings: CliSettings): void {
  const datasets = program.command('datasets').description('upload and inspect datasets');

  datasets
    .command('push')
    .description(
      'upload a CSV or Parquet file as a new snapshot of a dataset (the same bytes again: same snapshot)',
    )
    .argument('<file>', 'a .csv (with a header row) or .parquet file')
    .requiredOption('--name <name>', 'dataset name (lowercase letters, digits, - and _)')
    .addHelpText('after', '\nExamples:\n  $ ferry datasets push data/churn.csv --name churn\n')
    .action(
      withContext(settings, async ({ out, conn }, file: string, opts: { name: string }) => {
        const type = mediaTypes[extname(file).toLowerCase()];
        if (!type) throw new UsageError(`${file}: must end in .csv or .parquet (the upload's format)`);
        const size = await stat(file).then(
          (s) => s.size,
          () => {
            throw new UsageError(`${file}: no such file`);
          },
        );
        // A progress bar on a terminal for files worth watching; plain logs get the result line only.
        const bar =
          out.tty && !out.json && size > 1 << 20
            ? new cliProgress.SingleBar(
                { format: 'uploading [{bar}] {percentage}% {value}/{total} bytes', stream: process.stderr },
                cliProgress.Presets.shades_classic,
              )
            : undefined;
        bar?.start(size, 0);
        let sent = 0;
        const counting = new Transform({
          transform(chunk: Buffer, _enc, done) {
            sent += chunk.length;
            bar?.update(sent);
            done(null, chunk);
          },
        });
        const body = Readable.toWeb(createReadStream(file).pipe(counting)) as ReadableStream;
        let result: UploadResult;
        try {
          result = (await rawRequest(conn, 'POST', `/v1/datasets/${encodeURIComponent(opts.name)}`, {
            body,
            duplex: 'half',
            headers: { 'content-type': type },
          })) as UploadResult;
        } finally {
          bar?.stop();
        }
        if (out.data(result)) return;
        const m = result.manifest;
        out.line(
          `${result.created ? 'created' : 'unchanged (same bytes as an existing snapshot)'}: ${m.name} ${m.sha256.slice(0, 12)} — ${m.rowCount} rows, ${m.schema.length} columns`,
        );
        out.line(`columns: ${schemaLine(m)}`);
      }),
    );

  datasets
    .command('ls')
    .description('list datasets and their latest snapshot')
    .action(
      withContext(settings, async ({ out, api }) => {
        const res = unwrap(await api.GET('/v1/datasets'));
        if (out.data(res)) return;
        out.table(
          ['NAME', 'LATEST', 'ROWS', 'COLUMNS', 'FORMAT', 'CREATED'],
          res.datasets.map((d: { name: string; latest: Manifest }) => [
            d.name,
            d.latest.sha256.slice(0, 12),
            d.latest.rowCount,
            d.latest.schema.length,
            d.latest.sourceFormat,
            when(d.latest.createdAt),
          ]),
        );
      }),
    );

  datasets
    .command('show')
    .description("a dataset's latest snapshot (schema) and its snapshots, newest first")
    .argument('<name>')
    .action(
      withContext(settings, async ({ out, api }, name: string) => {
        const res = unwrap(await api.GET('/v1/datasets/{name}', { params: { path: { name } } }));
        if (out.data(res)) return;
        const m = res.latest;
        out.fields([
          ['dataset', res.name],
          ['latest', m.sha256],
          ['rows', m.rowCount],
          ['format', m.sourceFormat],
          ['created', when(m.createdAt)],
          ['source', m.source],
        ]);
        out.line();
        out.table(
          ['COLUMN', 'TYPE'],
          m.schema.map((c) => [c.name, c.type]),
        );
        out.line();
        out.table(
          ['SNAPSHOT', 'ROWS', 'BYTES', 'CREATED'],
          res.snapshots.map((s) => [s.sha256.slice(0, 12), s.rowCount, s.bytes, when(s.createdAt)]),
        );
      }),
    );
}
