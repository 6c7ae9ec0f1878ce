// `ferry run PIPELINE [--wait]` and `ferry runs ls|show|logs|cancel|watch`: start runs, follow them to
// their outcome (the exit code a CI job gates on), and look back at them.
import { Option, type Command } from 'commander';
import type { paths } from '../../core/contracts/http-api.js';
import { unwrap, type ApiClient } from '../client.js';
import { withContext, type CommandContext } from '../context.js';
import { parseDuration, parsePositiveInt } from '../duration.js';
import { ExitCode } from '../exit-codes.js';
import { fmt, when } from '../render.js';
import { runEnd, type RunView, type ValidationReport } from '../run-view.js';
import type { CliSettings } from '../settings.js';
import { failedValidation, watchRun } from '../watch.js';

type TriggerBody = NonNullable<
  paths['/v1/pipelines/{pipeline}/runs']['post']['requestBody']
>['content']['application/json'];
type ListQuery = NonNullable<paths['/v1/runs']['get']['parameters']['query']>;

interface WaitFlags {
  timeout?: number;
  interval: number;
}

const waitOptions = (c: Command) =>
  c
    .option(
      '--timeout <duration>',
      'stop waiting after this long (exit 14; the run goes on), e.g. 30m',
      parseDuration,
    )
    .addOption(
      new Option('--interval <duration>', 'how often to poll the run')
        .argParser(parseDuration)
        .default(2000, '2s'),
    );

/** Epochs the run trains for: the run's override, else its pipeline's spec. */
async function totalEpochs(
  api: ApiClient,
  pipeline: string | null,
  override?: number,
): Promise<number | undefined> {
  if (override) return override;
  if (!pipeline) return undefined;
  const res = await api.GET('/v1/pipelines/{pipeline}', { params: { path: { pipeline } } });
  return (res.data?.spec as { training?: { epochs?: number } } | undefined)?.training?.epochs;
}

/** Follows the run to its end, prints the outcome (or the final view with --json), returns its exit code. */
async function follow(
  ctx: CommandContext,
  runId: string,
  flags: WaitFlags,
  epochs: number | undefined,
): Promise<ExitCode> {
  const { out, api } = ctx;
  const { run, end } = await watchRun(out, api, runId, {
    intervalMs: flags.interval,
    timeoutMs: flags.timeout,
    totalEpochs: epochs,
  });
  if (!out.data({ ...run, exitCode: end.exitCode, summary: end.summary })) {
    out.line(
      end.exitCode === ExitCode.Ok ? out.color.green(`✓ ${end.summary}`) : out.color.red(`✗ ${end.summary}`),
    );
    if (run.metrics)
      out.line(
        `metrics: ${Object.entries(run.metrics)
          .map(([k, v]) => `${k}=${fmt(v)}`)
          .join(' ')}`,
      );
  }
  return end.exitCode;
}

export function registerRun(program: Command, settings: CliSettings): void {
  const run = program
    .command('run')
    .description('start a training run of a pipeline; with --wait, follow it and exit with its outcome')
    .argument('<pipeline>')
    .option('--wait', 'follow the run until it ends; the exit code says how (see docs/cli.md)')
    .addOption(
      new Option('--approval <policy>', 'approval policy for this run').choices([
        'manual',
        'auto',
        'auto-if-better',
      ]),
    )
    .option('--reason <text>', 'why this run (kept with the run and in the audit log)')
    .option('--dataset <name|sha>', "a dataset name (its latest snapshot) or a snapshot's sha256")
    .option('--epochs <n>', "override the spec's training epochs", parsePositiveInt)
    .option('--approval-timeout <duration>', "override the spec's approval timeout, e.g. 2d (ms|s|m|h|d)")
    .option('--idempotency-key <key>', 'the same key again returns the same run instead of a new one');
  waitOptions(run)
    .addHelpText(
      'after',
      `
Examples:
  $ ferry run churn --wait
  $ ferry run churn --approval manual --reason "December data" --wait --timeout 2h
Exit codes with --wait: 0 promoted, 10 validation failed, 11 rejected by evaluation, 12 rejected by
a person, 13 rolled back, 14 timed out, 15 cancelled or failed.`,
    )
    .action(
      withContext(
        settings,
        async (
          ctx,
          pipeline: string,
          o: WaitFlags & {
            wait?: boolean;
            approval?: TriggerBody['approval'];
            reason?: string;
            dataset?: string;
            epochs?: number;
            approvalTimeout?: string;
            idempotencyKey?: string;
          },
        ) => {
          const { out, api } = ctx;
          const body: TriggerBody = {
            ...(o.dataset ? { dataset: o.dataset } : {}),
            ...(o.reason ? { reason: o.reason } : {}),
            ...(o.approval ? { approval: o.approval } : {}),
            ...(o.epochs || o.approvalTimeout
              ? {
                  overrides: {
                    ...(o.epochs ? { training: { epochs: o.epochs } } : {}),
                    ...(o.approvalTimeout ? { approval: { timeout: o.approvalTimeout } } : {}),
                  },
                }
              : {}),
          };
          const started = unwrap(
            await api.POST('/v1/pipelines/{pipeline}/runs', {
              params: {
                path: { pipeline },
                header: o.idempotencyKey ? { 'idempotency-key': o.idempotencyKey } : {},
              },
              body,
            }),
          );
          if (!o.wait) {
            if (out.data(started)) return;
            out.line(`started ${started.runId}`);
            out.line(out.color.dim(`follow it: ferry runs watch ${started.runId}`));
            return;
          }
          if (!out.json) out.line(`started ${started.runId}`);
          return follow(ctx, started.runId, o, await totalEpochs(api, pipeline, o.epochs));
        },
      ),
    );
}

