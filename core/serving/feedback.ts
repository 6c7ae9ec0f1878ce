// Which prediction ids were served, and which already have a label: the integrity checks behind
// /feedback, so labels for made-up ids or repeated labels cannot force a rollback or a retrain.
// The prediction log in object storage is the source of truth across serving replicas; the ids this
// process served recently are a cache in front of it (they may not be flushed yet). One label per
// id is enforced with a conditional write, which also serialises replicas.
import { servedVersion } from '../warehouse/queries.js';
import type { Warehouse } from '../warehouse/store.js';
import { ifFound, landed } from '../storage/errors.js';
import { keys as objectKeys } from '../storage/keys.js';
import type { ObjectStore } from '../storage/object-store.js';

/** Where a successful, primary (not shadow) prediction came from. */
export interface ServedPrediction {
  model: string;
  version: number;
}

/** Looks a prediction id up in the written prediction log. */
export type PredictionLookup = (model: string, predictionId: string) => Promise<ServedPrediction | undefined>;

/** The lookup over the metrics tables: successful primary predictions only (a failed one served no answer). */
export function predictionLogLookup(metrics: Pick<Warehouse, 'query'>): PredictionLookup {
  return async (model, predictionId) => {
    const version = await servedVersion(metrics, model, predictionId);
    return version === undefined ? undefined : { model, version };
  };
}

/** Ids this process served, newest kept: covers what the log has not flushed yet. */
export interface RecentPredictions {
  add(predictionId: string, served: ServedPrediction): void;
  get(predictionId: string): ServedPrediction | undefined;
}

export function createRecentPredictions(capacity = 200_000): RecentPredictions {
  const ids = new Map<string, ServedPrediction>();
  return {
    add(predictionId, served) {
      ids.set(predictionId, served);
      if (ids.size > capacity) ids.delete(ids.keys().next().value!);
    },
    get: (predictionId) => ids.get(predictionId),
  };
}

/** The label recorded for a prediction id. */
export interface LabelClaim {
  label: string;
  ts: string;
  replaced: boolean;
}

export type ClaimResult =
  | { outcome: 'recorded' | 'replaced' }
  | { outcome: 'unchanged' }
  | { outcome: 'conflict'; existing: LabelClaim };

/**
 * Records `label` as the id's label unless it has one: the first label wins. The same label again
 * is `unchanged` (a client retry); another label is a `conflict` unless `replace` is set.
 */
export async function claimLabel(
  store: ObjectStore,
  model: string,
  predictionId: string,
  label: string,
  options: { replace: boolean; now: Date },
): Promise<ClaimResult> {
  const key = objectKeys.feedbackClaim(model, predictionId);
  const claim: LabelClaim = { label, ts: options.now.toISOString(), replaced: options.replace };
  if (options.replace) {
    await store.putJson(key, claim);
    return { outcome: 'replaced' };
  }
  if (await landed(store.putJson(key, claim, { ifAbsent: true }))) return { outcome: 'recorded' };
  const existing = await ifFound(store.getJson<LabelClaim>(key));
  // Removed between the two calls (not something Ferry does): treat as taken, the caller may retry.
  if (existing === undefined) return { outcome: 'conflict', existing: claim };
  return existing.label === label ? { outcome: 'unchanged' } : { outcome: 'conflict', existing };
}
