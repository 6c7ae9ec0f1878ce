// Which versions of a model serve traffic, with what weights, and which score in shadow. The state
// lives at `deployments/<model>.json` and changes only by compare-and-swap on its ETag (the rollout
// workflow and admin rollback go through `set`), each change also kept under `deployments/<model>/history/`.
// A model without that object serves its registry champion at 100 %.
import { keys as objectKeys } from '../storage/keys.js';
import type { ObjectStore } from '../storage/object-store.js';
import { ifFound, landed } from '../storage/errors.js';
import { createRegistry, ModelNotFoundError, type Registry } from '../registry/registry.js';
import {
  DeploymentConflictError,
  InvalidDeploymentError,
  NotDeployedError,
  type FieldError,
} from './errors.js';

/** One version taking `weight` percent of the traffic. */
export interface DeploymentRoute {
  version: number;
  /** Integer percent, 0…100; a deployment's weights sum to 100. */
  weight: number;
}

/** The deployment state of one model as stored (revision 0 = derived from the champion, never stored). */
export interface Deployment {
  model: string;
  revision: number;
  routes: DeploymentRoute[];
  /** Versions that score every request's rows too; their answers are logged, never returned. */
  shadow: number[];
  updatedAt: string;
  updatedBy: string;
  reason: string;
  /** What this revision replaced, kept so its history entry can be rewritten after a crash (absent on old state). */
  previous?: { routes: DeploymentRoute[]; shadow: number[] } | null;
}

/** What a change asks for. */
export interface DeploymentTarget {
  routes: DeploymentRoute[];
  shadow?: number[];
}

/** One change, as appended to the model's deployment history. */
export interface DeploymentChange {
  model: string;
  revision: number;
  from: { routes: DeploymentRoute[]; shadow: number[] } | null;
  to: { routes: DeploymentRoute[]; shadow: number[] };
  actor: string;
  reason: string;
  at: string;
}

/** A read deployment and the change token it was read under (compare tokens to notice changes). */
export interface DeploymentRead {
  deployment: Deployment;
  /** `deployment:<etag>` for stored state, `champion:<version>` for derived state. */
  token: string;
}

const modelName = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;
export const maxRoutes = 10;
export const maxShadows = 5;

/** The shape rules of a deployment target (no I/O): integer weights 0…100 summing to 100, distinct versions, shadows apart from routes. */
export function checkDeploymentTarget(target: DeploymentTarget): FieldError[] {
  const errors: FieldError[] = [];
  const fail = (field: string, rule: string) => errors.push({ field, rule });
  const routes: unknown = target.routes;
  if (!Array.isArray(routes) || routes.length === 0) {
    fail('routes', 'must list at least one version');
    return errors;
  }
  if (routes.length > maxRoutes)
    fail('routes', `must list at most ${maxRoutes} versions, got ${routes.length}`);
  const seen = new Set<number>();
  let sum = 0;
  routes.forEach((r: Partial<DeploymentRoute> | null, i) => {
    const version = r?.version;
    const weight = r?.weight;
    if (!isVersion(version))
      fail(`routes[${i}].version`, `must be a version number (an integer ≥ 1), got ${show(version)}`);
    else if (seen.has(version)) fail(`routes[${i}].version`, `version ${version} is listed twice`);
    else seen.add(version);
    if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 0 || weight > 100)
      fail(`routes[${i}].weight`, `must be an integer percent 0…100, got ${show(weight)}`);
    else sum += weight;
  });
  if (errors.length === 0 && sum !== 100) fail('routes', `weights must sum to 100, got ${sum}`);
  const shadow: unknown = target.shadow ?? [];
  if (!Array.isArray(shadow)) {
    fail('shadow', 'must be a list of version numbers');
    return errors;
  }
  if (shadow.length > maxShadows)
    fail('shadow', `must list at most ${maxShadows} versions, got ${shadow.length}`);
  const shadows = new Set<number>();
  shadow.forEach((v: unknown, i) => {
    if (!isVersion(v)) fail(`shadow[${i}]`, `must be a version number (an integer ≥ 1), got ${show(v)}`);
    else if (seen.has(v))
      fail(
        `shadow[${i}]`,
        `version ${v} already takes traffic; a shadow scores alongside the served versions`,
      );
    else if (shadows.has(v)) fail(`shadow[${i}]`, `version ${v} is listed twice`);
    else shadows.add(v);
  });
  return errors;
}

