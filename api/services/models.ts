// The model registry as the API sees it: models, versions with their decisions and model cards,
// aliases with their history, and an admin's rollback of the champion. The shapes of its answers are
// the route schemas' (api/routes/models.ts), which the type provider checks them against.
import type { Identity } from '../../core/auth/tokens.js';
import {
  ModelNotFoundError,
  RegistryConflictError,
  type AliasChange,
  type ModelVersion,
  type Registry,
} from '../../core/registry/registry.js';
import { ObjectNotFoundError } from '../../core/storage/errors.js';
import { keys } from '../../core/storage/keys.js';
import { appendRegistryEvent } from '../../core/warehouse/store.js';
import { InvalidDeploymentError } from '../../core/serving/errors.js';
import type { ApiDeps } from '../deps.js';
import { AlreadyChampionError, VersionRejectedError } from './errors.js';

/** Runs `fn` over `items` with at most `limit` in flight, keeping order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i]!);
    }),
  );
  return out;
}

/** An alias change, with `runId` null when a person (not a run) made it. */
const viewChange = (c: AliasChange) => ({ ...c, runId: c.runId ?? null });

/** Versions are gapless from 1, so a model exists exactly when its version 1 does. */
export async function requireModel(registry: Registry, model: string): Promise<void> {
  try {
    await registry.getVersion(model, 1);
  } catch (err) {
    // Said of the model, not of its version 1.
    if (err instanceof ModelNotFoundError) throw new ModelNotFoundError(model);
    throw err;
  }
}

export function createModelsService(deps: ApiDeps) {
  const { registry } = deps;

  async function requireVersion(model: string, version: number): Promise<ModelVersion> {
    try {
      return await registry.getVersion(model, version);
    } catch (err) {
      if (!(err instanceof ModelNotFoundError)) throw err;
      await requireModel(registry, model);
      throw new ModelNotFoundError(model, version);
    }
  }

  return {
    async list() {
      const versions = new Map<string, number[]>();
      // One listing counts every model's versions, where asking the registry would read every manifest.
      for (const { key } of await deps.store.list(keys.models)) {
        const m = keys.parseModelVersionManifest(key);
        if (m) versions.set(m.model, [...(versions.get(m.model) ?? []), m.version]);
      }
      const names = [...versions.keys()].sort();
      const models = await mapLimit(names, 16, async (model) => {
        const numbers = versions.get(model)!;
        return {
          model,
          champion: (await registry.aliases(model)).champion ?? null,
          versionCount: numbers.length,
          latestVersion: Math.max(...numbers),
        };
      });
      return { models };
    },

    async get(model: string) {
      await requireModel(registry, model);
      const [versions, aliases, history] = await Promise.all([
        registry.listVersions(model),
        registry.aliases(model),
        registry.aliasHistory(model),
      ]);
      const [decisions, statuses] = await Promise.all([
        mapLimit(versions, 16, (v) => registry.decision(model, v.version)),
        registry.statuses(model, versions),
      ]);
      return {
        model,
        aliases,
        versions: versions.map((v, i) => ({
          version: v.version,
          status: statuses.get(v.version) ?? v.status,
          metrics: v.metrics,
          createdAt: v.createdAt,
          decision: decisions[i] ?? null,
          datasetSha: v.lineage.datasetSha,
          runId: v.lineage.runId,
        })),
        history: history.map(viewChange),
      };
    },

    async version(model: string, version: number) {
      const manifest = await requireVersion(model, version);
      const [decision, aliases, statuses, modelCard] = await Promise.all([
        registry.decision(model, version),
        registry.aliases(model),
        registry.statuses(model, [manifest]),
        deps.store.get(manifest.artifacts.cardKey).then(
          (b) => b.toString('utf8'),
          (err: unknown) => {
            if (err instanceof ObjectNotFoundError) return null;
            throw err;
          },
        ),
      ]);
      return {
        ...manifest,
        status: statuses.get(version) ?? manifest.status,
        rejectionReasons: manifest.rejectionReasons ?? [],
        decision: decision ?? null,
        aliases: Object.entries(aliases)
          .filter(([, v]) => v === version)
          .map(([alias]) => alias)
          .sort(),
        modelCard,
      };
    },

    /** Points `champion` back at an earlier (or any non-rejected) version and records who did it and why. */
    async rollback(model: string, toVersion: number, reason: string, who: Identity, requestId: string) {
      await requireVersion(model, toVersion);
      const [manifest, decision] = await Promise.all([
        registry.getVersion(model, toVersion),
        registry.decision(model, toVersion),
      ]);
      if (manifest.status === 'rejected' || decision?.decision === 'reject')
        throw new VersionRejectedError(
          model,
          toVersion,
          `version ${toVersion} of "${model}" was rejected and cannot become champion`,
        );
      // Serving first: all traffic to the version within a poll interval, whatever a rollout had set.
      const before = await deps.serving.deployments.get(model).catch(() => undefined);
      const servingChanged = !(
        before &&
        before.routes.length === 1 &&
        before.routes[0]!.version === toVersion &&
        before.shadow.length === 0
      );
      if (servingChanged) {
        try {
          await deps.serving.deployments.set(
            model,
            { routes: [{ version: toVersion, weight: 100 }], shadow: [] },
            { actor: who.name, reason: `rollback: ${reason}` },
          );
        } catch (err) {
          if (err instanceof InvalidDeploymentError)
            throw new VersionRejectedError(model, toVersion, err.message);
          throw err;
        }
      }
      let change: AliasChange;
      try {
        change = await registry.setAlias({
          model,
          alias: 'champion',
          version: toVersion,
          actor: who.name,
          reason,
          kind: 'rollback',
        });
      } catch (err) {
        if (err instanceof RegistryConflictError)
          throw new VersionRejectedError(model, toVersion, err.message);
        throw err;
      }
      if (change.fromVersion === toVersion && !servingChanged)
        throw new AlreadyChampionError(model, toVersion);
      await appendRegistryEvent(
        deps.metrics,
        {
          model,
          version: toVersion,
          event: 'rolled-back',
          alias: 'champion',
          from_version: change.fromVersion,
          actor: who.name,
          reason,
          run_id: null,
          ts: change.at,
        },
        `rollback-${change.at}-${requestId}`,
      );
      return { model, champion: toVersion, fromVersion: change.fromVersion, at: change.at };
    },
  };
}

export type ModelsService = ReturnType<typeof createModelsService>;
