// The object-key layout of Ferry's bucket, in one place: callers ask for a key by what it holds and
// never join key strings themselves. Existing data depends on every byte here, so change nothing.

const version8 = (n: number) => String(n).padStart(8, '0');
const epoch6 = (n: number) => String(n).padStart(6, '0');
/** An ISO time as a key segment that sorts chronologically and holds no ":" or ".". */
const timeSegment = (at: string) => at.replace(/[:.]/g, '-');

/** The files of a saved model (topology, weights, preprocessing) under a prefix ending in "/". */
export function modelBundleKeys(prefix: string) {
  return {
    model: `${prefix}model.json`,
    weights: `${prefix}weights.bin`,
    preprocessing: `${prefix}preprocessing.json`,
  };
}

const metricsRoot = 'metrics/';
const compactionRoot = 'metrics-compaction/';
const metricsPartition = (table: string, model: string) => `${metricsRoot}${table}/model=${model}/`;
const compactionPartition = (table: string, model: string) => `${compactionRoot}${table}/model=${model}/`;
const metricsPartKey =
  /^metrics\/([a-z][a-z0-9_]*)\/model=([A-Za-z0-9][A-Za-z0-9._-]*)\/([A-Za-z0-9][A-Za-z0-9._-]*)\.parquet$/;
const versionManifestKey = /^models\/([^/]+)\/versions\/(\d{8})\/manifest\.json$/;
const datasetLatestKey = /^datasets\/([^/]+)\/latest\.json$/;
const legacyCheckpointState = /\/checkpoints\/epoch-\d+\/state\.json$/;