/** A request key's bucket 0…99: FNV-1a over the UTF-16 code units, then murmur3's finaliser so similar keys spread. */
export function routeBucket(requestKey: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < requestKey.length; i++) {
    h ^= requestKey.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) % 100;
}

/**
 * Picks the version for one request: with a request key its bucket (sticky: the same key gets the
 * same version while the weights stay), without one a uniform `random()` draw. Buckets fill the
 * routes in order, so moving weight between two versions moves only the keys in between.
 */
export function pickVersion(
  routes: readonly DeploymentRoute[],
  requestKey: string | undefined,
  random: () => number,
): number {
  if (routes.length === 1) return routes[0]!.version;
  const total = routes.reduce((t, r) => t + r.weight, 0);
  const bucket = requestKey === undefined ? random() * 100 : routeBucket(requestKey) + 0.5;
  const point = (bucket * total) / 100;
  let acc = 0;
  let last = routes[0]!.version;
  for (const r of routes) {
    if (r.weight <= 0) continue;
    acc += r.weight;
    last = r.version;
    if (point < acc) return r.version;
  }
  return last;
}

/** Whether two targets route and shadow the same versions the same way (route order matters: it decides the buckets). */
export function sameTarget(a: DeploymentTarget, b: DeploymentTarget): boolean {
  const as = a.shadow ?? [];
  const bs = b.shadow ?? [];
  return (
    a.routes.length === b.routes.length &&
    a.routes.every((r, i) => r.version === b.routes[i]!.version && r.weight === b.routes[i]!.weight) &&
    as.length === bs.length &&
    [...as].sort((x, y) => x - y).every((v, i) => v === [...bs].sort((x, y) => x - y)[i])
  );
}

export interface DeploymentStoreOptions {
  store: ObjectStore;
  /** Defaults to a registry over the same store. */
  registry?: Registry;
  now?: () => Date;
}

