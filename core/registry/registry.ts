// The model registry in object storage. Versions are claimed with conditional writes
// (If-None-Match: *), so concurrent registrations of one model get distinct, gapless numbers and a
// retried registration finds the version it already claimed; aliases change by compare-and-swap
// on their ETag (If-Match), so no alias update is lost.
import { FailureType, typedError } from '../errors.js';
import { randomUUID } from 'node:crypto';
import { keys as objectKeys } from '../storage/keys.js';
import type { ObjectStore } from '../storage/object-store.js';
import { ifFound, landed } from '../storage/errors.js';
import type { ApprovalDecision, ModelInputSchema, RegisterModelInput } from '../contracts/index.js';

/** `rejected` at registration means it failed evaluation; a person's decision is kept beside it. */
export type RegistrationStatus = 'candidate' | 'rejected';

/**
 * Where a version is in its life: candidate → champion → retired (a newer champion replaced it) or
 * rolled-back (a rollback replaced it, or its rollout failed a guard); rejected by evaluation or a person.
 */
export const VersionStatus = {
  Candidate: 'candidate',
  Champion: 'champion',
  Retired: 'retired',
  Rejected: 'rejected',
  RolledBack: 'rolled-back',
} as const;
export type VersionStatus = (typeof VersionStatus)[keyof typeof VersionStatus];

/** A recorded approval decision on a version (first one wins). */
export type VersionDecision = Omit<ApprovalDecision, 'via'> & { runId: string };

/** Everything needed to reproduce and audit a version: the registration's inputs of that kind, and more. */
export interface Lineage extends Pick<
  RegisterModelInput,
  'datasetSha' | 'specHash' | 'baseSpecHash' | 'overrides' | 'codeRevision' | 'runId'
> {
  datasetName: string;
  backend: string;
  seeds: { split: number; training: number };
}

/** An immutable model version. */
export interface ModelVersion {
  model: string;
  version: number;
  /** As registered; the lifecycle status is derived (see `statuses`). */
  status: RegistrationStatus;
  createdAt: string;
  /** Object keys of the tfjs model files, preprocessing state and reports. */
  artifacts: {
    modelPrefix: string;
    preprocessingKey: string;
    evaluationKey: string;
    cardKey: string;
    validationKey: string;
  };
  metrics: Record<string, number>;
  lineage: Lineage;
  inputSchema: ModelInputSchema;
  rejectionReasons?: string[];
}

/** How an alias change came about: a promotion (a run, a person) or a rollback to an earlier version. */
export type AliasChangeKind = 'promotion' | 'rollback';

export interface AliasState {
  aliases: Record<string, number>;
  updatedAt: string;
  /**
   * Versions the champion alias moved away from, and how. Kept in the same object as the aliases so
   * one compare-and-swap moves both versions' status: it cannot disagree with the alias after a crash.
   */
  displaced?: Record<string, { kind: AliasChangeKind; toVersion: number; at: string }>;
  /** The latest change and its history key, written with the state so a crash before the history write is repaired. */
  lastChange?: { key: string; change: AliasChange };
}

/** One alias change, as appended to the model's history. */
export interface AliasChange {
  model: string;
  alias: string;
  version: number;
  fromVersion: number | null;
  actor: string;
  reason: string;
  runId?: string;
  kind?: AliasChangeKind;
  at: string;
}

/** How a version's rollout ended, when it did not become champion. */
export interface RolloutOutcome {
  outcome: 'rolled-back';
  reason: string;
  guards: unknown;
  runId: string;
  at: string;
}

/** Thrown when a model or version does not exist. */
export class ModelNotFoundError extends typedError(FailureType.NotFound) {
  override readonly code: 'model-not-found' | 'version-not-found';
  constructor(
    readonly model: string,
    readonly version?: number,
  ) {
    super(
      version === undefined ? `model "${model}" not found` : `model "${model}" has no version ${version}`,
    );
    this.code = version === undefined ? 'model-not-found' : 'version-not-found';
  }
}

/** Thrown when an alias cannot point at a version (e.g. a rejected candidate as champion). */
export class RegistryConflictError extends typedError(FailureType.Conflict) {}

/** A version's lifecycle status from its records; the live champion alias wins over history. */
export function lifecycleStatus(
  v: Pick<ModelVersion, 'version' | 'status'>,
  aliases: AliasState,
  decision: VersionDecision | undefined,
  rollout: RolloutOutcome | undefined,
): VersionStatus {
  if (aliases.aliases.champion === v.version) return VersionStatus.Champion;
  if (v.status === 'rejected' || decision?.decision === 'reject') return VersionStatus.Rejected;
  const displaced = aliases.displaced?.[String(v.version)];
  if (rollout || displaced?.kind === 'rollback') return VersionStatus.RolledBack;
  if (displaced) return VersionStatus.Retired;
  return VersionStatus.Candidate;
}

