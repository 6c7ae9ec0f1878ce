// The prediction and feedback logs: requests only push records into memory; a timer (or a full
// buffer) writes them as Parquet parts to the `predictions` / `feedback` metrics tables, one part per
// (table, model) per flush. A failed write keeps its part name and is retried, so a retry overwrites
// instead of duplicating. JSON encoding happens at flush time, never on the request path.
import type { Warehouse } from '../warehouse/store.js';
import type { WarehouseRowInput } from '../warehouse/tables.js';
import { silentLogger, type ServingLogger } from './logger.js';

/** One scored row, primary or shadow. */
export interface PredictionRecord {
  model: string;
  version: number;
  predictionId: string;
  requestKey: string | null;
  shadow: boolean;
  /** The row as the caller sent it (JSON-encoded at flush time). */
  features: unknown;
  /** Class probabilities by label, or the regression value (JSON-encoded at flush time). */
  output: unknown;
  /** The predicted class label, or the value as text; null when scoring failed. */
  predicted: string | null;
  latencyMs: number;
  error: string | null;
  /** Epoch milliseconds. */
  ts: number;
}

/** Ground truth for one earlier prediction. */
export interface FeedbackRecord {
  model: string;
  predictionId: string;
  label: string;
  ts: number;
}

export interface PredictionLogStats {
  buffered: number;
  written: number;
  /** Records dropped because the buffer was full (storage down for long) or the log was closed. */
  dropped: number;
  failedWrites: number;
}

export interface PredictionLog {
  prediction(record: PredictionRecord): void;
  feedback(record: FeedbackRecord): void;
  /** Writes everything buffered so far (and retries earlier failed parts); resolves when done, rejects if a part still failed. */
  flush(): Promise<void>;
  /** Stops the timer and flushes. Records logged afterwards are dropped. */
  close(): Promise<void>;
  stats(): PredictionLogStats;
}

export interface PredictionLogOptions {
  metrics: Pick<Warehouse, 'append'>;
  /** Names this process in part names, so replicas never overwrite each other's parts. */
  replicaId: string;
  /** Flush at least this often (default 2000 ms). */
  flushMs?: number;
  /** Flush early once this many records wait (default 5000). */
  flushRows?: number;
  /** Beyond this many buffered records (storage unreachable), the oldest are dropped (default 200 000). */
  maxBufferedRows?: number;
  log?: ServingLogger;
}

type Batch =
  | { table: 'predictions'; model: string; part: string; rows: WarehouseRowInput<'predictions'>[] }
  | { table: 'feedback'; model: string; part: string; rows: WarehouseRowInput<'feedback'>[] };

/** Turns any text into a metrics part segment (letters, digits, ".", "_", "-"; starts with a letter or digit). */
export function partSafe(text: string, max = 80): string {
  const cleaned = text
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, max);
  return cleaned || 'replica';
}

