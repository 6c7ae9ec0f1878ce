import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, configEnv, loadConfig } from '../../core/config.js';

test('an empty environment yields the local defaults, bound to 127.0.0.1', () => {
  const c = loadConfig({ HOME: '/home/x' });
  assert.equal(c.bindHost, '127.0.0.1');
  assert.equal(c.temporal.address, '127.0.0.1:7233');
  assert.equal(c.temporal.uiUrl, 'http://127.0.0.1:8233');
  assert.equal(c.s3.endpoint, 'http://127.0.0.1:9000');
  assert.equal(c.s3.consoleUrl, 'http://127.0.0.1:9001');
  assert.equal(c.api.url, 'http://127.0.0.1:8080');
  assert.equal(c.temporal.taskQueue, 'ferry-pipeline');
  assert.equal(c.s3.bucket, 'ferry');
});

test('/metrics needs a token by default and /docs does not; both switches turn either way', () => {
  assert.deepEqual(loadConfig({}).api.requireToken, { metrics: true, docs: false });
  assert.deepEqual(
    loadConfig({ FERRY_API_METRICS_REQUIRE_TOKEN: 'false', FERRY_API_DOCS_REQUIRE_TOKEN: 'true' }).api
      .requireToken,
    { metrics: false, docs: true },
  );
});

test('valid overrides are parsed and typed', () => {
  const c = loadConfig({
    FERRY_HOME: '/tmp/ferry-x',
    FERRY_TEMPORAL_PORT: '17233',
    FERRY_API_PORT: '18080',
    FERRY_S3_ENDPOINT: 'http://minio.internal:9000',
    FERRY_LOG_LEVEL: 'debug',
  });
  assert.equal(c.home, '/tmp/ferry-x');
  assert.equal(c.temporal.port, 17233);
  assert.equal(c.temporal.address, '127.0.0.1:17233');
  assert.equal(c.api.url, 'http://127.0.0.1:18080');
  assert.equal(c.s3.endpoint, 'http://minio.internal:9000');
  assert.equal(c.logLevel, 'debug');
});

test('the config object is frozen, nested parts included', () => {
  const c = loadConfig({});
  assert.ok(Object.isFrozen(c));
  assert.ok(Object.isFrozen(c.temporal));
  assert.throws(() => {
    (c.temporal as { port: number }).port = 1;
  }, TypeError);
});

test('non-FERRY variables are ignored', () => {
  assert.doesNotThrow(() => loadConfig({ PORT: 'not-a-port', FERRY_API_PORT: '9090' }));
});

