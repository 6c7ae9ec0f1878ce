// The append-only audit log: one JSON object per event in object storage, never rewritten.
import { randomUUID } from 'node:crypto';
import type { ObjectStore } from '../storage/object-store.js';

/** One mutating call: who did what to which target, and how it ended. */
export interface AuditEvent {
  at: string;
  who: string;
  role: string;
  action: string;
  target: string;
  status: number;
  result: 'ok' | 'refused' | 'error';
  requestId: string;
}

export function createAuditLog(deps: { store: ObjectStore; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  return {
    async append(event: Omit<AuditEvent, 'at'>): Promise<AuditEvent> {
      const at = now().toISOString();
      const full: AuditEvent = { at, ...event };
      // Day folders keep listings short; the time-ordered name makes a listing chronological.
      await deps.store.putJson(
        `audit/${at.slice(0, 10)}/${at.replace(/[:.]/g, '-')}-${randomUUID()}.json`,
        full,
        { ifAbsent: true },
      );
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
