// TLS with certificates made in the test: the API serves HTTPS from FERRY_API_TLS_*, and Ferry's
// Temporal client and worker connection speak mTLS from FERRY_TEMPORAL_TLS_* — through a TLS proxy
// that demands a client certificate in front of the real dev server (which has no TLS flags itself).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { connect as netConnect, type AddressInfo } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { buildApp } from '../../api/app.js';
import { httpsOptionsOf } from '../../api/tls.js';
import { loadConfig } from '../../core/config.js';
import { temporalConnectOptions } from '../../core/temporal-connection.js';
import { createApiHarness, type ApiHarness } from '../helpers/api.js';
import { makeTestCerts, type TestCerts } from '../helpers/certs.js';
import { createHarness, type Harness } from '../helpers/pipeline.js';

let h: Harness;
let api: ApiHarness;
let certs: TestCerts;

before(async () => {
  h = await createHarness({ worker: false });
  api = await createApiHarness(h);
  certs = await makeTestCerts('temporal.test', 'ferry-worker');
});
after(async () => {
  await api.close();
  await h.close();
  await rm(certs.dir, { recursive: true, force: true });
});

const fetchText = (getter: typeof httpsGet, url: string, ca?: Buffer) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    getter(url, ca ? { ca } : {}, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });

test('with FERRY_API_TLS_CERT and _KEY the API serves HTTPS and no plain HTTP', async () => {
  const c = loadConfig(undefined, {
    FERRY_API_TLS_CERT: certs.serverCert,
    FERRY_API_TLS_KEY: certs.serverKey,
  });
  assert.match(c.api.url, /^https:\/\//);
  const https = await httpsOptionsOf(c.api);
  assert.ok(https);
  const app = await buildApp(api.deps, { logger: false, https });
  // The harness's deps are closed by the harness, not by this app.
  try {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const port = (app.server.address() as AddressInfo).port;
    const ok = await fetchText(httpsGet, `https://127.0.0.1:${port}/healthz`, readFileSync(certs.ca));
    assert.deepEqual([ok.status, JSON.parse(ok.body)], [200, { status: 'ok' }]);
    await assert.rejects(
      fetchText(httpsGet, `https://127.0.0.1:${port}/healthz`),
      /self-signed|unable to (get|verify)/i,
    );
    await assert.rejects(fetchText(httpGet, `http://127.0.0.1:${port}/healthz`));
  } finally {
    await app.server.close();
  }
});

test('only one of FERRY_API_TLS_CERT and _KEY is a configuration error naming the other', () => {
  assert.throws(
    () => loadConfig({ HOME: '/x', FERRY_API_TLS_CERT: certs.serverCert }),
    (err: Error & { problems?: { variable: string }[] }) =>
      err.problems?.[0]?.variable === 'FERRY_API_TLS_KEY',
  );
});

/** A TLS front for the dev server that requires a client certificate signed by the test CA. */
async function mtlsProxy(upstreamPort: number) {
  const clients: string[] = [];
  const server = createTlsServer(
    {
      cert: readFileSync(certs.serverCert),
      key: readFileSync(certs.serverKey),
      ca: readFileSync(certs.ca),
      requestCert: true,
      rejectUnauthorized: true,
      ALPNProtocols: ['h2'],
    },
    (socket: TLSSocket) => {
      clients.push(String(socket.getPeerCertificate().subject?.CN));
      const upstream = netConnect(upstreamPort, '127.0.0.1');
      socket.pipe(upstream).pipe(socket);
      const end = () => {
        socket.destroy();
        upstream.destroy();
      };
      socket.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
    },
  );
  const refused: string[] = [];
  server.on('tlsClientError', (err) => refused.push(err.message));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { port: (server.address() as AddressInfo).port, clients, refused, close: () => server.close() };
}

test(
  'the Temporal client and the worker connection speak mTLS with FERRY_TEMPORAL_TLS_*',
  { timeout: 60_000 },
  async () => {
    const proxy = await mtlsProxy(h.config.temporal.port);
    try {
      const c = loadConfig(undefined, {
        FERRY_TEMPORAL_ADDRESS: `127.0.0.1:${proxy.port}`,
        FERRY_TEMPORAL_TLS_CA: certs.ca,
        FERRY_TEMPORAL_TLS_CERT: certs.clientCert,
        FERRY_TEMPORAL_TLS_KEY: certs.clientKey,
        FERRY_TEMPORAL_TLS_SERVER_NAME: 'temporal.test',
      });
      const options = await temporalConnectOptions(c.temporal);
      assert.equal(options.tls?.serverNameOverride, 'temporal.test');
      assert.ok(options.tls?.clientCertPair && options.tls.serverRootCACertificate);

      const client = await Connection.connect(options);
      try {
        const info = await client.workflowService.describeNamespace({ namespace: c.temporal.namespace });
        assert.equal(info.namespaceInfo?.name, c.temporal.namespace);
      } finally {
        await client.close();
      }
      const native = await NativeConnection.connect(options);
      await native.close();
      assert.ok(proxy.clients.length >= 2, `connections: ${proxy.clients.join(', ')}`);
      assert.deepEqual(
        [...new Set(proxy.clients)],
        ['ferry-worker'],
        'every connection presented the client certificate',
      );

      // Without the client certificate the proxy (like Temporal Cloud) refuses the handshake.
      const noCert = loadConfig(undefined, {
        FERRY_TEMPORAL_ADDRESS: `127.0.0.1:${proxy.port}`,
        FERRY_TEMPORAL_TLS_CA: certs.ca,
        FERRY_TEMPORAL_TLS_SERVER_NAME: 'temporal.test',
      });
      await assert.rejects(
        Connection.connect({ ...(await temporalConnectOptions(noCert.temporal)), connectTimeout: 3000 }),
      );
      assert.ok(proxy.refused.length > 0, 'the handshake without a certificate was refused');
    } finally {
      proxy.close();
    }
  },
);
