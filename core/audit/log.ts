// The append-only audit log: one JSON object per event in object storage, never rewritten.
import { randomUUID } from 'node:crypto';
import { PreconditionFailedError } from '../storage/errors.js';
import type { ObjectStore } from '../storage/object-store.js';

/** One audited act (an API call, a run's decision, a rollback): who did what to which target, how it ended. */
export interface AuditEvent {
  at: string;
  who: string;
  role: string;
  action: string;
  target: string;
  status: number;
  result: 'ok' | 'refused' | 'error';
  requestId: string;
  /** The state the act changed, before and after (e.g. the privileged fields of a spec change). */
  before?: unknown;
  after?: unknown;
  /** Why it was refused or what was decided, in words. */
  detail?: string;
}

export function createAuditLog(deps: { store: ObjectStore; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  return {
    /**
     * Appends one event. With `id` (and `at`) the key is fixed, so an activity retried by Temporal
     * writes its event once: a second write of the same id is a no-op.
     */
    async append(
      event: Omit<AuditEvent, 'at'> & { at?: string },
      options: { id?: string } = {},
    ): Promise<AuditEvent> {
      const at = event.at ?? now().toISOString();
      const full: AuditEvent = { ...event, at };
      const id = options.id ? options.id.replace(/[^A-Za-z0-9_.-]/g, '_') : randomUUID();
      // Day folders keep listings short; the time-ordered name makes a listing chronological.
      try {
        await deps.store.putJson(`audit/${at.slice(0, 10)}/${at.replace(/[:.]/g, '-')}-${id}.json`, full, {
          ifAbsent: true,
        });
      } catch (err) {
        if (!(options.id && err instanceof PreconditionFailedError)) throw err;
      }
      return full;
    },
    /** Newest events first, from the given day (default: today) backwards until `limit`. */
    async recent(limit: number, days = 7): Promise<AuditEvent[]> {
      const out: AuditEvent[] = [];
      const today = now();
      for (let d = 0; d < days && out.length < limit; d++) {
        const day = new Date(today.getTime() - d * 86_400_000).toISOString().slice(0, 10);
        const keys = (await deps.store.list(`audit/${day}/`))
          .map((o) => o.key)
          .sort()
          .reverse()
          .slice(0, limit - out.length);
        out.push(...(await Promise.all(keys.map((k) => deps.store.getJson<AuditEvent>(k)))));
      }
      return out;
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
