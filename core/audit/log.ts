// The append-only audit log: one JSON object per event in object storage, never rewritten. When
// storage cannot take an event, it is spooled to a local file (fsynced) and uploaded when storage
// is back, so an event is never dropped; the event's key is fixed when it happens, so an upload
// that is repeated (a crash mid-flush) writes the same object again instead of a duplicate.
import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { keys as objectKeys } from '../storage/keys.js';
import type { ObjectStore } from '../storage/object-store.js';
import { landed } from '../storage/errors.js';

/** How many audit objects `recent` reads at once. */
const auditReadBatch = 32;

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

/** One spooled line: the event and the key it will have in storage. */
interface SpoolEntry {
  key: string;
  event: AuditEvent;
}

export interface AuditLogOptions {
  store: ObjectStore;
  /** Where events wait while storage is unreachable (e.g. `<FERRY_HOME>/audit-spool`); without it a failed write throws. */
  spoolDir?: string;
  now?: () => Date;
}

const pendingFile = 'pending.jsonl';

export function createAuditLog(deps: AuditLogOptions) {
  const now = deps.now ?? (() => new Date());
  const { store, spoolDir } = deps;

  async function upload(entry: SpoolEntry): Promise<void> {
    // Already there: an earlier flush uploaded it and died before removing its spool file.
    await landed(store.putJson(entry.key, entry.event, { ifAbsent: true }));
  }

  /** Appends the entry as one line and fsyncs, so it survives a crash of this process. */
  async function spool(dir: string, entry: SpoolEntry): Promise<void> {
    await mkdir(dir, { recursive: true });
    const file = await open(join(dir, pendingFile), 'a');
    try {
      await file.write(`${JSON.stringify(entry)}\n`);
      await file.sync();
    } finally {
      await file.close();
    }
  }

  async function readSpoolFile(path: string): Promise<SpoolEntry[]> {
    const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return '';
      throw err;
    });
    // A torn last line (crash mid-write, before its fsync returned) was never acknowledged: skip it.
    return text
      .split('\n')
      .filter(Boolean)
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as SpoolEntry];
        } catch {
          return [];
        }
      });
  }

  async function spoolFiles(dir: string): Promise<string[]> {
    try {
      return (await readdir(dir)).filter((f) => f.endsWith('.jsonl')).sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }

  let flushing: Promise<number> | undefined;
  /** Uploads every spooled event; the pending file is renamed first so events spooled meanwhile wait for the next flush. */
  async function flushOnce(dir: string): Promise<number> {
    const pending = join(dir, pendingFile);
    await rename(pending, join(dir, `flushing-${Date.now()}-${randomUUID()}.jsonl`)).catch(
      (err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err;
      },
    );
    let uploaded = 0;
    for (const name of await spoolFiles(dir)) {
      if (name === pendingFile) continue;
      const path = join(dir, name);
      for (const entry of await readSpoolFile(path)) {
        await upload(entry);
        uploaded++;
      }
      await rm(path, { force: true });
    }
    return uploaded;
  }

  /** Uploads spooled events (one flush at a time); resolves with how many, rejects while storage is still down. */
  function flushSpool(): Promise<number> {
    if (!spoolDir) return Promise.resolve(0);
    flushing ??= flushOnce(spoolDir).finally(() => {
      flushing = undefined;
    });
    return flushing;
  }

  return {
    /**
     * Writes the event to storage, or (storage unreachable) to the local spool; throws only if both
     * fail. With `id` (and `at`) the key is fixed, so an activity retried by Temporal writes its
     * event once: a second write of the same id is a no-op.
     */
    async append(
      event: Omit<AuditEvent, 'at'> & { at?: string },
      options: { id?: string } = {},
    ): Promise<AuditEvent & { spooled: boolean }> {
      const at = event.at ?? now().toISOString();
      const full: AuditEvent = { ...event, at };
      const id = options.id ? options.id.replace(/[^A-Za-z0-9_.-]/g, '_') : randomUUID();
      // Day folders keep listings short; the time-ordered name makes a listing chronological.
      const entry = { key: objectKeys.audit.event(at, id), event: full };
      try {
        await upload(entry);
        return { ...full, spooled: false };
      } catch (err) {
        if (!spoolDir) throw err;
        await spool(spoolDir, entry);
        return { ...full, spooled: true };
      }
    },

    flushSpool,

    /** How many events wait in the spool. */
    async spooled(): Promise<number> {
      if (!spoolDir) return 0;
      let n = 0;
      for (const name of await spoolFiles(spoolDir)) n += (await readSpoolFile(join(spoolDir, name))).length;
      return n;
    },

    /** Newest events first, from the given day (default: today) backwards until `limit`; spooled events included. */
    async recent(limit: number, days = 7): Promise<AuditEvent[]> {
      const out: AuditEvent[] = [];
      const today = now();
      for (let d = 0; d < days && out.length < limit; d++) {
        const day = new Date(today.getTime() - d * 86_400_000).toISOString().slice(0, 10);
        const keys = (await store.list(objectKeys.audit.day(day)))
          .map((o) => o.key)
          .sort()
          .reverse()
          .slice(0, limit - out.length);
        // In batches: a thousand GETs at once overrun the API's per-call storage deadline on a busy machine.
        for (let i = 0; i < keys.length; i += auditReadBatch)
          out.push(
            ...(await Promise.all(
              keys.slice(i, i + auditReadBatch).map((k) => store.getJson<AuditEvent>(k)),
            )),
          );
      }
      if (spoolDir) {
        const seen = new Set(out.map((e) => `${e.at}|${e.requestId}`));
        for (const name of await spoolFiles(spoolDir))
          for (const { event } of await readSpoolFile(join(spoolDir, name)))
            if (!seen.has(`${event.at}|${event.requestId}`)) out.push(event);
        out.sort((a, b) => b.at.localeCompare(a.at));
      }
      return out.slice(0, limit);
    },

    /** Flushes the spool every `ms` while there is something in it; returns a stop function. */
    startSpoolFlusher(ms: number, onError: (err: unknown) => void): () => void {
      if (!spoolDir) return () => undefined;
      const timer = setInterval(() => {
        void flushSpool().catch(onError);
      }, ms);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