function runFields(r: RunView): [string, unknown][] {
  return [
    ['run', r.runId],
    ['pipeline', r.pipeline],
    ['model', r.model],
    ['status', r.status],
    ['stage', r.stage],
    ['outcome', r.outcome],
    ['trigger', r.trigger ? `${r.trigger} by ${r.triggeredBy ?? '?'}` : null],
    ['dataset', r.datasetSha?.slice(0, 12)],
    ['candidate', r.candidateVersion !== null ? `v${r.candidateVersion}` : null],
    [
      'metrics',
      r.metrics ? Object.fromEntries(Object.entries(r.metrics).map(([k, v]) => [k, fmt(v)])) : null,
    ],
    [
      'validation',
      r.validation
        ? `${r.validation.passed ? 'passed' : 'failed'} (${r.validation.errors} errors, ${r.validation.rowCount} rows)`
        : null,
    ],
    [
      'evaluation',
      r.evaluation
        ? `${r.evaluation.passed ? 'passed' : 'failed'}${r.evaluation.reasons.length ? `: ${r.evaluation.reasons.join('; ')}` : ''}`
        : null,
    ],
    [
      'champion',
      r.evaluation?.championVersion !== null && r.evaluation ? `v${r.evaluation.championVersion}` : null,
    ],
    ['waiting for', r.waitingFor],
    ['deadline', r.approvalDeadline],
    ['decision', r.decision ? `${r.decision.decision} by ${r.decision.by}: ${r.decision.comment}` : null],
    ['failure', r.failure],
    ['rollout', r.rollout],
    ['started', when(r.startedAt)],
    ['closed', when(r.closedAt)],
    ['temporal ui', r.links.temporalUi],
  ];
}

/** One line of `ferry runs report`: how the run ended, its numbers and the evaluation's reasons. */
function reportRow(r: RunView, report: ValidationReport | undefined) {
  const end = runEnd(r, report);
  return {
    pipeline: r.pipeline,
    runId: r.runId,
    outcome: end ? end.summary : `running (${r.stage ?? '-'})`,
    exitCode: end?.exitCode ?? null,
    metrics: r.metrics
      ? Object.entries(r.metrics)
          .map(([k, v]) => `${k}=${fmt(v)}`)
          .join(' ')
      : null,
    evaluation: r.evaluation
      ? `${r.evaluation.passed ? 'passed' : 'failed'}${r.evaluation.championVersion !== null ? ` vs champion v${r.evaluation.championVersion}` : ''}: ${r.evaluation.reasons.join('; ')}`
      : null,
  };
}

