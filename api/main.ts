// The API process: registers the pipelines in pipelines/, serves HTTP on FERRY_API_PORT and closes
// gracefully on SIGTERM.
import { config } from '../core/config.js';
import { createLogger } from '../core/logger.js';
import { startTracing } from '../core/telemetry/setup.js';
import { buildApp } from './app.js';
import { httpsOptionsOf } from './tls.js';
import { createApiDeps } from './create-deps.js';
import { createPipelineRegistration } from './services/pipeline-registration.js';

const c = config();
const tracing = startTracing({ telemetry: c.telemetry, serviceName: 'ferry-api' });
const log = createLogger(c.logLevel, 'ferry-api');
const deps = await createApiDeps(c);
const { pipelines, schedules, monitors } = await createPipelineRegistration(deps).registerDirectory(
  c.pipelinesDir,
);
log.info({ pipelines, tokens: deps.tokens.length }, 'pipelines registered');
log[schedules.some((s) => s.outcome === 'failed') ? 'error' : 'info'](
  { schedules },
  'schedules synced from the specs',
);
for (const { pipeline, outcome } of monitors)
  if (outcome !== 'none') log.info({ pipeline, outcome }, 'monitor schedule synced');
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
      .then(() => tracing.shutdown())
      .then(() => process.exit(0));
  });
}
