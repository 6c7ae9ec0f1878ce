// Activities that prove the wiring: an artifact written to object storage and read back.
import { createHash } from 'node:crypto';
import type { ObjectStore } from '../core/storage/object-store.js';
import type { RoundTripInput, RoundTripResult } from '../core/contracts/index.js';

/** Activities over artifacts, made from their dependencies so tests can pass real or fake stores. */
export function createArtifactActivities(deps: { store: ObjectStore }) {
  return {
    /** Writes the content to the key, reads it back and returns the hash of what came back. */
    async roundTripArtifact({ key, content }: RoundTripInput): Promise<RoundTripResult> {
      await deps.store.put(key, content, { contentType: 'text/plain' });
      const back = await deps.store.get(key);
      return { key, sha256: createHash('sha256').update(back).digest('hex'), bytes: back.length };
    },
  };
}
