// What one serving replica routes to, per model: an immutable routing table (deployment revision,
// weighted routes, loaded versions, shadows). A poller notices deployment changes (a HEAD per model
// per tick), loads every version the new state needs, and only then swaps the table in one
// assignment. A request keeps the table it started with; versions that left the table are disposed
// after a grace period, so nothing is freed under a request and no request waits for a load.
import type { Deployment, DeploymentRead, DeploymentRoute, DeploymentStore } from './deployment.js';
import { ModelUnavailableError, NotDeployedError } from './errors.js';
import { silentLogger, type ServingLogger } from './logger.js';
import type { LoadedVersion, ModelCache } from './model-cache.js';

/** The routing state one request uses from start to end. Never mutated: a change makes a new table. */
export interface RoutingTable {
  readonly model: string;
  readonly revision: number;
  /** The deployment's change token this table was built from. */
  readonly token: string;
  /** Routes with weight > 0, in deployment order (the order decides the sticky buckets). */
  readonly routes: readonly DeploymentRoute[];
  readonly versions: ReadonlyMap<number, LoadedVersion>;
  readonly shadow: readonly LoadedVersion[];
  readonly activeSince: Date;
}

/** A model's serving status, for health endpoints and operators. */
export interface ModelServingStatus extends Pick<Deployment, 'model' | 'revision' | 'routes' | 'shadow'> {
  activeSince: string;
  lastError: string | null;
}

export interface ServingState {
  /** The model's table if it has one already (the hot path: no await). */
  current(model: string): RoutingTable | undefined;
  /**
   * The model's table, loading it on the first request (concurrent first requests share one load).
   * Throws NotDeployedError, or ModelUnavailableError when a deployed version cannot be loaded.
   */
  table(model: string): Promise<RoutingTable>;
  /** Runs one polling round now and waits for it (tests and admin tools; the timer does this every `pollMs`). */
  poll(): Promise<void>;
  status(): ModelServingStatus[];
  /** Stops polling; loaded versions stay with the cache's owner. */
  close(): void;
}

export interface ServingStateOptions {
  deployments: Pick<DeploymentStore, 'read' | 'token'>;
  cache: Pick<ModelCache, 'get' | 'evict'>;
  /** How often each model's deployment is checked (default 1000 ms). */
  pollMs?: number;
  /** How long a version that left the table stays loaded (default 10 s). */
  graceMs?: number;
  log?: ServingLogger;
}

interface ModelEntry {
  table?: RoutingTable;
  loading?: Promise<RoutingTable>;
  /** Versions a table being built will use: never evicted meanwhile. */
  building: Set<number>;
  refreshing: boolean;
  lastError: string | null;
}

