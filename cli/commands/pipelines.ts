// `ferry pipelines ls|show|apply|diff|delete`: pipelines as code. `apply -f DIR` registers every spec in
// the folder, idempotently (an unchanged spec makes no new version), and prints a plan.
import type { Command } from 'commander';
import type { paths } from '../../core/contracts/http-api.js';
import { rawRequest, unwrap, type Connection } from '../client.js';
import { withContext } from '../context.js';
import { show, when, type Output } from '../render.js';
import type { CliSettings } from '../settings.js';
import { readSpecFiles, sourceOf, type SpecFile } from '../spec-files.js';

/** What applying one spec did (or, with --dry-run, would do). */
interface ApplyResult {
  pipeline: string;
  file: string;
  outcome: 'created' | 'changed' | 'unchanged' | 'deleted';
  changedFields: string[];
  specHash: string | null;
  warnings: string[];
  source: { commit: string; path: string } | null;
}

/** The PUT's answer: the record plus the outcome, changed fields and warnings of pipelines as code. */
type PutAnswer = paths['/v1/pipelines/{pipeline}']['put']['responses'][200]['content']['application/json'];

async function putSpec(
  conn: Connection,
  f: SpecFile,
  dryRun: boolean,
): Promise<{ result: ApplyResult; record: PutAnswer }> {
  const source = await sourceOf(f.path);
  const answer = (await rawRequest(
    conn,
    'PUT',
    `/v1/pipelines/${encodeURIComponent(f.name)}${dryRun ? '?dryRun=true' : ''}`,
    {
      body: JSON.stringify(f.spec),
      headers: {
        'content-type': 'application/json',
        ...(source ? { 'ferry-source-commit': source.commit, 'ferry-source-path': source.path } : {}),
      },
    },
  )) as PutAnswer;
  const result: ApplyResult = {
    pipeline: f.name,
    file: f.path,
    outcome: answer.outcome,
    changedFields: answer.changedFields,
    specHash: answer.specHash,
    warnings: answer.warnings ?? [],
    source: source ?? null,
  };
  return { result, record: answer };
}

function printPlan(out: Output, results: ApplyResult[], dryRun: boolean): void {
  const c = out.color;
  const mark = { created: c.green('+'), changed: c.yellow('~'), unchanged: ' ', deleted: c.red('-') };
  for (const r of results) {
    const verb = dryRun
      ? { created: 'would create', changed: 'would change', unchanged: 'unchanged', deleted: 'would delete' }[
          r.outcome
        ]
      : r.outcome;
    const fields = r.changedFields.length ? `: ${r.changedFields.join(', ')}` : '';
    out.line(
      `${mark[r.outcome]} ${r.pipeline} ${verb}${r.outcome === 'changed' ? fields : ''}${r.file ? c.dim(`  (${r.file})`) : ''}`,
    );
    for (const w of r.warnings) out.line(`    ${c.yellow('warning')}: ${w}`);
  }
  const count = (o: ApplyResult['outcome']) => results.filter((r) => r.outcome === o).length;
  out.line(
    `${dryRun ? 'plan' : 'applied'}: ${count('created')} created, ${count('changed')} changed, ${count('unchanged')} unchanged, ${count('deleted')} deleted`,
  );
}

/** Dotted path's value in a nested object, for showing old → new. */
function at(obj: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined),
      obj,
    );
}

