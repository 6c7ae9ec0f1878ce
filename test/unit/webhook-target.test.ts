// Webhook targets: which addresses are refused, the allowlist, the lookup used at connect time, the
// signature receivers verify and redirects not followed — against real sockets on loopback.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { lookup } from 'node:dns/promises';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { test } from 'node:test';
import ipaddr from 'ipaddr.js';
import { loadConfig } from '../../core/config.js';
import { deliverWebhook } from '../../core/webhooks/deliver.js';
import { redactedUrl, redactSpec, specForHistory, webhookPolicyOf } from '../../core/webhooks/secrets.js';
import { signatureHeader, verifyWebhook } from '../../core/webhooks/signature.js';
import {
  checkWebhookUrl,
  WebhookTargetRefusedError,
  type WebhookTargetPolicy,
} from '../../core/webhooks/target.js';
import type { PipelineSpec } from '../../core/pipeline-spec/schema.js';

const none: WebhookTargetPolicy = { allow: [], ownPorts: [7233, 9000] };
const secret = 'a-webhook-secret-of-at-least-32-characters';

async function refusal(policy: WebhookTargetPolicy, url: string): Promise<string | undefined> {
  try {
    await checkWebhookUrl(policy, url, { resolve: 'if-possible' });
    return undefined;
  } catch (err) {
    if (err instanceof WebhookTargetRefusedError) return err.rule;
    throw err;
  }
}

test('loopback, link-local, private, unspecified and IPv4-mapped targets are refused at registration', async () => {
  const refused = {
    'http://127.0.0.1:8080/x': /loopback/,
    'http://127.9.9.9/x': /loopback/,
    'http://2130706433/x': /loopback/, // 127.0.0.1 as one number
    'http://0x7f.1/x': /loopback/,
    'http://localhost:8080/x': /loopback \(localhost\)/,
    'http://LOCALHOST./x': /loopback \(localhost\)/,
    'http://api.localhost/x': /loopback \(localhost\)/,
    'http://169.254.169.254/latest/meta-data/': /linkLocal/,
    'http://10.1.2.3/x': /private/,
    'http://172.16.0.1/x': /private/,
    'http://192.168.1.1/x': /private/,
    'http://100.64.0.1/x': /carrierGradeNat/,
    'http://0.0.0.0/x': /unspecified/,
    'http://[::]/x': /unspecified/,
    'http://[::1]/x': /loopback/,
    'http://[fe80::1]/x': /linkLocal/,
    'http://[fd12:3456::1]/x': /uniqueLocal/,
    'http://[::ffff:127.0.0.1]/x': /loopback/,
    'http://[::ffff:169.254.169.254]/x': /linkLocal/,
    'http://[::127.0.0.1]/x': /IPv4-compatible/,
    'http://[64:ff9b::a00:1]/x': /rfc6052/,
    'ftp://8.8.8.8/x': /must be an http\(s\) URL/,
    'http://user:pw@8.8.8.8/x': /credentials/,
  };
  for (const [url, rule] of Object.entries(refused)) {
    const why = await refusal(none, url);
    assert.ok(why, `${url} should be refused`);
    assert.match(why, rule, url);
  }
  assert.equal(await refusal(none, 'https://8.8.8.8/hook'), undefined);
  assert.equal(await refusal(none, 'https://[2606:4700::1111]/hook'), undefined);
  // A name that does not resolve (no network here) is accepted at registration and checked on delivery.
  assert.equal(await refusal(none, 'https://hooks.example.invalid/T000/secret'), undefined);
});

