// The API process: serves HTTP on FERRY_API_PORT and closes gracefully on SIGTERM.
import { Connection } from '@temporalio/client';
import { config } from '../core/config.js';
import { createLogger } from '../core/logger.js';
import { createObjectStore } from '../core/storage/object-store.js';
import { buildApp } from './app.js';

const c = config();
const log = createLogger(c.logLevel, 'ferry-api');
const temporal = await Connection.connect({ address: c.temporal.address });
const store = createObjectStore(c.s3);
const app = await buildApp({ temporal, store }, { logger: log });
await app.listen({ host: c.bindHost, port: c.api.port });

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    log.info({ signal }, 'shutting down');
    void app.close().then(() => temporal.close()).then(() => process.exit(0));
  });
}