export function registerPipelines(program: Command, settings: CliSettings): void {
  const pipelines = program
    .command('pipelines')
    .description('pipeline specs: list, show, apply from files, diff, delete');

  pipelines
    .command('ls')
    .description('list registered pipelines')
    .action(
      withContext(settings, async ({ out, api }) => {
        const res = unwrap(await api.GET('/v1/pipelines'));
        if (out.data(res)) return;
        out.table(
          ['NAME', 'MODEL', 'DATASET', 'TASK', 'SPEC', 'UPDATED', 'BY'],
          res.pipelines.map((p) => {
            const s = p.spec as { model?: string; task?: string; dataset?: { name?: string } };
            return [
              p.name,
              s.model,
              s.dataset?.name,
              s.task,
              p.specHash.slice(0, 12),
              when(p.updatedAt),
              p.updatedBy,
            ];
          }),
        );
      }),
    );

  pipelines
    .command('show')
    .description("a pipeline's current spec (YAML; --json for the record)")
    .argument('<pipeline>')
    .action(
      withContext(settings, async ({ out, api }, pipeline: string) => {
        const res = unwrap(await api.GET('/v1/pipelines/{pipeline}', { params: { path: { pipeline } } }));
        if (out.data(res)) return;
        out.line(
          out.color.dim(
            `# ${res.name} · spec ${res.specHash.slice(0, 12)} · ${when(res.updatedAt)} by ${res.updatedBy}`,
          ),
        );
        const { stringify } = await import('yaml');
        out.line(stringify(res.spec).trimEnd());
      }),
    );

  pipelines
    .command('apply')
    .description('register every spec in a file or folder; an unchanged spec makes no new version')
    .requiredOption('-f, --file <path>', 'a spec file (.yaml/.yml/.json) or a folder of them')
    .option('--dry-run', 'check everything and print the plan, store nothing')
    .option('--prune', 'delete registered pipelines that have no file in the folder')
    .addHelpText(
      'after',
      '\nExamples:\n  $ ferry pipelines apply -f pipelines/\n  $ ferry pipelines apply -f pipelines/churn.yaml --dry-run\n',
    )
    .action(
      withContext(
        settings,
        async ({ out, api, conn }, opts: { file: string; dryRun?: boolean; prune?: boolean }) => {
          const files = await readSpecFiles(opts.file);
          const results: ApplyResult[] = [];
          for (const f of files) results.push((await putSpec(conn, f, Boolean(opts.dryRun))).result);
          if (opts.prune) {
            const names = new Set(files.map((f) => f.name));
            const registered = unwrap(await api.GET('/v1/pipelines')).pipelines;
            for (const p of registered.filter((r) => !names.has(r.name))) {
              if (!opts.dryRun)
                unwrap(
                  await api.DELETE('/v1/pipelines/{pipeline}', { params: { path: { pipeline: p.name } } }),
                );
              results.push({
                pipeline: p.name,
                file: '',
                outcome: 'deleted',
                changedFields: [],
                specHash: p.specHash,
                warnings: [],
                source: null,
              });
            }
          }
          if (out.data({ dryRun: Boolean(opts.dryRun), results })) return;
          printPlan(out, results, Boolean(opts.dryRun));
        },
      ),
    );

  pipelines
    .command('diff')
    .description('what applying the specs would change, field by field (nothing is stored)')
    .requiredOption('-f, --file <path>', 'a spec file or a folder of them')
    .action(
      withContext(settings, async ({ out, api, conn }, opts: { file: string }) => {
        const diffs = [];
        for (const f of await readSpecFiles(opts.file)) {
          const current = await api
            .GET('/v1/pipelines/{pipeline}', { params: { path: { pipeline: f.name } } })
            .then((r) => (r.response.status === 404 ? undefined : unwrap(r)));
          const { result: planned, record: after } = await putSpec(conn, f, true);
          diffs.push({
            pipeline: f.name,
            file: f.path,
            outcome: planned.outcome,
            changes: planned.changedFields.map((field) => ({
              field,
              from: current ? (at(current.spec, field) ?? null) : null,
              to: at(after.spec, field) ?? null,
            })),
          });
        }
        if (out.data({ diffs })) return;
        for (const d of diffs) {
          out.line(`${out.color.bold(d.pipeline)} ${d.outcome}${out.color.dim(`  (${d.file})`)}`);
          for (const ch of d.changes)
            out.line(`  ${ch.field}: ${out.color.red(show(ch.from))} → ${out.color.green(show(ch.to))}`);
        }
      }),
    );

  pipelines
    .command('versions')
    .description("a pipeline's spec history, newest first: who changed it when, from which commit")
    .argument('<pipeline>')
    .action(
      withContext(settings, async ({ out, api }, pipeline: string) => {
        const res = unwrap(
          await api.GET('/v1/pipelines/{pipeline}/versions', { params: { path: { pipeline } } }),
        );
        if (out.data(res)) return;
        out.table(
          ['SPEC', 'UPDATED', 'BY', 'COMMIT', 'FILE', 'PRIVILEGED BY'],
          res.versions.map((v) => [
            v.specHash.slice(0, 12),
            when(v.updatedAt),
            v.updatedBy,
            v.source?.commit.slice(0, 12),
            v.source?.path,
            v.privilegedBy,
          ]),
        );
      }),
    );

  pipelines
    .command('delete')
    .description('delete a pipeline and its schedule (its runs and models stay)')
    .argument('<pipeline>')
    .action(
      withContext(settings, async ({ out, api }, pipeline: string) => {
        unwrap(await api.DELETE('/v1/pipelines/{pipeline}', { params: { path: { pipeline } } }));
        if (out.data({ pipeline, deleted: true })) return;
        out.line(`deleted pipeline ${pipeline} (its runs and models stay)`);
      }),
    );
}