test('the allowlist admits a host by name or host:port, but Ferry’s own ports only by exact host:port', async () => {
  const byHost: WebhookTargetPolicy = { allow: ['127.0.0.1', 'localhost', '[::1]'], ownPorts: [9000] };
  assert.equal(await refusal(byHost, 'http://127.0.0.1:18080/x'), undefined);
  assert.equal(await refusal(byHost, 'http://localhost:18080/x'), undefined);
  assert.equal(await refusal(byHost, 'http://[::1]:18080/x'), undefined);
  assert.match((await refusal(byHost, 'http://127.0.0.1:9000/x'))!, /stack's own servers/);
  assert.match((await refusal(byHost, 'http://10.0.0.1/x'))!, /private/);
  const byPort: WebhookTargetPolicy = { allow: ['127.0.0.1:9000'], ownPorts: [9000] };
  assert.equal(await refusal(byPort, 'http://127.0.0.1:9000/x'), undefined);
  assert.match((await refusal(byPort, 'http://127.0.0.1:9001/x'))!, /loopback/);
});

test('the policy from config names every port of the stack and the FERRY_WEBHOOK_ALLOW entries', () => {
  const c = loadConfig({ HOME: '/home/x', FERRY_WEBHOOK_ALLOW: ' Hooks.Internal , 127.0.0.1:9999' });
  const p = webhookPolicyOf(c);
  assert.deepEqual(p.allow, ['hooks.internal', '127.0.0.1:9999']);
  assert.deepEqual([...p.ownPorts].sort(), [7233, 7243, 8080, 8091, 8233, 9000, 9001].sort());
});

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

async function receiver(
  answer: (res: import('node:http').ServerResponse) => void = (res) => res.writeHead(204).end(),
) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      answer(res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return { received, port, close: () => new Promise((r) => server.close(r)) };
}

test('a delivery is signed with HMAC-SHA256 over timestamp and body, and the receiver can verify it', async () => {
  const r = await receiver();
  try {
    const now = new Date();
    const body = JSON.stringify({ event: 'approval-waiting', model: 'm' });
    const res = await deliverWebhook({
      url: `http://127.0.0.1:${r.port}/hook`,
      body,
      secret,
      policy: { allow: ['127.0.0.1'], ownPorts: [] },
      now,
    });
    assert.equal(res.status, 204);
    assert.equal(r.received.length, 1);
    const got = r.received[0]!;
    assert.equal(got.body, body);
    const header = String(got.headers[signatureHeader]);
    assert.match(header, /^t=\d+,v1=[0-9a-f]{64}$/);
    assert.equal(verifyWebhook(secret, got.body, header, now), true);
    assert.equal(verifyWebhook('another-secret-of-at-least-32-characters', got.body, header, now), false);
    assert.equal(verifyWebhook(secret, got.body.replace('"m"', '"x"'), header, now), false, 'body changed');
    assert.equal(
      verifyWebhook(secret, got.body, header, new Date(now.getTime() + 301_000)),
      false,
      'replayed after the 5-minute tolerance',
    );
  } finally {
    await r.close();
  }
});

test('without the allowlist a delivery to loopback is refused before any byte is sent', async () => {
  const r = await receiver();
  try {
    for (const url of [`http://127.0.0.1:${r.port}/hook`, `http://[::ffff:127.0.0.1]:${r.port}/hook`]) {
      await assert.rejects(
        deliverWebhook({ url, body: '{}', secret, policy: none, now: new Date() }),
        (err: unknown) => err instanceof WebhookTargetRefusedError && /loopback/.test(err.rule),
      );
    }
    assert.equal(r.received.length, 0);
  } finally {
    await r.close();
  }
});

test('a name that resolves to loopback is refused by the lookup the socket connects with', async (t) => {
  // The machine's own name: registration may not have resolved it (or it resolved elsewhere then);
  // what counts is the address at connect time.
  const name = hostname();
  const addresses = await lookup(name, { all: true }).catch(() => []);
  if (addresses.length === 0 || addresses.some((a) => ipaddr.process(a.address).range() === 'unicast')) {
    t.skip(`${name} does not resolve to a non-public address here`);
    return;
  }
  const r = await receiver();
  try {
    await assert.rejects(
      deliverWebhook({
        url: `http://${name}:${r.port}/hook`,
        body: '{}',
        secret,
        policy: { allow: ['127.0.0.1'], ownPorts: [] },
        now: new Date(),
      }),
      (err: unknown) => err instanceof WebhookTargetRefusedError && /^resolves to .*loopback/.test(err.rule),
    );
    assert.equal(r.received.length, 0, 'the allowlisted IP does not admit another name for it');
  } finally {
    await r.close();
  }
});

test('a redirect is not followed', async () => {
  const target = await receiver();
  const redirecting = await receiver((res) =>
    res.writeHead(302, { location: `http://127.0.0.1:${target.port}/elsewhere` }).end(),
  );
  try {
    const res = await deliverWebhook({
      url: `http://127.0.0.1:${redirecting.port}/hook`,
      body: '{}',
      secret,
      policy: { allow: ['127.0.0.1'], ownPorts: [] },
      now: new Date(),
    });
    assert.equal(res.status, 302);
    assert.equal(redirecting.received.length, 1);
    assert.equal(target.received.length, 0);
  } finally {
    await target.close();
    await redirecting.close();
  }
});

test('answers show a marker for the webhook URL, and Temporal inputs get the spec without it', () => {
  const spec = {
    name: 'p',
    monitoring: { enabled: true, webhookUrl: 'https://hooks.example.com/T0/secret-token' },
  } as unknown as PipelineSpec;
  assert.equal(redactSpec(spec).monitoring?.webhookUrl, redactedUrl);
  assert.equal(JSON.stringify(specForHistory(spec)).includes('secret-token'), false);
  assert.equal(spec.monitoring?.webhookUrl, 'https://hooks.example.com/T0/secret-token', 'not mutated');
});