export function createServingState(options: ServingStateOptions): ServingState {
  const { deployments, cache } = options;
  const pollMs = options.pollMs ?? 1000;
  const graceMs = options.graceMs ?? 10_000;
  const log = options.log ?? silentLogger;
  const entries = new Map<string, ModelEntry>();
  // Failed first loads are remembered for one poll interval, so a flood of requests for an unknown
  // or broken model does not become a flood of storage reads.
  const failed = new Map<string, { until: number; error: Error }>();
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> | undefined;
  let closed = false;

  async function build(model: string, entry: ModelEntry, read: DeploymentRead): Promise<RoutingTable> {
    const { deployment } = read;
    const routes = deployment.routes
      .filter((r) => r.weight > 0)
      .map((r) => ({ version: r.version, weight: r.weight }));
    const shadowVersions = deployment.shadow.filter((v) => !routes.some((r) => r.version === v));
    for (const v of [...routes.map((r) => r.version), ...shadowVersions]) entry.building.add(v);
    try {
      // All loads start together; a shadow that cannot load must not hold back the versions that answer.
      const shadowLoads = Promise.allSettled(shadowVersions.map((v) => cache.get(model, v)));
      const served = await Promise.all(routes.map((r) => cache.get(model, r.version)));
      const shadows = await shadowLoads;
      const shadow: LoadedVersion[] = [];
      shadows.forEach((s, i) => {
        if (s.status === 'fulfilled') shadow.push(s.value);
        else
          log.error(
            { model, version: shadowVersions[i], err: s.reason },
            'shadow version could not be loaded; serving without it',
          );
      });
      return {
        model,
        revision: deployment.revision,
        token: read.token,
        routes,
        versions: new Map(served.map((l) => [l.version, l])),
        shadow,
        activeSince: new Date(),
      };
    } finally {
      entry.building.clear();
    }
  }

  function inUse(entry: ModelEntry, version: number): boolean {
    const t = entry.table;
    return (
      entry.building.has(version) ||
      (t !== undefined && (t.versions.has(version) || t.shadow.some((s) => s.version === version)))
    );
  }

  function swap(model: string, entry: ModelEntry, next: RoutingTable): void {
    const previous = entry.table;
    entry.table = next;
    entry.lastError = null;
    log.info(
      { model, revision: next.revision, routes: next.routes, shadow: next.shadow.map((s) => s.version) },
      'serving a new deployment',
    );
    if (!previous) return;
    const retired = new Set([...previous.versions.keys(), ...previous.shadow.map((s) => s.version)]);
    for (const version of retired) {
      if (inUse(entry, version)) continue;
      setTimeout(() => {
        if (!inUse(entry, version)) cache.evict(model, version);
      }, graceMs).unref();
    }
  }

  async function refresh(model: string, entry: ModelEntry): Promise<void> {
    const table = entry.table;
    if (!table || entry.refreshing) return;
    entry.refreshing = true;
    try {
      if ((await deployments.token(model)) === table.token) return;
      const read = await deployments.read(model);
      if (read.token === table.token) return;
      const next = await build(model, entry, read);
      if (!closed) swap(model, entry, next);
    } catch (err) {
      // Keep answering with the table we have; report each distinct problem once, not every tick.
      const message =
        err instanceof NotDeployedError
          ? `${err.message}; still serving revision ${table.revision}`
          : (err as Error).message;
      if (message !== entry.lastError) log.error({ model, err }, `deployment change not applied: ${message}`);
      entry.lastError = message;
    } finally {
      entry.refreshing = false;
    }
  }

  function pollAll(): Promise<void> {
    const done = () => {
      round = undefined;
    };
    round ??= Promise.all([...entries].map(([model, entry]) => refresh(model, entry))).then(done, done);
    return round;
  }

  function schedule(): void {
    if (closed || timer) return;
    timer = setTimeout(() => {
      void pollAll().finally(() => {
        timer = undefined;
        schedule();
      });
    }, pollMs);
    timer.unref();
  }

  return {
    current(model) {
      return entries.get(model)?.table;
    },

    table(model) {
      const existing = entries.get(model);
      if (existing?.table) return Promise.resolve(existing.table);
      if (existing?.loading) return existing.loading;
      const recent = failed.get(model);
      if (recent) {
        if (recent.until > Date.now()) return Promise.reject(recent.error);
        failed.delete(model);
      }
      const entry: ModelEntry = existing ?? { building: new Set(), refreshing: false, lastError: null };
      entries.set(model, entry);
      entry.loading = (async () => {
        const read = await deployments.read(model);
        const table = await build(model, entry, read);
        swap(model, entry, table);
        schedule();
        return table;
      })()
        .catch((cause: unknown) => {
          if (!entry.table && entries.get(model) === entry) entries.delete(model);
          let error = cause as Error;
          if (!(cause instanceof NotDeployedError)) {
            log.error({ model, err: cause }, 'deployed model could not be loaded');
            error = new ModelUnavailableError(model, { cause });
          }
          if (failed.size > 10_000) failed.clear();
          failed.set(model, { until: Date.now() + pollMs, error });
          throw error;
        })
        .finally(() => {
          entry.loading = undefined;
        });
      return entry.loading;
    },

    poll: pollAll,

    status() {
      return [...entries].flatMap(([model, e]) =>
        e.table
          ? [
              {
                model,
                revision: e.table.revision,
                routes: [...e.table.routes],
                shadow: e.table.shadow.map((s) => s.version),
                activeSince: e.table.activeSince.toISOString(),
                lastError: e.lastError,
              },
            ]
          : [],
      );
    },

    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
