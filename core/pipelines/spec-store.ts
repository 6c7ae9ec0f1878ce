// Registered pipeline specs, versioned by content hash in object storage: the files in pipelines/
// are registered at API start-up, and users register their own through the API.
import { keys as objectKeys } from '../storage/keys.js';
import { FailureType, FerryError } from '../errors.js';
import type { ObjectStore } from '../storage/object-store.js';
import { ObjectNotFoundError, PreconditionFailedError } from '../storage/errors.js';
import type { ApiRole } from '../config.js';
import { specHash } from '../pipeline-spec/load.js';
import {
  assertMayChangePrivileged,
  privilegedChanges,
  type PrivilegedChange,
} from '../pipeline-spec/privileged.js';
import type { PipelineSpec } from '../pipeline-spec/schema.js';
import { changedFields } from '../pipeline-spec/diff.js';

/** The version-control commit (and file in it) a spec version was applied from. */
export interface SpecSource {
  commit: string;
  path: string | null;
}

/** A pipeline's current spec and where it came from. */
export interface PipelineRecord {
  name: string;
  specHash: string;
  spec: PipelineSpec;
  updatedAt: string;
  updatedBy: string;
  /**
   * Who last set or changed a privileged field (approval, thresholds, rollout, webhooks); null while
   * they are at their defaults. Four-eyes keeps this person from deciding the pipeline's runs.
   */
  privilegedBy?: string | null;
  /** The commit the current version was applied from; null (or absent, before sources were kept) when none was named. */
  source?: SpecSource | null;
}

/** One entry of a pipeline's spec history: a change of its current version. */
export type SpecVersion = Pick<PipelineRecord, 'specHash' | 'updatedAt' | 'updatedBy'> & {
  source: SpecSource | null;
  privilegedBy: string | null;
};

/** What applying a spec does: created, changed (naming the fields) or unchanged. */
export const ApplyOutcome = { Created: 'created', Changed: 'changed', Unchanged: 'unchanged' } as const;
export type ApplyOutcome = (typeof ApplyOutcome)[keyof typeof ApplyOutcome];

/** What a put would do (a plan) or did. */
export interface SpecPut {
  record: PipelineRecord;
  created: boolean;
  changed: boolean;
  outcome: ApplyOutcome;
  /** Dotted spec paths that differ from the current version, sorted; empty when created or unchanged. */
  changedFields: string[];
  previous?: PipelineRecord;
  privilegedChanges: PrivilegedChange[];
}

/** Who registers a spec: an API caller with a role, or trusted code (start-up from pipelines/, tools). */
export type SpecAuthor = string | { name: string; role: ApiRole };

/** Thrown when no pipeline of that name is registered. */
export class PipelineNotFoundError extends FerryError {
  override readonly name = 'PipelineNotFoundError';
  readonly type = FailureType.NotFound;
  override readonly code = 'pipeline-not-found';
  constructor(readonly pipeline: string) {
    super(`pipeline "${pipeline}" not found`);
  }
}