export type NewVersion = Omit<ModelVersion, 'version' | 'createdAt'>;

/** Where two writers met on one record: a version number, an alias or a decision. */
export type RegistryConflict = 'version-number' | 'alias' | 'decision';

export function createRegistry(deps: {
  store: ObjectStore;
  now?: () => Date;
  /** Told of every lost conditional write and refused second decision (a metric counts them). */
  onConflict?: (kind: RegistryConflict) => void;
}) {
  const { store } = deps;
  const now = deps.now ?? (() => new Date());
  const conflict = deps.onConflict ?? (() => undefined);

  async function versionNumbers(model: string): Promise<number[]> {
    const keys = await store.list(objectKeys.model(model).versions);
    return keys
      .map((k) => objectKeys.parseModelVersionManifest(k.key)?.version)
      .filter((v): v is number => v !== undefined)
      .sort((a, b) => a - b);
  }

  async function getVersion(model: string, version: number): Promise<ModelVersion> {
    const manifest = await ifFound(
      store.getJson<ModelVersion>(objectKeys.modelVersion(model, version).manifest),
    );
    if (manifest === undefined) throw new ModelNotFoundError(model, version);
    return manifest;
  }

  /** A version this run already claimed (a retried or crashed registration), if any. */
  async function findByRun(model: string, runId: string): Promise<ModelVersion | undefined> {
    const claim = await ifFound(store.getJson<{ version: number }>(objectKeys.model(model).byRun(runId)));
    if (claim !== undefined) return getVersion(model, claim.version);
    // The claim may have landed without its marker (crash in between): scan newest first.
    for (const v of (await versionNumbers(model)).reverse()) {
      const manifest = await getVersion(model, v);
      if (manifest.lineage.runId === runId) {
        await store.putJson(objectKeys.model(model).byRun(runId), { version: v });
        return manifest;
      }
    }
    return undefined;
  }

  async function getDecision(model: string, version: number): Promise<VersionDecision | undefined> {
    return ifFound(store.getJson<VersionDecision>(objectKeys.modelVersion(model, version).decision));
  }

  async function rolloutOutcome(model: string, version: number): Promise<RolloutOutcome | undefined> {
    return ifFound(store.getJson<RolloutOutcome>(objectKeys.modelVersion(model, version).rollout));
  }

  async function listVersions(model: string): Promise<ModelVersion[]> {
    return Promise.all((await versionNumbers(model)).map((v) => getVersion(model, v)));
  }

  async function readAliases(model: string): Promise<{ state: AliasState; etag?: string }> {
    const found = await ifFound(store.getJsonWithEtag<AliasState>(objectKeys.model(model).aliases));
    if (found) return { state: found.value, etag: found.etag };
    return { state: { aliases: {}, updatedAt: now().toISOString() } };
  }

  /** Writes a change's history entry under its key chosen before the CAS; writing it again is harmless. */
  async function ensureHistory(last: { key: string; change: AliasChange }): Promise<void> {
    await landed(store.putJson(last.key, last.change, { ifAbsent: true }));
  }

  return {
    /** Registers a version exactly once per run: same run → same version, concurrent runs → next free numbers. */
    async registerVersion(entry: NewVersion): Promise<{ version: ModelVersion; created: boolean }> {
      const existing = await findByRun(entry.model, entry.lineage.runId);
      if (existing) return { version: existing, created: false };
      const byRunKey = objectKeys.model(entry.model).byRun(entry.lineage.runId);
      let next = ((await versionNumbers(entry.model)).at(-1) ?? 0) + 1;
      for (;;) {
        const manifest: ModelVersion = { ...entry, version: next, createdAt: now().toISOString() };
        const manifestKey = objectKeys.modelVersion(entry.model, next).manifest;
        // A lost race can be our own earlier PUT whose answer was lost (the SDK retried it): then the
        // version is ours and must not be claimed twice. Otherwise someone else took `next`.
        const won = await landed(store.putJson(manifestKey, manifest, { ifAbsent: true }));
        const mine = won ? manifest : await getVersion(entry.model, next);
        if (won || mine.lineage.runId === entry.lineage.runId) {
          await store.putJson(byRunKey, { version: next });
          return { version: mine, created: true };
        }
        conflict('version-number');
        next += 1;
      }
    },

    getVersion,
    findByRun,

    /** Records the first decision on a version; a repeat of the same run's decision is a no-op. */
    async recordDecision(
      model: string,
      version: number,
      decision: VersionDecision,
    ): Promise<VersionDecision> {
      await getVersion(model, version);
      const key = objectKeys.modelVersion(model, version).decision;
      if (await landed(store.putJson(key, decision, { ifAbsent: true }))) return decision;
      const existing = await store.getJson<VersionDecision>(key);
      if (existing.runId === decision.runId && existing.decision === decision.decision) return existing;
      conflict('decision');
      throw new RegistryConflictError(
        `version ${version} of "${model}" was already decided: ${existing.decision} by ${existing.by}`,
      );
    },

    decision: getDecision,

    /** Records that a version was rolled back (with the guard that failed); the version stays registered. */
    async recordRolloutOutcome(model: string, version: number, outcome: RolloutOutcome): Promise<void> {
      await getVersion(model, version);
      await store.putJson(objectKeys.modelVersion(model, version).rollout, outcome);
    },

    rolloutOutcome,
    listVersions,

    async listModels(): Promise<string[]> {
      const keys = await store.list(objectKeys.models);
      return [
        ...new Set(keys.map((k) => objectKeys.modelOfKey(k.key)).filter((m) => m !== undefined)),
      ].sort();
    },

    async aliases(model: string): Promise<Record<string, number>> {
      return (await readAliases(model)).state.aliases;
    },

    /** Points an alias at a version with compare-and-swap, and appends the change to the history. */
    async setAlias(change: Omit<AliasChange, 'fromVersion' | 'at'>): Promise<AliasChange> {
      const target = await getVersion(change.model, change.version);
      const decision = await getDecision(change.model, change.version);
      if (target.status === 'rejected' || decision?.decision === 'reject')
        throw new RegistryConflictError(
          `version ${change.version} of "${change.model}" was rejected and cannot become ${change.alias}`,
        );
      for (;;) {
        const { state, etag } = await readAliases(change.model);
        // The previous change's history entry may be missing (crash after its CAS): write it first.
        if (state.lastChange) await ensureHistory(state.lastChange);
        const fromVersion = state.aliases[change.alias] ?? null;
        const at = now().toISOString();
        const record: AliasChange = { ...change, fromVersion, at };
        if (fromVersion === change.version) {
          const last = state.lastChange?.change;
          // A retry of the change that already landed answers with that change, not a no-op.
          const sameRun = change.runId !== undefined && last?.runId === change.runId;
          return last && sameRun && last.alias === change.alias && last.version === change.version
            ? last
            : record;
        }
        const displaced = { ...state.displaced };
        if (change.alias === 'champion') {
          delete displaced[String(change.version)];
          if (fromVersion !== null)
            displaced[String(fromVersion)] = {
              kind: change.kind ?? 'promotion',
              toVersion: change.version,
              at,
            };
        }
        const lastChange = {
          key: objectKeys.model(change.model).historyEntry(at, randomUUID()),
          change: record,
        };
        const next: AliasState = {
          aliases: { ...state.aliases, [change.alias]: change.version },
          updatedAt: at,
          ...(Object.keys(displaced).length > 0 ? { displaced } : {}),
          lastChange,
        };
        const condition = etag ? { ifMatch: etag } : { ifAbsent: true };
        if (!(await landed(store.putJson(objectKeys.model(change.model).aliases, next, condition)))) {
          conflict('alias');
          continue;
        }
        await ensureHistory(lastChange);
        return record;
      }
    },

    /**
     * Every version's lifecycle status, derived from the records that change only by conditional
     * writes (aliases with their displaced versions, the first decision, the rollout outcome).
     */
    async statuses(model: string, versions?: readonly ModelVersion[]): Promise<Map<number, VersionStatus>> {
      const list = versions ?? (await listVersions(model));
      const { state } = await readAliases(model);
      const out = new Map<number, VersionStatus>();
      await Promise.all(
        list.map(async (v) => {
          const [decision, rollout] = await Promise.all([
            getDecision(model, v.version),
            rolloutOutcome(model, v.version),
          ]);
          out.set(v.version, lifecycleStatus(v, state, decision, rollout));
        }),
      );
      return out;
    },

    /** Every alias change of the model, oldest first. */
    async aliasHistory(model: string): Promise<AliasChange[]> {
      const keys = (await store.list(objectKeys.model(model).history)).map((k) => k.key).sort();
      return Promise.all(keys.map((k) => store.getJson<AliasChange>(k)));
    },
  };
}

export type Registry = ReturnType<typeof createRegistry>;
