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
     * Registers the spec as the pipeline's current version; unchanged content is a no-op. A caller with
     * a role below approver may not set or change privileged fields (PrivilegedFieldError): the check is
     * made against the very version the compare-and-swap replaces, so a concurrent change cannot slip by.
     */
    async put(
      spec: PipelineSpec,
      author: SpecAuthor,
    ): Promise<{
      record: PipelineRecord;
      created: boolean;
      changed: boolean;
      previous?: PipelineRecord;
      privilegedChanges: PrivilegedChange[];
    }> {
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
          record: existing,
          created: false,
          changed: false,
          previous: existing,
          privilegedChanges: [],
        };
      const changes = privilegedChanges(existing?.spec, spec);
      if (typeof author !== 'string') assertMayChangePrivileged(author.role, changes);
      await store.putJson(objectKeys.pipeline(spec.name).spec(hash), spec);
      const record: PipelineRecord = {
        name: spec.name,
        specHash: hash,
        spec,
        updatedAt: now().toISOString(),
        updatedBy: by,
        privilegedBy: changes.length > 0 ? by : (existing?.privilegedBy ?? null),
      };
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
      return {
        record,
        created: !existing,
        changed: true,
        ...(existing ? { previous: existing } : {}),
        privilegedChanges: changes,
      };
    },
  };
}

export type PipelineSpecStore = ReturnType<typeof createPipelineSpecStore>;