export const keys = {
  /** A training run's artifacts under `runs/<runId>/`. */
  run(runId: string) {
    const root = `runs/${runId}/`;
    const checkpoints = `${root}checkpoints/`;
    return {
      /** Everything the run wrote. */
      root,
      validationReport: `${root}validation.json`,
      evaluationReport: `${root}evaluation.json`,
      modelCard: `${root}model-card.md`,
      /** Every checkpoint of the run, committed or not, current or legacy. */
      checkpoints,
      /** The committed checkpoint, replaced by compare-and-swap. */
      checkpointHead: `${checkpoints}head.json`,
      /** Where one attempt (by its lease) writes the files of one epoch. */
      checkpointEpoch: (lease: string, epoch: number) => `${checkpoints}${lease}/epoch-${epoch6(epoch)}/`,
      /** Where one attempt writes the trained model. */
      model: (lease: string) => `${root}model/${lease}/`,
      /** Whether `key` is a pre-head checkpoint's state file (`checkpoints/epoch-N/state.json`). */
      isLegacyCheckpointState: (key: string) => legacyCheckpointState.test(key),
    };
  },

  /** Every dataset's snapshots and pointers. */
  datasets: 'datasets/',
  /** The dataset whose `latest` pointer `key` is (`datasets/<name>/latest.json`), or undefined. */
  datasetOfLatestPointer: (key: string): string | undefined => datasetLatestKey.exec(key)?.[1],

  /** A dataset's snapshots and its `latest` pointer under `datasets/<name>/`. */
  dataset(name: string) {
    const snapshots = `datasets/${name}/snapshots/`;
    return {
      snapshots,
      latest: `datasets/${name}/latest.json`,
      isSnapshotManifest: (key: string) => key.endsWith('/manifest.json'),
      snapshot(sha256: string) {
        const root = `${snapshots}${sha256}/`;
        return {
          root,
          manifest: `${root}manifest.json`,
          source: (format: string) => `${root}source.${format}`,
          data: `${root}data.parquet`,
          /** The drift profile validation computes once per snapshot. */
          profile: `${root}profile.json`,
        };
      },
    };
  },

  /** Every model's registry records. */
  models: 'models/',
  /** The model a registry key belongs to (`models/<model>/…`), or undefined. */
  modelOfKey: (key: string): string | undefined =>
    (key.startsWith('models/') && key.split('/')[1]) || undefined,

  /** A model's registry records under `models/<model>/`. */
  model(model: string) {
    const root = `models/${model}/`;
    return {
      versions: `${root}versions/`,
      aliases: `${root}aliases.json`,
      history: `${root}history/`,
      historyEntry: (at: string, id: string) => `${root}history/${timeSegment(at)}-${id}.json`,
      byRun: (runId: string) => `${root}by-run/${encodeURIComponent(runId)}.json`,
    };
  },

  /** One registered version's records under `models/<model>/versions/<8-digit n>/`. */
  modelVersion(model: string, version: number) {
    const root = `models/${model}/versions/${version8(version)}/`;
    return {
      manifest: `${root}manifest.json`,
      decision: `${root}decision.json`,
      rollout: `${root}rollout.json`,
    };
  },

  /** The model and version a version manifest's key names, or undefined for any other key. */
  parseModelVersionManifest(key: string): { model: string; version: number } | undefined {
    const m = versionManifestKey.exec(key);
    return m ? { model: m[1]!, version: Number(m[2]) } : undefined;
  },

  /** A model's serving deployment: its state and the history of its revisions. */
  deployment(model: string) {
    const history = `deployments/${model}/history/`;
    return {
      state: `deployments/${model}.json`,
      history,
      historyEntry: (revision: number) => `${history}${version8(revision)}.json`,
    };
  },

  /** Every pipeline's records. */
  pipelines: 'pipelines/',
  /** Whether `key` is a pipeline's current-version pointer. */
  isPipelinePointer: (key: string) => key.endsWith('/current.json'),

  /** A pipeline's registered spec versions and the pointer to its current one. */
  pipeline(name: string) {
    return {
      current: `pipelines/${name}/current.json`,
      spec: (hash: string) => `pipelines/${name}/specs/${hash}.json`,
      /** One entry per change of `current` (spec history), time-ordered by name. */
      versions: `pipelines/${name}/versions/`,
      version: (at: string, hash: string) => `pipelines/${name}/versions/${timeSegment(at)}-${hash}.json`,
    };
  },

  /** The first-wins label claim of one prediction id. */
  feedbackClaim: (model: string, predictionId: string) => `serving/feedback/${model}/${predictionId}.json`,

  /** Audit events, one object each in day folders. */
  audit: {
    /** `day` is `YYYY-MM-DD`. */
    day: (day: string) => `audit/${day}/`,
    /** The time-ordered name makes a day's listing chronological; `id` must be key-safe. */
    event: (at: string, id: string) => `audit/${at.slice(0, 10)}/${timeSegment(at)}-${id}.json`,
  },

  /** Metrics tables: one Parquet file per logical write, hive-partitioned by model. */
  metrics: {
    root: metricsRoot,
    partition: metricsPartition,
    part: (table: string, model: string, part: string) => `${metricsPartition(table, model)}${part}.parquet`,
    /** The table, model and part a metrics file's key names, or undefined for any other key. */
    parsePart(key: string): { table: string; model: string; part: string } | undefined {
      const m = metricsPartKey.exec(key);
      return m ? { table: m[1]!, model: m[2]!, part: m[3]! } : undefined;
    },
    /** The key of a file cached at this path below the cache's `metrics/` folder (its segments). */
    fromCacheSegments: (segments: readonly string[]) => [metricsRoot.slice(0, -1), ...segments].join('/'),
  },

  /** Compaction's manifests and lock, beside (never inside) the metrics tables. */
  compaction: {
    root: compactionRoot,
    partition: compactionPartition,
    lock: (table: string, model: string) => `${compactionPartition(table, model)}lock.json`,
    isLock: (key: string) => key.endsWith('/lock.json'),
    mergedPart: (table: string, model: string, hash: string) =>
      `${metricsPartition(table, model)}compacted-${hash}.parquet`,
    /** The manifest of a merge, named after its merged part's file. */
    manifest: (table: string, model: string, mergedKey: string) =>
      `${compactionPartition(table, model)}${mergedKey
        .split('/')
        .at(-1)!
        .replace(/\.parquet$/, '')}.json`,
  },
} as const;
