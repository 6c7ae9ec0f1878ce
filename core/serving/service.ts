// Model serving as one object the API (or a standalone serving process) wires once: routes a request
// to a version by the model's deployment, checks and preprocesses its rows exactly as training did,
// scores them, answers, and leaves logging and shadow scoring for after the answer.
import { randomBytes, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Warehouse } from '../warehouse/store.js';
import type { Tf } from '../model/backend.js';
import { transform, type ColumnChunk } from '../model/preprocessing.js';
import { createRegistry, type Registry } from '../registry/registry.js';
import type { ObjectStore, ObjectStoreOptions } from '../storage/object-store.js';
import { createDeploymentStore, pickVersion, type DeploymentStore } from './deployment.js';
import {
  FeedbackExistsError,
  InvalidInputError,
  PredictionNotFoundError,
  type FieldError,
} from './errors.js';
import {
  claimLabel,
  createRecentPredictions,
  type PredictionLookup,
  type ServedPrediction,
} from './feedback.js';
import { silentLogger, type ServingLogger } from './logger.js';
import { createModelCache, type LoadedVersion, type ModelCache } from './model-cache.js';
import { createThreadedPredictionLog } from './prediction-log-thread.js';
import { createPredictionLog, type PredictionLog } from './prediction-log.js';
import { createServingState, type RoutingTable, type ServingState } from './server-state.js';

/** One request: one row or a batch, and an optional key that pins the caller to one version. */
export interface PredictRequest {
  rows: readonly unknown[];
  requestKey?: string;
}

/** One row's answer: class probabilities and the most likely label, or a regression value. */
export interface Prediction {
  predictionId: string;
  probabilities?: Record<string, number>;
  label?: string;
  value?: number;
}

export interface PredictResponse {
  model: string;
  /** The version that answered every row of the request. */
  version: number;
  predictions: Prediction[];
}

/** Ground truth for an earlier prediction; numbers and booleans are taken as their text. */
export interface FeedbackRequest {
  predictionId: string;
  label: string | number | boolean;
  /** Overwrite an earlier, different label (the API lets approvers and admins only). */
  replace?: boolean;
}

/** What became of a label: recorded (first label), unchanged (same label again), replaced. */
export type FeedbackOutcome = 'recorded' | 'unchanged' | 'replaced';

export interface Serving {
  readonly deployments: DeploymentStore;
  readonly state: ServingState;
  readonly cache: ModelCache;
  readonly log: PredictionLog;
  /** Throws NotDeployedError (no deployment, no champion) or InvalidInputError (rows that do not fit the schema). */
  predict(model: string, request: PredictRequest): Promise<PredictResponse>;
  /**
   * Records the label for later joins with the prediction log; checks it against the classes of the
   * version that served the id. Throws PredictionNotFoundError for an id never served, and
   * FeedbackExistsError when the id already has another label and `replace` is not set.
   */
  feedback(
    model: string,
    request: FeedbackRequest,
  ): Promise<{ model: string; predictionId: string; label: string; outcome: FeedbackOutcome }>;
  /** Writes the buffered prediction and feedback rows now. */
  flush(): Promise<void>;
  /** Stops polling, flushes the logs and frees every loaded model. */
  close(): Promise<void>;
}

export interface ServingOptions {
  store: ObjectStore;
  /** Writes the prediction log on this thread (tests, small setups)… */
  metrics?: Pick<Warehouse, 'append'>;
  /** …or on a worker thread with its own storage clients, keeping Parquet writes off the request thread. */
  logThread?: { s3: ObjectStoreOptions; cacheDir: string };
  registry?: Registry;
  /** Names this process in log part names; default `<host>-<pid>-<random>`. */
  replicaId?: string;
  pollMs?: number;
  graceMs?: number;
  flushMs?: number;
  flushRows?: number;
  maxRowsPerRequest?: number;
  log?: ServingLogger;
  tf?: () => Promise<Tf>;
  /** Uniform [0, 1) draws for requests without a key. */
  random?: () => number;
  /** Finds prediction ids in the written log (other replicas', or this one's older ones); default: none. */
  predictionLookup?: PredictionLookup;
  /** Prediction ids kept in memory for feedback before the log has them (default 200 000). */
  recentPredictions?: number;
}

