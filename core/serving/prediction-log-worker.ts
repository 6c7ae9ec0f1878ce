// Worker-thread entry of the threaded prediction log (see prediction-log-thread.ts): owns its own
// object store client and warehouse, batches the records it is handed and writes them.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { compactPartition } from '../warehouse/compaction.js';
import { createWarehouse } from '../warehouse/store.js';
import { createObjectStore } from '../storage/object-store.js';
import type { ServingLogger } from './logger.js';
import type { FromLogWorker, LogWorkerInit, ToLogWorker } from './prediction-log-thread.js';
import { createPredictionLog } from './prediction-log.js';

const port = parentPort;
if (!port) throw new Error('prediction-log-worker must run as a worker thread');
const init = workerData as LogWorkerInit;
const send = (m: FromLogWorker) => port.postMessage(m);

// Errors are cloned across threads; everything else the logger gets is plain data.
const relay: ServingLogger = {
  debug() {},
  info() {},
  warn: (obj, msg) => send({ type: 'log', level: 'warn', obj, msg }),
  error: (obj, msg) => send({ type: 'log', level: 'error', obj, msg }),
};

const store = createObjectStore(init.s3);
const metrics = createWarehouse({ store, cacheDir: init.cacheDir });
// An append keeps a local copy in the cache for the writer's own queries; this writer never queries,
// so the copy is dropped (the cache is documented as deletable) instead of filling the disk.
const append: typeof metrics.append = async (table, rows, options) => {
  const written = await metrics.append(table, rows, options);
  const path = join(init.cacheDir, ...written.key.split('/'));
  await Promise.all([rm(path, { force: true }), rm(`${path}.meta.json`, { force: true })]);
  return written;
};
const log = createPredictionLog({
  metrics: { append },
  replicaId: init.replicaId,
  flushMs: init.flushMs,
  flushRows: init.flushRows,
  maxBufferedRows: init.maxBufferedRows,
  log: relay,
});

// Every flush adds a small part per model; compaction merges them now and then so that queries
// over the log do not slow down as it grows (see core/warehouse/compaction.ts).
const touched = new Set<string>();
let compacting: Promise<void> | undefined;
async function compactTouched(): Promise<void> {
  const models = [...touched];
  touched.clear();
  for (const model of models)
    for (const table of ['predictions', 'feedback'] as const)
      await compactPartition(table, model, { store, scratchDir: join(init.cacheDir, 'compaction') });
}
const compactEveryMs = init.compactEveryMs ?? 60_000;
if (compactEveryMs > 0)
  setInterval(() => {
    if (compacting || touched.size === 0) return;
    compacting = compactTouched()
      .catch((err: unknown) =>
        send({
          type: 'log',
          level: 'warn',
          obj: { err },
          msg: 'prediction log compaction failed; will retry',
        }),
      )
      .finally(() => {
        compacting = undefined;
      });
  }, compactEveryMs).unref();

port.on('message', (m: ToLogWorker) => {
  if (m.type === 'records') {
    for (const r of m.predictions) {
      log.prediction(r);
      touched.add(r.model);
    }
    for (const r of m.feedback) {
      log.feedback(r);
      touched.add(r.model);
    }
    return;
  }
  const done = m.type === 'flush' ? log.flush() : log.close().then(() => metrics.close());
  done.then(
    () => send({ type: 'done', id: m.id, error: null, stats: log.stats() }),
    (err: unknown) => send({ type: 'done', id: m.id, error: (err as Error).message, stats: log.stats() }),
  );
});