const invalidCases: [string, Record<string, string>, string, string][] = [
  ['a port that is not a number', { FERRY_API_PORT: 'eighty' }, 'FERRY_API_PORT', 'expected number'],
  ['a port out of range', { FERRY_TEMPORAL_PORT: '70000' }, 'FERRY_TEMPORAL_PORT', 'must be 1–65535'],
  ['a fractional port', { FERRY_MINIO_PORT: '9000.5' }, 'FERRY_MINIO_PORT', 'must be an integer'],
  ['an unknown log level', { FERRY_LOG_LEVEL: 'loud' }, 'FERRY_LOG_LEVEL', 'expected one of'],
  [
    'an endpoint that is not a URL',
    { FERRY_S3_ENDPOINT: 'minio:9000 x' },
    'FERRY_S3_ENDPOINT',
    'must be an http(s) URL',
  ],
  ['an invalid bucket name', { FERRY_S3_BUCKET: 'Ferry_Bucket' }, 'FERRY_S3_BUCKET', 'valid S3 bucket name'],
  ['a short secret', { FERRY_S3_SECRET_KEY: 'abc' }, 'FERRY_S3_SECRET_KEY', 'at least 8 characters'],
  ['a bad bind host', { FERRY_BIND_HOST: 'local host' }, 'FERRY_BIND_HOST', 'host name or IP address'],
  ['a bad task queue', { FERRY_TASK_QUEUE: 'Ferry Queue' }, 'FERRY_TASK_QUEUE', 'lowercase letters'],
  [
    'an unknown worker queue',
    { FERRY_WORKER_QUEUES: 'pipeline,gpu' },
    'FERRY_WORKER_QUEUES',
    '"pipeline", "train"',
  ],
  [
    'a zero training slot count',
    { FERRY_TRAIN_MAX_CONCURRENT_ACTIVITIES: '0' },
    'FERRY_TRAIN_MAX_CONCURRENT_ACTIVITIES',
    'must be ≥ 1',
  ],
  [
    'an OTLP endpoint that is not a URL',
    { FERRY_OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' },
    'FERRY_OTEL_EXPORTER_OTLP_ENDPOINT',
    'http(s) URL',
  ],
  [
    'a too-short startup timeout',
    { FERRY_STARTUP_TIMEOUT_MS: '5' },
    'FERRY_STARTUP_TIMEOUT_MS',
    'at least 100 ms',
  ],
  [
    "Ferry's S3 user set to MinIO's root user",
    { FERRY_S3_ACCESS_KEY: 'ferry-root' },
    'FERRY_S3_ACCESS_KEY',
    'must differ from FERRY_MINIO_ROOT_USER',
  ],
  [
    'a short MinIO root password',
    { FERRY_MINIO_ROOT_PASSWORD: 'short' },
    'FERRY_MINIO_ROOT_PASSWORD',
    'at least 8',
  ],
  ['two components on one port', { FERRY_API_PORT: '7233' }, 'FERRY_API_PORT', 'already used by another'],
  [
    'a token switch that is not a boolean',
    { FERRY_API_METRICS_REQUIRE_TOKEN: 'maybe' },
    'FERRY_API_METRICS_REQUIRE_TOKEN',
    'must be true or false',
  ],
];

for (const [what, env, variable, rule] of invalidCases) {
  test(`${what} is rejected naming ${variable} and the rule`, () => {
    assert.throws(
      () => loadConfig(env),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        const problem = err.problems.find((p) => p.variable === variable);
        assert.ok(problem, `expected a problem for ${variable}, got ${JSON.stringify(err.problems)}`);
        assert.match(problem.rule, new RegExp(rule.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
        assert.match(err.message, new RegExp(`${variable}: `));
        return true;
      },
    );
  });
}

test('every invalid variable is listed at once, not only the first', () => {
  assert.throws(
    () => loadConfig({ FERRY_API_PORT: 'x', FERRY_LOG_LEVEL: 'loud', FERRY_S3_BUCKET: 'A' }),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.deepEqual(err.problems.map((p) => p.variable).sort(), [
        'FERRY_API_PORT',
        'FERRY_LOG_LEVEL',
        'FERRY_S3_BUCKET',
      ]);
      return true;
    },
  );
});

test('a worker serves both queues by default; FERRY_WORKER_QUEUES picks one, in a fixed order, once each', () => {
  const d = loadConfig({});
  assert.deepEqual(
    [d.temporal.taskQueue, d.temporal.trainTaskQueue, d.worker.queues],
    ['ferry-pipeline', 'ferry-train', ['pipeline', 'train']],
  );
  assert.deepEqual(loadConfig({ FERRY_WORKER_QUEUES: 'train' }).worker.queues, ['train']);
  assert.deepEqual(loadConfig({ FERRY_WORKER_QUEUES: ' train , pipeline,train' }).worker.queues, [
    'pipeline',
    'train',
  ]);
  assert.deepEqual(
    [
      d.worker.maxConcurrentActivities,
      d.worker.maxConcurrentWorkflowTasks,
      d.worker.trainMaxConcurrentActivities,
    ],
    [20, 10, 2],
  );
  assert.equal(d.telemetry.otlpEndpoint, undefined);
});

test('the worker settings survive configEnv, so a child worker process sees the same pools', () => {
  const c = loadConfig({
    FERRY_WORKER_QUEUES: 'train',
    FERRY_TRAIN_TASK_QUEUE: 'gpu-train',
    FERRY_TRAIN_MAX_CONCURRENT_ACTIVITIES: '4',
    FERRY_OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
  });
  const again = loadConfig(configEnv(c));
  assert.deepEqual(again.worker, c.worker);
  assert.equal(again.temporal.trainTaskQueue, 'gpu-train');
  assert.equal(again.telemetry.otlpEndpoint, 'http://collector:4318');
});
