// Registered pipeline specs, versioned by content hash in object storage: the files in pipelines/
// are registered at API start-up, and users register their own through the API.
import type { ObjectStore } from '../storage/object-store.js';
import { ObjectNotFoundError, PreconditionFailedError } from '../storage/errors.js';
import { specHash } from '../spec/load.js';
import type { PipelineSpec } from '../spec/schema.js';

/** A pipeline's current spec and where it came from. */
export interface PipelineRecord {
  name: string;
  specHash: string;
  spec: PipelineSpec;
  updatedAt: string;
  updatedBy: string;
}

/** Thrown when no pipeline of that name is registered. */
export class PipelineNotFoundError extends Error {
  override readonly name = 'PipelineNotFoundError';
  constructor(readonly pipeline: string) {
    super(`pipeline "${pipeline}" not found`);
  }
}

const currentKey = (name: string) => `pipelines/${name}/current.json`;
const versionKey = (name: string, hash: string) => `pipelines/${name}/specs/${hash}.json`;

export function createPipelineCatalog(deps: { store: ObjectStore; now?: () => Date }) {
  const { store } = deps;
  const now = deps.now ?? (() => new Date());

  async function get(name: string): Promise<PipelineRecord> {
    try {
      return await store.getJson<PipelineRecord>(currentKey(name));
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
        return await store.getJson<PipelineSpec>(versionKey(name, hash));
      } catch (err) {
        if (err instanceof ObjectNotFoundError) throw new PipelineNotFoundError(`${name}@${hash}`);
        throw err;
      }
    },
    async list(): Promise<PipelineRecord[]> {
      const keys = (await store.list('pipelines/')).filter((o) => o.key.endsWith('/current.json'));
      return Promise.all(keys.map((k) => store.getJson<PipelineRecord>(k.key)));
    },
    /** Registers the spec as the pipeline's current version; unchanged content is a no-op. */
    async put(
      spec: PipelineSpec,
      by: string,
    ): Promise<{ record: PipelineRecord; created: boolean; changed: boolean }> {
      const hash = specHash(spec);
      let existing: PipelineRecord | undefined;
      let etag: string | undefined;
      try {
        const r = await store.getJsonWithEtag<PipelineRecord>(currentKey(spec.name));
        existing = r.value;
        etag = r.etag;
      } catch (err) {
        if (!(err instanceof ObjectNotFoundError)) throw err;
      }
      if (existing?.specHash === hash) return { record: existing, created: false, changed: false };
      await store.putJson(versionKey(spec.name, hash), spec);
      const record: PipelineRecord = {
        name: spec.name,
        specHash: hash,
        spec,
        updatedAt: now().toISOString(),
        updatedBy: by,
      };
      try {
        await store.putJson(currentKey(spec.name), record, etag ? { ifMatch: etag } : { ifAbsent: true });
      } catch (err) {
        if (err instanceof PreconditionFailedError) {
          throw new Error(`pipeline "${spec.name}" was changed concurrently; retry`);
        }
        throw err;
      }
      return { record, created: !existing, changed: true };
    },
  };
}

export type PipelineCatalog = ReturnType<typeof createPipelineCatalog>;