export function registerRuns(program: Command, settings: CliSettings): void {
  const runs = program.command('runs').description('list, inspect, follow and cancel runs');

  runs
    .command('ls')
    .description('list runs, newest first')
    .option('--pipeline <name>')
    .option('--model <name>')
    .addOption(
      new Option('--status <status>').choices([
        'RUNNING',
        'COMPLETED',
        'FAILED',
        'CANCELED',
        'TERMINATED',
        'TIMED_OUT',
      ]),
    )
    .addOption(
      new Option('--stage <stage>').choices([
        'validate',
        'train',
        'evaluate',
        'register',
        'approval',
        'rollout',
        'done',
      ]),
    )
    .option('--limit <n>', 'how many runs', parsePositiveInt, 20)
    .action(
      withContext(
        settings,
        async (
          { out, api },
          o: {
            pipeline?: string;
            model?: string;
            status?: ListQuery['status'];
            stage?: ListQuery['stage'];
            limit: number;
          },
        ) => {
          const query: ListQuery = { pageSize: Math.min(o.limit, 200) };
          if (o.pipeline) query.pipeline = o.pipeline;
          if (o.model) query.model = o.model;
          if (o.status) query.status = o.status;
          if (o.stage) query.stage = o.stage;
          const res = unwrap(await api.GET('/v1/runs', { params: { query } }));
          if (out.data(res)) return;
          out.table(
            ['RUN', 'PIPELINE', 'STATUS', 'STAGE', 'TRIGGER', 'STARTED', 'CLOSED'],
            res.runs.map((r) => [
              r.runId,
              r.pipeline,
              r.status,
              r.stage,
              r.trigger,
              when(r.startedAt),
              when(r.closedAt),
            ]),
          );
        },
      ),
    );

  runs
    .command('show')
    .description('a run: status, stage, candidate, metrics, evaluation, what it waits for')
    .argument('<run-id>')
    .action(
      withContext(settings, async ({ out, api }, runId: string) => {
        const r = unwrap(await api.GET('/v1/runs/{runId}', { params: { path: { runId } } }));
        if (out.data(r)) return;
        out.fields(runFields(r));
        const report =
          r.validation && !r.validation.passed
            ? unwrap(await api.GET('/v1/runs/{runId}/validation', { params: { path: { runId } } }))
            : await failedValidation(api, r);
        if (report?.passed === false) {
          out.line();
          out.table(
            ['FAILED CHECK', 'COLUMN', 'SEVERITY', 'MESSAGE'],
            report.checks.filter((c) => !c.passed).map((c) => [c.check, c.column, c.severity, c.message]),
          );
        }
      }),
    );

  const watch = runs
    .command('watch')
    .description('follow a run until it ends (exit code as `ferry run --wait`)')
    .argument('<run-id>');
  waitOptions(watch).action(
    withContext(settings, async (ctx, runId: string, o: WaitFlags) => {
      const r = unwrap(await ctx.api.GET('/v1/runs/{runId}', { params: { path: { runId } } }));
      return follow(ctx, runId, o, await totalEpochs(ctx.api, r.pipeline));
    }),
  );

  runs
    .command('logs')
    .description("a run's timeline: stages, activities and their attempts, decisions, its rollout")
    .argument('<run-id>')
    .option('--limit <n>', 'the newest n events', parsePositiveInt)
    .action(
      withContext(settings, async ({ out, api }, runId: string, o: { limit?: number }) => {
        const res = unwrap(
          await api.GET('/v1/runs/{runId}/events', {
            params: { path: { runId }, query: o.limit ? { limit: o.limit } : {} },
          }),
        );
        if (out.data(res)) return;
        out.table(
          ['AT', 'WORKFLOW', 'EVENT', 'DETAIL'],
          res.events.map((e) => [when(e.at), e.workflow, e.kind, e.detail]),
        );
      }),
    );

  runs
    .command('report')
    .description(
      'an evaluation summary of runs (outcome, metrics, evaluation), as a table or --markdown for a CI job summary',
    )
    .argument('<run-id...>')
    .option('--markdown', 'a GitHub-flavoured markdown table (e.g. >> "$GITHUB_STEP_SUMMARY")')
    .action(
      withContext(settings, async ({ out, api }, runIds: string[], o: { markdown?: boolean }) => {
        const views = [];
        for (const runId of runIds)
          views.push(unwrap(await api.GET('/v1/runs/{runId}', { params: { path: { runId } } })));
        const rows = [];
        for (const r of views) rows.push(reportRow(r, await failedValidation(api, r)));
        if (out.data({ runs: rows })) return;
        const head = ['PIPELINE', 'RUN', 'OUTCOME', 'EXIT', 'METRICS', 'EVALUATION'];
        if (!o.markdown)
          return out.table(
            head,
            rows.map((r) => [r.pipeline, r.runId, r.outcome, r.exitCode, r.metrics, r.evaluation]),
          );
        const cell = (v: unknown) => String(v ?? '-').replaceAll('|', '\\|');
        out.line(`| ${head.map((h) => h.toLowerCase()).join(' | ')} |`);
        out.line(`| ${head.map(() => '---').join(' | ')} |`);
        for (const r of rows)
          out.line(
            `| ${[r.pipeline, r.runId, r.outcome, r.exitCode, r.metrics, r.evaluation].map(cell).join(' | ')} |`,
          );
      }),
    );

  runs
    .command('cancel')
    .description('cancel a running run')
    .argument('<run-id>')
    .action(
      withContext(settings, async ({ out, api }, runId: string) => {
        const res = unwrap(await api.POST('/v1/runs/{runId}/cancel', { params: { path: { runId } } }));
        if (out.data(res)) return;
        out.line(`cancel requested: ${res.runId} (${res.status})`);
      }),
    );
}
