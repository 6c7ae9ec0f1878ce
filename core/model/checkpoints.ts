// Training checkpoints of one run, fenced so that only the attempt that owns the run may advance them.
// Each attempt writes its checkpoint files under a prefix of its own; one head object names the
// committed epoch and its owner, and it changes only by compare-and-swap (If-Match on its ETag), so an
// attempt that timed out but still runs (a "zombie") cannot overwrite its successor's progress.
import { FailureType, typedError } from '../errors.js';
import { randomUUID } from 'node:crypto';
import { ifFound, PreconditionFailedError } from '../storage/errors.js';
import { keys } from '../storage/keys.js';
import type { ObjectStore } from '../storage/object-store.js';
import type { EarlyStoppingState } from './trainer.js';

/** Which execution of the training activity an attempt belongs to: attempts of one execution are ordered. */
export interface AttemptIdentity {
  /** Workflow run id and activity id: a new execution (a reset, a rerun under the same workflow id) starts its own attempt count. */
  execution: string;
  attempt: number;
}

/** The run's committed training state; `epoch` 0 means no checkpoint yet. */
export interface CheckpointHead {
  epoch: number;
  /** Where the committed epoch's model bundle lives; null before the first checkpoint. */
  prefix: string | null;
  earlyStoppingState: EarlyStoppingState | null;
  /** The attempt that owns the run's training now (it wrote this head). */
  owner: { execution: string; attempt: number; lease: string };
}

/** Thrown when another attempt took over the run's training: this one must stop and write nothing more. */
export class TrainingSupersededError extends typedError(FailureType.Superseded) {
  constructor(
    readonly runId: string,
    readonly attempt: number,
    readonly byAttempt: number,
  ) {
    super(
      `training attempt ${attempt} of run ${runId} was superseded by attempt ${byAttempt}; it stops writing`,
    );
  }
}

/** An attempt's hold on the run's checkpoints, taken by `claimCheckpoints`. */
export interface CheckpointLease {
  /** The committed state this attempt resumes from. */
  readonly resumeFrom: CheckpointHead;
  /** Unique per attempt process; names its private files. */
  readonly lease: string;
  /** Where this attempt writes the files of `epoch` before committing them. */
  epochPrefix(epoch: number): string;
  /** Where this attempt writes the trained model. */
  modelPrefix(): string;
  /** Throws TrainingSupersededError unless this attempt still owns the run. */
  assertOwner(): Promise<void>;
  /** Makes `epoch` (already written under `prefix`) the committed checkpoint, or throws TrainingSupersededError. */
  commit(next: { epoch: number; prefix: string; earlyStoppingState: EarlyStoppingState }): Promise<void>;
}

/** A checkpoint written before heads existed (`checkpoints/epoch-N/state.json`), so runs in flight across an upgrade resume. */
interface LegacyState {
  epoch: number;
  earlyStoppingState: EarlyStoppingState;
}

const maxClaimTries = 5;

/**
 * Takes ownership of the run's checkpoints for this attempt and returns what to resume from. An
 * earlier attempt of the same execution loses its hold at once (its next write fails); a later one
 * already holding it makes this attempt the stale one.
 */
export async function claimCheckpoints(
  store: ObjectStore,
  runId: string,
  me: AttemptIdentity,
): Promise<CheckpointLease> {
  const lease = `attempt-${me.attempt}-${randomUUID().slice(0, 8)}`;
  const owner = { execution: me.execution, attempt: me.attempt, lease };
  const headKey = keys.run(runId).checkpointHead;
  const isMine = (h: CheckpointHead) => h.owner.lease === lease;

  let etag = '';
  let resumeFrom: CheckpointHead | undefined;
  for (let tries = 0; !resumeFrom; tries++) {
    const current = await readHead(store, headKey);
    if (
      current &&
      current.value.owner.execution === me.execution &&
      current.value.owner.attempt > me.attempt
    ) {
      throw new TrainingSupersededError(runId, me.attempt, current.value.owner.attempt);
    }
    const base = current?.value ?? (await legacyHead(store, runId));
    const next: CheckpointHead = { ...base, owner };
    try {
      ({ etag } = await store.putJson(
        headKey,
        next,
        current ? { ifMatch: current.etag } : { ifAbsent: true },
      ));
      resumeFrom = next;
    } catch (err) {
      if (!(err instanceof PreconditionFailedError)) throw err;
      // Either another writer moved the head (read it again) or our own write landed and only its answer was lost.
      const now = await readHead(store, headKey);
      if (now && isMine(now.value)) {
        etag = now.etag;
        resumeFrom = now.value;
      } else if (tries + 1 >= maxClaimTries) {
        throw err;
      }
    }
  }

  async function assertOwner(): Promise<void> {
    const info = await store.head(headKey);
    if (info?.etag === etag) return;
    const now = await readHead(store, headKey);
    if (now && isMine(now.value)) {
      etag = now.etag;
      return;
    }
    throw new TrainingSupersededError(runId, me.attempt, now?.value.owner.attempt ?? me.attempt);
  }

  return {
    resumeFrom,
    lease,
    epochPrefix: (epoch) => keys.run(runId).checkpointEpoch(lease, epoch),
    modelPrefix: () => keys.run(runId).model(lease),
    assertOwner,
    async commit({ epoch, prefix, earlyStoppingState }) {
      const next: CheckpointHead = { epoch, prefix, earlyStoppingState, owner };
      try {
        ({ etag } = await store.putJson(headKey, next, { ifMatch: etag }));
      } catch (err) {
        if (!(err instanceof PreconditionFailedError)) throw err;
        const now = await readHead(store, headKey);
        if (now && isMine(now.value) && now.value.epoch === epoch) {
          etag = now.etag;
          return;
        }
        throw new TrainingSupersededError(runId, me.attempt, now?.value.owner.attempt ?? me.attempt);
      }
    },
  };
}

async function readHead(
  store: ObjectStore,
  key: string,
): Promise<{ value: CheckpointHead; etag: string } | undefined> {
  return ifFound(store.getJsonWithEtag<CheckpointHead>(key));
}

async function legacyHead(store: ObjectStore, runId: string): Promise<Omit<CheckpointHead, 'owner'>> {
  const run = keys.run(runId);
  const states = (await store.list(run.checkpoints))
    .map((o) => o.key)
    .filter(run.isLegacyCheckpointState)
    .sort();
  const newest = states.at(-1);
  if (!newest) return { epoch: 0, prefix: null, earlyStoppingState: null };
  const state = await store.getJson<LegacyState>(newest);
  return {
    epoch: state.epoch,
    prefix: newest.slice(0, -'state.json'.length),
    earlyStoppingState: state.earlyStoppingState,
  };
}