export function createServing(options: ServingOptions): Serving {
  const { store } = options;
  const registry = options.registry ?? createRegistry({ store });
  const log = options.log ?? silentLogger;
  const random = options.random ?? Math.random;
  const replicaId = options.replicaId ?? `${hostname()}-${process.pid}-${randomBytes(2).toString('hex')}`;
  const deployments = createDeploymentStore({ store, registry });
  const cache = createModelCache({
    store,
    registry,
    ...(options.tf ? { tf: options.tf } : {}),
    ...(options.maxRowsPerRequest ? { maxRowsPerRequest: options.maxRowsPerRequest } : {}),
  });
  const state = createServingState({
    deployments,
    cache,
    pollMs: options.pollMs,
    graceMs: options.graceMs,
    log,
  });
  const recent = createRecentPredictions(options.recentPredictions);
  const lookup = options.predictionLookup ?? (async () => undefined);
  const logSettings = { replicaId, flushMs: options.flushMs, flushRows: options.flushRows, log };
  let predictionLog: PredictionLog;
  if (options.logThread)
    predictionLog = createThreadedPredictionLog({ ...options.logThread, ...logSettings });
  else if (options.metrics) predictionLog = createPredictionLog({ metrics: options.metrics, ...logSettings });
  else throw new Error('createServing needs `metrics` or `logThread` to write the prediction log');

  /**
   * Scores a chunk; a row whose output is not finite (float32 overflow inside the model, which the
   * input bounds make unlikely but cannot rule out for every set of weights) is a 400 naming the
   * row, never a 500 and never an answer of NaN.
   */
  function score(loaded: LoadedVersion, chunk: ColumnChunk): Float32Array {
    const out = loaded.forward.run(transform(loaded.preprocessing.preprocessor, chunk), chunk.length);
    const width = out.length / chunk.length;
    let errors: FieldError[] | undefined;
    for (let i = 0; i < out.length; i++) {
      if (Number.isFinite(out[i]!)) continue;
      const row = Math.floor(i / width);
      errors ??= [];
      errors.push({
        field: `rows[${row}]`,
        rule: "makes the model's output overflow (not a finite number); bring its numeric features closer to the training data",
      });
      i = (row + 1) * width - 1;
    }
    if (errors) throw new InvalidInputError(errors.slice(0, 20));
    return out;
  }

  /** Row `i`'s answer from the model output; `id` links it to the prediction log and feedback. */
  function answer(loaded: LoadedVersion, out: Float32Array, i: number, id: string): Prediction {
    const classes = loaded.classes;
    if (!classes) return { predictionId: id, value: out[i]! };
    const width = classes.length;
    const probabilities: Record<string, number> = {};
    let best = 0;
    for (let k = 0; k < width; k++) {
      const p = out[i * width + k]!;
      probabilities[classes[k]!] = p;
      if (p > out[i * width + best]!) best = k;
    }
    return { predictionId: id, probabilities, label: classes[best]! };
  }

  /** Logs every row of a scoring that began at `started` (performance.now()); `predictions` is absent when it failed. */
  function logRows(
    loaded: LoadedVersion,
    rows: readonly unknown[],
    predictions: readonly Prediction[] | undefined,
    ids: readonly string[],
    o: { requestKey: string | null; shadow: boolean; started: number; error: string | null },
  ): void {
    const extra = {
      requestKey: o.requestKey,
      shadow: o.shadow,
      latencyMs: performance.now() - o.started,
      ts: Date.now(),
      error: o.error,
    };
    for (let i = 0; i < ids.length; i++) {
      const p = predictions?.[i];
      predictionLog.prediction({
        model: loaded.model,
        version: loaded.version,
        predictionId: ids[i]!,
        features: rows[i],
        output: p ? (p.probabilities ?? p.value) : null,
        predicted: p ? (p.label ?? String(p.value)) : null,
        ...extra,
      });
    }
  }

  /** Scores the request's rows with every shadow version; answers are logged with the primary's ids, never returned. */
  function scoreShadows(
    table: RoutingTable,
    rows: readonly unknown[],
    ids: readonly string[],
    requestKey: string | null,
  ): void {
    for (const loaded of table.shadow) {
      const started = performance.now();
      let predictions: Prediction[] | undefined;
      let error: string | null = null;
      try {
        // A shadow may take other features than the primary: it checks the raw rows against its own schema.
        const out = score(loaded, loaded.decoder.decode(rows));
        predictions = ids.map((id, i) => answer(loaded, out, i, id));
      } catch (err) {
        error = (err as Error).message;
      }
      logRows(loaded, rows, predictions, ids, { requestKey, shadow: true, started, error });
    }
  }

  return {
    deployments,
    state,
    cache,
    log: predictionLog,

    async predict(model, request) {
      const started = performance.now();
      const table = state.current(model) ?? (await state.table(model));
      const version = pickVersion(table.routes, request.requestKey, random);
      const loaded = table.versions.get(version)!;
      const { rows } = request;
      const chunk = loaded.decoder.decode(rows);
      const n = chunk.length;
      const ids = new Array<string>(n);
      for (let i = 0; i < n; i++) ids[i] = randomUUID();
      const requestKey = request.requestKey ?? null;
      let out: Float32Array;
      try {
        out = score(loaded, chunk);
      } catch (err) {
        logRows(loaded, rows, undefined, ids, {
          requestKey,
          shadow: false,
          started,
          error: (err as Error).message,
        });
        throw err;
      }
      const predictions = new Array<Prediction>(n);
      for (let i = 0; i < n; i++) predictions[i] = answer(loaded, out, i, ids[i]!);
      const served: ServedPrediction = { model, version };
      for (let i = 0; i < n; i++) recent.add(ids[i]!, served);
      logRows(loaded, rows, predictions, ids, { requestKey, shadow: false, started, error: null });
      if (table.shadow.length > 0) setImmediate(() => scoreShadows(table, rows, ids, requestKey));
      return { model, version, predictions };
    },

    async feedback(model, request) {
      const { predictionId } = request;
      const served = recent.get(predictionId) ?? (await lookup(model, predictionId));
      if (!served || served.model !== model) throw new PredictionNotFoundError(model, predictionId);
      const classes =
        cache.peek(model, served.version)?.classes ??
        (await registry.getVersion(model, served.version)).inputSchema.classes;
      const label = String(request.label);
      if (classes) {
        if (!classes.includes(label))
          throw new InvalidInputError([
            {
              field: 'label',
              rule: `must be one of the model's classes (${classes.map((c) => `"${c}"`).join(', ')}), got "${label}"`,
            },
          ]);
      } else if (label.trim() === '' || !Number.isFinite(Number(label))) {
        throw new InvalidInputError([
          { field: 'label', rule: `must be a finite number (the model predicts a value), got "${label}"` },
        ]);
      }
      const now = new Date();
      const claim = await claimLabel(store, model, predictionId, label, {
        replace: request.replace === true,
        now,
      });
      if (claim.outcome === 'conflict')
        throw new FeedbackExistsError(model, predictionId, claim.existing.label);
      if (claim.outcome !== 'unchanged')
        predictionLog.feedback({ model, predictionId, label, ts: now.getTime() });
      return { model, predictionId, label, outcome: claim.outcome };
    },

    flush() {
      return predictionLog.flush();
    },

    async close() {
      state.close();
      try {
        await predictionLog.close();
      } finally {
        cache.close();
      }
    },
  };
}
