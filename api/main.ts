// The API process: registers the pipelines in pipelines/, serves HTTP on FERRY_API_PORT and closes
// gracefully on SIGTERM.
import { config } from '../core/config.js';
import { createLogger } from '../core/logger.js';
import { buildApp } from './app.js';
import { httpsOptionsOf } from './tls.js';
import { createApiDeps, registerPipelineDir } from './create-deps.js';
import { syncMonitorSchedule } from './services/monitor-schedules.js';
import { createSchedulesService } from './services/schedules.js';

const c = config();
const log = createLogger(c.logLevel, 'ferry-api');
const deps = await createApiDeps(c);
const pipelines = await registerPipelineDir(deps, c.pipelinesDir);
log.info({ pipelines, tokens: deps.tokens.length }, 'pipelines registered');
const schedules = await createSchedulesService(deps).syncFromSpecs(pipelines);
log[schedules.some((s) => s.outcome === 'failed') ? 'error' : 'info'](
  { schedules },
  'schedules synced from the specs',
);
for (const name of pipelines) {
  const outcome = await syncMonitorSchedule(deps, await deps.pipelines.get(name));
  if (outcome !== 'none') log.info({ pipeline: name, outcome }, 'monitor schedule synced');
}
if (deps.tokens.length === 0)
  log.warn(
    `no API tokens configured: every /v1 call will be refused (set FERRY_API_TOKENS or ${c.api.tokensFile})`,
  );
const https = await httpsOptionsOf(c.api);
const app = await buildApp(deps, { logger: log, ...(https ? { https } : {}) });
await app.listen({ host: c.bindHost, port: c.api.port });

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    log.info({ signal }, 'shutting down');
    void app
      .close()
      .then(() => deps.metrics.close())
      .then(() => deps.temporal.close())
      .then(() => process.exit(0));
  });
}
