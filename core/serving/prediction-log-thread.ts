// The prediction log with its writer on a worker thread. Writing a Parquet part (DuckDB appender,
// COPY, upload) blocks the thread that does it for ~20 ms per 4 000 rows, which on the request
// thread would show up as p99 latency; here the request thread only hands small chunks of records
// over (a structured clone every 50 ms or 256 records) and the worker batches and writes them.
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ObjectStoreOptions } from '../storage/object-store.js';
import { silentLogger, type ServingLogger } from './logger.js';
import type {
  FeedbackRecord,
  PredictionLog,
  PredictionLogStats,
  PredictionRecord,
} from './prediction-log.js';

/** What the worker is started with. */
export interface LogWorkerInit {
  s3: ObjectStoreOptions;
  cacheDir: string;
  replicaId: string;
  flushMs?: number;
  flushRows?: number;
  maxBufferedRows?: number;
  /** Compact the log's small parts this often (default 60 000 ms; 0 = never). */
  compactEveryMs?: number;
}

/** Messages to the worker. */
export type ToLogWorker =
  | { type: 'records'; predictions: PredictionRecord[]; feedback: FeedbackRecord[] }
  | { type: 'flush' | 'close'; id: number };

/** Messages from the worker. */
export type FromLogWorker =
  | { type: 'done'; id: number; error: string | null; stats: PredictionLogStats }
  | { type: 'log'; level: 'warn' | 'error'; obj: object; msg: string };

export interface ThreadedPredictionLogOptions extends LogWorkerInit {
  /** Hand records to the worker at least this often (default 50 ms). */
  handoffMs?: number;
  /** …or as soon as this many wait (default 256). */
  handoffRows?: number;
  log?: ServingLogger;
}

// Under tsx (development, tests) the worker needs tsx's loader registered before it imports TypeScript.
function workerSource(): string {
  const ext = extname(fileURLToPath(import.meta.url));
  const entry = new URL(`./prediction-log-worker${ext}`, import.meta.url).href;
  if (ext !== '.ts') return `import(${JSON.stringify(entry)});`;
  const tsx = import.meta.resolve('tsx/esm/api');
  return `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
}

export function createThreadedPredictionLog(options: ThreadedPredictionLogOptions): PredictionLog {
  const { handoffMs = 50, handoffRows = 256, log = silentLogger } = options;
  const maxBuffered = options.maxBufferedRows ?? 200_000;
  const init: LogWorkerInit = {
    s3: {
      endpoint: options.s3.endpoint,
      region: options.s3.region,
      bucket: options.s3.bucket,
      accessKey: options.s3.accessKey,
      secretKey: options.s3.secretKey,
      ...(options.s3.credentials ? { credentials: options.s3.credentials } : {}),
    },
    cacheDir: options.cacheDir,
    replicaId: options.replicaId,
    flushMs: options.flushMs,
    flushRows: options.flushRows,
    maxBufferedRows: options.maxBufferedRows,
    compactEveryMs: options.compactEveryMs,
  };
  let worker: Worker | undefined;
  let predictions: PredictionRecord[] = [];
  let feedback: FeedbackRecord[] = [];
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let seq = 0;
  let localDropped = 0;
  let remote: PredictionLogStats = { buffered: 0, written: 0, dropped: 0, failedWrites: 0 };
  const waiting = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();

  function lost(w: Worker, err: Error): void {
    if (worker !== w) return;
    worker = undefined;
    log.error({ err }, 'prediction log writer stopped; a new one starts with the next records');
    for (const [, p] of waiting) p.reject(err);
    waiting.clear();
  }

  function start(): Worker {
    if (worker) return worker;
    const w = new Worker(workerSource(), { eval: true, workerData: init, name: 'ferry-prediction-log' });
    // Idle, it must not keep the process alive; while someone awaits it, it must.
    w.unref();
    w.on('message', (m: FromLogWorker) => {
      if (m.type === 'log') {
        log[m.level](m.obj, m.msg);
        return;
      }
      remote = m.stats;
      const p = waiting.get(m.id);
      waiting.delete(m.id);
      if (waiting.size === 0) w.unref();
      if (m.error === null) p?.resolve();
      else p?.reject(new Error(m.error));
    });
    w.on('error', (err) => lost(w, err));
    w.on('exit', (code) => lost(w, new Error(`prediction log writer exited with code ${code}`)));
    worker = w;
    return w;
  }

  function handoff(): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (predictions.length === 0 && feedback.length === 0) return;
    const message: ToLogWorker = { type: 'records', predictions, feedback };
    predictions = [];
    feedback = [];
    start().postMessage(message);
  }

  function pushed(): void {
    if (predictions.length + feedback.length >= handoffRows) handoff();
    else if (!timer) {
      timer = setTimeout(handoff, handoffMs);
      timer.unref();
    }
  }

  function request(type: 'flush' | 'close'): Promise<void> {
    handoff();
    const w = start();
    const id = ++seq;
    w.ref();
    return new Promise<void>((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      w.postMessage({ type, id } satisfies ToLogWorker);
    });
  }

  function push<T>(into: T[], record: T): void {
    if (closed || predictions.length + feedback.length >= maxBuffered) {
      localDropped++;
      return;
    }
    into.push(record);
    pushed();
  }

  return {
    prediction: (record) => push(predictions, record),
    feedback: (record) => push(feedback, record),
    async flush() {
      // Let work queued for after the current responses (shadow scoring) log its rows first.
      await new Promise<void>((resolve) => setImmediate(resolve));
      return request('flush');
    },
    async close() {
      if (closed) return;
      await new Promise<void>((resolve) => setImmediate(resolve));
      closed = true;
      if (!worker && predictions.length === 0 && feedback.length === 0) return;
      const w = start();
      try {
        await request('close');
      } finally {
        worker = undefined;
        await w.terminate();
      }
    },
    stats() {
      return {
        ...remote,
        buffered: remote.buffered + predictions.length + feedback.length,
        dropped: remote.dropped + localDropped,
      };
    },
  };
}
