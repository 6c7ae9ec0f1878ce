// One poller per key, shared by every subscriber: however many browsers watch a run, Temporal and
// object storage are asked at most once per interval for it. A key's poller stops with its last subscriber.
export interface SharedPolls {
  /**
   * Subscribes to `key`: answers its current value (polled now when nobody watches it yet; a failure is
   * thrown to the caller) and calls `listener` on every later change. `poll` is used only by the first
   * subscriber of a key.
   */
  subscribe<T>(
    key: string,
    poll: () => Promise<T>,
    listener: (value: T) => void,
  ): Promise<{ value: T; unsubscribe: () => void }>;
  /** How many keys are being polled (for tests and metrics). */
  readonly active: number;
  /** Stops every poller. */
  stop(): void;
}

interface Entry {
  poll: () => Promise<unknown>;
  listeners: Set<(value: unknown) => void>;
  /** The first poll, shared by subscribers that arrive while it runs. */
  first: Promise<unknown>;
  json?: string;
  timer?: NodeJS.Timeout;
}

export function createSharedPolls(o: {
  intervalMs: number;
  onError: (err: unknown, key: string) => void;
}): SharedPolls {
  const entries = new Map<string, Entry>();

  const tick = async (key: string, e: Entry) => {
    try {
      const value = await e.poll();
      const json = JSON.stringify(value);
      if (json !== e.json) {
        e.json = json;
        for (const l of e.listeners) l(value);
      }
    } catch (err) {
      // An outage is reported and the next tick tries again; subscribers keep what they last had.
      o.onError(err, key);
    }
    if (entries.get(key) === e && e.listeners.size > 0)
      e.timer = setTimeout(() => void tick(key, e), o.intervalMs);
  };

  return {
    async subscribe<T>(key: string, poll: () => Promise<T>, listener: (value: T) => void) {
      let e = entries.get(key);
      if (!e) {
        const first = poll().then((v) => ((created.json = JSON.stringify(v)), v));
        const created: Entry = { poll, listeners: new Set(), first };
        entries.set(key, created);
        e = created;
        first.catch(() => {
          if (entries.get(key) === created && created.listeners.size === 0) entries.delete(key);
        });
      }
      const entry = e;
      const value = (await entry.first) as T;
      const l = listener as (value: unknown) => void;
      entry.listeners.add(l);
      entry.timer ??= setTimeout(() => void tick(key, entry), o.intervalMs);
      return {
        // The latest value, which may be newer than the first poll's.
        value: entry.json === undefined ? value : (JSON.parse(entry.json) as T),
        unsubscribe() {
          entry.listeners.delete(l);
          if (entry.listeners.size > 0 || entries.get(key) !== entry) return;
          clearTimeout(entry.timer);
          entries.delete(key);
        },
      };
    },
    get active() {
      return entries.size;
    },
    stop() {
      for (const e of entries.values()) clearTimeout(e.timer);
      entries.clear();
    },
  };
}
