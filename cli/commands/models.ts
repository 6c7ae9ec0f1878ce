// `ferry models ls|show|versions|card|history|rollback`: the registry — what serves, every version with
// its numbers, model cards, and who promoted or rolled back what when.
import type { Command } from 'commander';
import { unwrap } from '../client.js';
import { withContext } from '../context.js';
import { parsePositiveInt } from '../duration.js';
import { fmt, when } from '../render.js';
import type { CliSettings } from '../settings.js';

const metricsText = (m: Record<string, number>) =>
  Object.entries(m)
    .map(([k, v]) => `${k}=${fmt(v)}`)
    .join(' ');

export function registerModels(program: Command, settings: CliSettings): void {
  const models = program
    .command('models')
    .description('registered models, versions, cards, history, rollback');

  models
    .command('ls')
    .description('list models with their champion')
    .action(
      withContext(settings, async ({ out, api }) => {
        const res = unwrap(await api.GET('/v1/models'));
        if (out.data(res)) return;
        out.table(
          ['MODEL', 'CHAMPION', 'LATEST', 'VERSIONS'],
          res.models.map((m) => [
            m.model,
            m.champion !== null ? `v${m.champion}` : null,
            m.latestVersion,
            m.versionCount,
          ]),
        );
      }),
    );

  models
    .command('show')
    .description('a model: its aliases and versions')
    .argument('<model>')
    .action(
      withContext(settings, async ({ out, api }, model: string) => {
        const m = unwrap(await api.GET('/v1/models/{model}', { params: { path: { model } } }));
        if (out.data(m)) return;
        out.fields([
          ['model', m.model],
          ['aliases', Object.entries(m.aliases).map(([a, v]) => `${a}=v${v}`)],
        ]);
        out.line();
        out.table(
          ['VERSION', 'STATUS', 'METRICS', 'CREATED', 'DECISION'],
          m.versions.map((v) => [
            v.version,
            v.status,
            metricsText(v.metrics),
            when(v.createdAt),
            v.decision ? `${v.decision.decision} by ${v.decision.by}` : null,
          ]),
        );
      }),
    );

  models
    .command('versions')
    .description("a model's versions, newest first")
    .argument('<model>')
    .action(
      withContext(settings, async ({ out, api }, model: string) => {
        const m = unwrap(await api.GET('/v1/models/{model}', { params: { path: { model } } }));
        const versions = [...m.versions].sort((a, b) => b.version - a.version);
        if (out.data({ model: m.model, versions })) return;
        out.table(
          ['VERSION', 'STATUS', 'METRICS', 'DATASET', 'RUN', 'CREATED'],
          versions.map((v) => [
            v.version,
            v.status,
            metricsText(v.metrics),
            v.datasetSha.slice(0, 12),
            v.runId,
            when(v.createdAt),
          ]),
        );
      }),
    );

  models
    .command('card')
    .description("a version's model card (markdown), with its lineage")
    .argument('<model>')
    .argument('<version>', 'version number', parsePositiveInt)
    .action(
      withContext(settings, async ({ out, api }, model: string, version: number) => {
        const v = unwrap(
          await api.GET('/v1/models/{model}/versions/{version}', { params: { path: { model, version } } }),
        );
        if (out.data(v)) return;
        out.line(v.modelCard ?? `(no model card for ${model} v${version})`);
      }),
    );

  models
    .command('history')
    .description('what served when: every promotion and rollback, by whom, against which numbers')
    .argument('<model>')
    .action(
      withContext(settings, async ({ out, api }, model: string) => {
        const m = unwrap(await api.GET('/v1/models/{model}', { params: { path: { model } } }));
        const byVersion = new Map(m.versions.map((v) => [v.version, v]));
        const history = m.history.map((h) => ({
          ...h,
          metrics: byVersion.get(h.version)?.metrics ?? null,
          decision: byVersion.get(h.version)?.decision ?? null,
        }));
        if (out.data({ model: m.model, history })) return;
        out.table(
          ['AT', 'ALIAS', 'CHANGE', 'KIND', 'BY', 'APPROVED BY', 'METRICS', 'REASON'],
          history.map((h) => [
            when(h.at),
            h.alias,
            `${h.fromVersion !== null ? `v${h.fromVersion}` : '-'} → v${h.version}`,
            h.kind ?? 'promotion',
            h.actor,
            h.decision?.decision === 'approve' ? h.decision.by : null,
            h.metrics ? metricsText(h.metrics) : null,
            h.reason,
          ]),
        );
      }),
    );

  models
    .command('rollback')
    .description('make an earlier version the champion again (serving switches at once)')
    .argument('<model>')
    .requiredOption('--to <version>', 'the version to serve', parsePositiveInt)
    .requiredOption('-m, --message <reason>', 'why (kept in the history and the audit log)')
    .addHelpText(
      'after',
      '\nExample:\n  $ ferry models rollback churn --to 1 -m "v2 misclassifies the new region"\n',
    )
    .action(
      withContext(settings, async ({ out, api }, model: string, o: { to: number; message: string }) => {
        const r = unwrap(
          await api.POST('/v1/models/{model}/rollback', {
            params: { path: { model } },
            body: { toVersion: o.to, reason: o.message },
          }),
        );
        if (out.data(r)) return;
        out.line(
          `rolled back ${r.model}: champion v${r.fromVersion ?? '-'} → v${r.champion} at ${when(r.at)}`,
        );
      }),
    );
}