export function createPredictionLog(options: PredictionLogOptions): PredictionLog {
  const { metrics } = options;
  const replicaId = partSafe(options.replicaId);
  const flushMs = options.flushMs ?? 2000;
  const flushRows = options.flushRows ?? 5000;
  const maxBuffered = options.maxBufferedRows ?? 200_000;
  const log = options.log ?? silentLogger;

  let predictions: PredictionRecord[] = [];
  let feedbacks: FeedbackRecord[] = [];
  let retry: Batch[] = [];
  let seq = 0;
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<void> = Promise.resolve();
  let inFlight = false;
  let earlyFlushQueued = false;
  let closed = false;
  const stats: PredictionLogStats = { buffered: 0, written: 0, dropped: 0, failedWrites: 0 };
  let lastFailure: string | undefined;

  function partName(): string {
    const stamp = new Date().toISOString().replace(/[-:.]/g, '');
    return `${replicaId}-${stamp}-${String(++seq).padStart(6, '0')}`;
  }

  function started(): void {
    if (timer || closed) return;
    timer = setInterval(() => {
      if (!inFlight) void flush().catch(() => undefined);
    }, flushMs);
    timer.unref();
  }

  function buffered(): number {
    return predictions.length + feedbacks.length + retry.reduce((s, b) => s + b.rows.length, 0);
  }

  function afterPush(): void {
    started();
    if (predictions.length + feedbacks.length >= flushRows && !inFlight && !earlyFlushQueued) {
      earlyFlushQueued = true;
      setImmediate(() => {
        earlyFlushQueued = false;
        if (!inFlight) void flush().catch(() => undefined);
      });
    }
  }

  function batches(): Batch[] {
    const out: Batch[] = [];
    const byModel = new Map<string, WarehouseRowInput<'predictions'>[]>();
    for (const p of predictions) {
      let rows = byModel.get(p.model);
      if (!rows) byModel.set(p.model, (rows = []));
      rows.push({
        model: p.model,
        version: p.version,
        prediction_id: p.predictionId,
        request_key: p.requestKey,
        shadow: p.shadow,
        features: JSON.stringify(p.features),
        output: JSON.stringify(p.output ?? null),
        predicted: p.predicted,
        latency_ms: p.latencyMs,
        error: p.error,
        ts: new Date(p.ts),
      });
    }
    for (const [model, rows] of byModel) out.push({ table: 'predictions', model, part: partName(), rows });
    const fbByModel = new Map<string, WarehouseRowInput<'feedback'>[]>();
    for (const f of feedbacks) {
      let rows = fbByModel.get(f.model);
      if (!rows) fbByModel.set(f.model, (rows = []));
      rows.push({ model: f.model, prediction_id: f.predictionId, label: f.label, ts: new Date(f.ts) });
    }
    for (const [model, rows] of fbByModel) out.push({ table: 'feedback', model, part: partName(), rows });
    predictions = [];
    feedbacks = [];
    return out;
  }

  async function flushOnce(): Promise<void> {
    const todo = [...retry, ...batches()];
    retry = [];
    let failure: unknown;
    for (const batch of todo) {
      try {
        if (batch.table === 'predictions')
          await metrics.append('predictions', batch.rows, { model: batch.model, part: batch.part });
        else await metrics.append('feedback', batch.rows, { model: batch.model, part: batch.part });
        stats.written += batch.rows.length;
      } catch (err) {
        failure = err;
        stats.failedWrites++;
        retry.push(batch);
        const message = (err as Error).message;
        if (message !== lastFailure)
          log.warn(
            { err, table: batch.table, model: batch.model, rows: batch.rows.length },
            'prediction log write failed; will retry',
          );
        lastFailure = message;
      }
    }
    // Storage unreachable for long: keep the newest records and count the rest as lost.
    let excess = buffered() - maxBuffered;
    while (excess > 0 && retry.length > 0) {
      const oldest = retry.shift()!;
      stats.dropped += oldest.rows.length;
      excess -= oldest.rows.length;
    }
    if (failure === undefined) lastFailure = undefined;
    else throw failure;
  }

  function flush(): Promise<void> {
    const run = chain.then(async () => {
      inFlight = true;
      try {
        await flushOnce();
      } finally {
        inFlight = false;
      }
    });
    chain = run.catch(() => undefined);
    return run;
  }

  function push<T>(into: T[], record: T): void {
    if (closed || predictions.length + feedbacks.length >= maxBuffered) {
      stats.dropped++;
      return;
    }
    into.push(record);
    afterPush();
  }

  return {
    prediction: (record) => push(predictions, record),
    feedback: (record) => push(feedbacks, record),
    async flush() {
      // Let work queued for after the current responses (shadow scoring) log its rows first.
      await new Promise<void>((resolve) => setImmediate(resolve));
      return flush();
    },
    async close() {
      if (closed) return chain;
      await new Promise<void>((resolve) => setImmediate(resolve));
      closed = true;
      if (timer) clearInterval(timer);
      timer = undefined;
      await flush();
    },
    stats() {
      return { ...stats, buffered: buffered() };
    },
  };
}