export function createPipelineSpecStore(deps: { store: ObjectStore; now?: () => Date }) {
  const { store } = deps;
  const now = deps.now ?? (() => new Date());

  async function get(name: string): Promise<PipelineRecord> {
    try {
      return await store.getJson<PipelineRecord>(objectKeys.pipeline(name).current);
    } catch (err) {
      if (err instanceof ObjectNotFoundError) throw new PipelineNotFoundError(name);
      throw err;
    }
  }

  return {
    get,
    /** A specific spec version (runs record the hash they used). */
    async version(name: string, hash: string): Promise<PipelineSpec> {
      try {
        return await store.getJson<PipelineSpec>(objectKeys.pipeline(name).spec(hash));
      } catch (err) {
        if (err instanceof ObjectNotFoundError) throw new PipelineNotFoundError(`${name}@${hash}`);
        throw err;
      }
    },
    async list(): Promise<PipelineRecord[]> {
      const keys = (await store.list(objectKeys.pipelines)).filter((o) =>
        objectKeys.isPipelinePointer(o.key),
      );
      return Promise.all(keys.map((k) => store.getJson<PipelineRecord>(k.key)));
    },
    /**
     * What registering the spec would do, with nothing written (a dry run): the same answer and the same
     * PrivilegedFieldError as `put`, checked against the current version.
     */
    async plan(
      spec: PipelineSpec,
      author: SpecAuthor,
      options: { source?: SpecSource } = {},
    ): Promise<SpecPut> {
      return (await planPut(spec, author, options)).put;
    },
    /**
     * Registers the spec as the pipeline's current version; unchanged content is a no-op (the source of
     * the version that stays is kept). A caller with a role below approver may not set or change
     * privileged fields (PrivilegedFieldError): the check is made against the very version the
     * compare-and-swap replaces, so a concurrent change cannot slip by.
     */
    async put(
      spec: PipelineSpec,
      author: SpecAuthor,
      options: { source?: SpecSource } = {},
    ): Promise<SpecPut> {
      const { put, etag } = await planPut(spec, author, options);
      if (!put.changed) return put;
      const { record } = put;
      await store.putJson(objectKeys.pipeline(spec.name).spec(record.specHash), spec);
      try {
        await store.putJson(
          objectKeys.pipeline(spec.name).current,
          record,
          etag ? { ifMatch: etag } : { ifAbsent: true },
        );
      } catch (err) {
        if (err instanceof PreconditionFailedError) {
          throw new Error(`pipeline "${spec.name}" was changed concurrently; retry`);
        }
        throw err;
      }
      // After the swap: a lost race leaves no history entry; a crash before this line is repaired by `versions`.
      await store.putJson(
        objectKeys.pipeline(spec.name).version(record.updatedAt, record.specHash),
        versionOf(record),
      );
      return put;
    },
    /**
     * The pipeline's spec history, newest first (PipelineNotFoundError when it is not registered). The
     * current version is always listed, also when it was registered before history was kept.
     */
    async versions(name: string): Promise<SpecVersion[]> {
      const current = await get(name);
      const entries = (await store.list(objectKeys.pipeline(name).versions))
        .map((o) => o.key)
        .sort()
        .reverse();
      const versions = await Promise.all(entries.map((k) => store.getJson<SpecVersion>(k)));
      const listed = versions.some(
        (v) => v.specHash === current.specHash && v.updatedAt === current.updatedAt,
      );
      return listed ? versions : [versionOf(current), ...versions];
    },
    /**
     * Unregisters the pipeline (PipelineNotFoundError when absent). Its spec versions and history stay:
     * runs and models name the spec hashes they used.
     */
    async remove(name: string): Promise<PipelineRecord> {
      const record = await get(name);
      await store.delete(objectKeys.pipeline(name).current);
      return record;
    },
  };

  /** The put a spec makes against the current version, and that version's ETag for the swap. */
  async function planPut(
    spec: PipelineSpec,
    author: SpecAuthor,
    options: { source?: SpecSource },
  ): Promise<{ put: SpecPut; etag?: string }> {
    const by = typeof author === 'string' ? author : author.name;
    const hash = specHash(spec);
    let existing: PipelineRecord | undefined;
    let etag: string | undefined;
    try {
      const r = await store.getJsonWithEtag<PipelineRecord>(objectKeys.pipeline(spec.name).current);
      existing = r.value;
      etag = r.etag;
    } catch (err) {
      if (!(err instanceof ObjectNotFoundError)) throw err;
    }
    if (existing?.specHash === hash)
      return {
        put: {
          record: existing,
          created: false,
          changed: false,
          outcome: ApplyOutcome.Unchanged,
          changedFields: [],
          previous: existing,
          privilegedChanges: [],
        },
      };
    const changes = privilegedChanges(existing?.spec, spec);
    if (typeof author !== 'string') assertMayChangePrivileged(author.role, changes);
    const record: PipelineRecord = {
      name: spec.name,
      specHash: hash,
      spec,
      updatedAt: now().toISOString(),
      updatedBy: by,
      privilegedBy: changes.length > 0 ? by : (existing?.privilegedBy ?? null),
      source: options.source ?? null,
    };
    return {
      put: {
        record,
        created: !existing,
        changed: true,
        outcome: existing ? ApplyOutcome.Changed : ApplyOutcome.Created,
        changedFields: existing ? changedFields(existing.spec, spec) : [],
        ...(existing ? { previous: existing } : {}),
        privilegedChanges: changes,
      },
      ...(etag ? { etag } : {}),
    };
  }
}

/** A record as its history entry. */
function versionOf(r: PipelineRecord): SpecVersion {
  return {
    specHash: r.specHash,
    updatedAt: r.updatedAt,
    updatedBy: r.updatedBy,
    source: r.source ?? null,
    privilegedBy: r.privilegedBy ?? null,
  };
}

export type PipelineSpecStore = ReturnType<typeof createPipelineSpecStore>;