/** Reads and changes deployment state. Safe under concurrent writers in any number of processes. */
export function createDeploymentStore(options: DeploymentStoreOptions) {
  const { store } = options;
  const registry = options.registry ?? createRegistry({ store });
  const now = options.now ?? (() => new Date());

  function checkModel(model: string): void {
    if (!modelName.test(model))
      throw new InvalidDeploymentError(model, [
        { field: 'model', rule: 'must be letters, digits, ".", "_" or "-" (up to 200)' },
      ]);
  }

  async function readStored(model: string): Promise<{ deployment: Deployment; etag: string } | undefined> {
    const found = await ifFound(store.getJsonWithEtag<Deployment>(objectKeys.deployment(model).state));
    return found && { deployment: found.value, etag: found.etag };
  }

  async function derived(model: string): Promise<Deployment | undefined> {
    const champion = (await registry.aliases(model)).champion;
    if (champion === undefined) return undefined;
    return {
      model,
      revision: 0,
      routes: [{ version: champion, weight: 100 }],
      shadow: [],
      updatedAt: now().toISOString(),
      updatedBy: 'registry',
      reason: `no deployment recorded: the champion (version ${champion}) takes all traffic`,
    };
  }

  async function read(model: string): Promise<DeploymentRead> {
    checkModel(model);
    const stored = await readStored(model);
    if (stored) return { deployment: stored.deployment, token: `deployment:${stored.etag}` };
    const d = await derived(model);
    if (!d) throw new NotDeployedError(model);
    return { deployment: d, token: `champion:${d.routes[0]!.version}` };
  }

  /**
   * Writes the history entry of the stored revision if it is missing: a crash (or lost answer)
   * between the compare-and-swap and the history write is repaired by the next change or retry.
   * The key is the revision, so writing it twice is harmless.
   */
  async function ensureHistory(d: Deployment): Promise<void> {
    if (d.previous === undefined || d.revision < 1) return;
    const change: DeploymentChange = {
      model: d.model,
      revision: d.revision,
      from: d.previous,
      to: { routes: d.routes, shadow: d.shadow },
      actor: d.updatedBy,
      reason: d.reason,
      at: d.updatedAt,
    };
    await landed(
      store.putJson(objectKeys.deployment(d.model).historyEntry(d.revision), change, { ifAbsent: true }),
    );
  }

  /** Versions must exist and not be rejected (at registration or by a person). */
  async function checkVersions(model: string, target: DeploymentTarget): Promise<FieldError[]> {
    const entries: [string, number][] = [
      ...target.routes.map((r, i): [string, number] => [`routes[${i}].version`, r.version]),
      ...(target.shadow ?? []).map((v, i): [string, number] => [`shadow[${i}]`, v]),
    ];
    const problems = await Promise.all(
      entries.map(async ([field, version]): Promise<FieldError | undefined> => {
        try {
          const manifest = await registry.getVersion(model, version);
          const decision = await registry.decision(model, version);
          if (manifest.status === 'rejected' || decision?.decision === 'reject')
            return { field, rule: `version ${version} of "${model}" was rejected and cannot serve` };
          return undefined;
        } catch (err) {
          if (err instanceof ModelNotFoundError)
            return { field, rule: `model "${model}" has no version ${version}` };
          throw err;
        }
      }),
    );
    return problems.filter((p): p is FieldError => p !== undefined);
  }

  return {
    /** The current deployment; without stored state, the champion at 100 % (revision 0). Throws NotDeployedError when neither exists. */
    async get(model: string): Promise<Deployment> {
      return (await read(model)).deployment;
    },

    read,

    /**
     * The current change token without reading the state: a HEAD of the stored object, or the
     * champion alias when there is none. Serving replicas poll this every second.
     */
    async token(model: string): Promise<string> {
      checkModel(model);
      const info = await store.head(objectKeys.deployment(model).state);
      if (info) return `deployment:${info.etag}`;
      const champion = (await registry.aliases(model)).champion;
      return champion === undefined ? 'none' : `champion:${champion}`;
    },

    /**
     * Replaces the routes and shadows by compare-and-swap, then records the change in the history.
     * With `expectRevision` the change applies only on top of that revision (else DeploymentConflictError);
     * asking for what is already stored changes nothing, so a retried change is harmless.
     */
    async set(
      model: string,
      target: DeploymentTarget,
      by: { actor: string; reason: string; expectRevision?: number },
    ): Promise<Deployment> {
      checkModel(model);
      const next = {
        routes: target.routes.map((r) => ({ version: r.version, weight: r.weight })),
        shadow: [...(target.shadow ?? [])],
      };
      const shapeErrors = checkDeploymentTarget(next);
      if (shapeErrors.length > 0) throw new InvalidDeploymentError(model, shapeErrors);
      const versionErrors = await checkVersions(model, next);
      if (versionErrors.length > 0) throw new InvalidDeploymentError(model, versionErrors);
      if (!by.actor.trim())
        throw new InvalidDeploymentError(model, [{ field: 'actor', rule: 'must name who makes the change' }]);

      for (;;) {
        const stored = await readStored(model);
        if (stored) await ensureHistory(stored.deployment);
        if (stored && sameTarget(stored.deployment, next)) return stored.deployment;
        const revision = stored?.deployment.revision ?? 0;
        if (by.expectRevision !== undefined && revision !== by.expectRevision)
          throw new DeploymentConflictError(model, by.expectRevision, revision);
        const from = stored?.deployment ?? (await derived(model));
        const at = now().toISOString();
        const deployment: Deployment = {
          model,
          revision: revision + 1,
          ...next,
          updatedAt: at,
          updatedBy: by.actor,
          reason: by.reason,
          previous: from ? { routes: from.routes, shadow: from.shadow } : null,
        };
        const condition = stored ? { ifMatch: stored.etag } : { ifAbsent: true };
        // Lost: someone else changed it in between; re-read and decide again on their result.
        if (!(await landed(store.putJson(objectKeys.deployment(model).state, deployment, condition))))
          continue;
        await ensureHistory(deployment);
        return deployment;
      }
    },

    /** Every recorded change of the model's deployment, oldest first. */
    async history(model: string): Promise<DeploymentChange[]> {
      checkModel(model);
      const keys = (await store.list(objectKeys.deployment(model).history)).map((o) => o.key).sort();
      return Promise.all(keys.map((k) => store.getJson<DeploymentChange>(k)));
    },
  };
}

export type DeploymentStore = ReturnType<typeof createDeploymentStore>;

function isVersion(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1;
}

function show(v: unknown): string {
  return v === undefined ? 'nothing' : (JSON.stringify(v) ?? String(v));
}
