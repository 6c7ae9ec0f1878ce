// The object store gives up on an endpoint that accepts connections but never answers (a frozen
// MinIO looks exactly like this: the kernel still accepts, nobody reads), instead of hanging its caller.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { loadConfig } from '../../core/config.js';
import { createObjectStore } from '../../core/storage/object-store.js';

let server: Server;
let port: number;
const sockets: Socket[] = [];

before(async () => {
  server = createServer((socket) => {
    // Read nothing back, answer nothing: the request just sits there.
    sockets.push(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
after(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => server.close(resolve));
});

test('a request to an endpoint that never answers fails after the request timeout instead of hanging', async () => {
  const store = createObjectStore({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    bucket: 'ferry',
    accessKey: 'ferry-app',
    secretKey: 'ferry-local-secret',
    connectTimeoutMs: 300,
    requestTimeoutMs: 300,
  });
  const started = Date.now();
  const outcome = await Promise.race([
    store.get('any/key').then(
      () => 'answered',
      (err: unknown) => (err as Error).name,
    ),
    new Promise<string>((resolve) => setTimeout(() => resolve('still waiting'), 8_000).unref()),
  ]);
  // The SDK's TimeoutError reaches callers as the store's typed outage error (the API answers it with 503).
  assert.equal(outcome, 'StorageUnavailableError');
  // Three SDK attempts of 300 ms each plus its short backoff.
  assert.ok(Date.now() - started < 5_000, `gave up only after ${Date.now() - started} ms`);
});

test('the S3 connect and request timeouts come from FERRY_S3_*_TIMEOUT_MS', () => {
  const c = loadConfig({ FERRY_S3_CONNECT_TIMEOUT_MS: '1500', FERRY_S3_REQUEST_TIMEOUT_MS: '20000' });
  assert.equal(c.s3.connectTimeoutMs, 1500);
  assert.equal(c.s3.requestTimeoutMs, 20_000);
  assert.equal(loadConfig({}).s3.requestTimeoutMs, 10_000);
});
