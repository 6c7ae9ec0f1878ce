// Webhooks end to end against the real stack: targets refused at spec registration, URLs redacted in
// answers, and a run's approval-waiting webhook delivered signed while its history holds no URL.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PipelineSpec } from '../../core/pipeline-spec/schema.js';
import { redactedUrl } from '../../core/webhooks/secrets.js';
import { signatureHeader, verifyWebhook } from '../../core/webhooks/signature.js';
import { assertProblem, auth, createApiHarness, json, type ApiHarness } from '../helpers/api.js';
import { createHarness, eventually, historyText, type Harness } from '../helpers/pipeline.js';

const secret = 'webhooks-test-secret-0123456789abcdef';
let h: Harness;
let api: ApiHarness;
let strict: ApiHarness;
let spec: PipelineSpec;

before(async () => {
  // The loopback receiver is admitted by the allowlist, as a deployment would list its receivers.
  h = await createHarness({ env: { FERRY_WEBHOOK_ALLOW: '127.0.0.1', FERRY_WEBHOOK_SECRET: secret } });
  api = await createApiHarness(h);
  // The same API with no allowlist, as a default deployment runs.
  strict = await createApiHarness(h, { webhookPolicy: { ...api.deps.webhookPolicy, allow: [] } });
  spec = h.spec((s) => ({ ...s, training: { ...s.training, epochs: 2, earlyStopping: undefined } }));
  await h.ingestChurn({ rows: 2000, seed: 7 });
});
after(async () => {
  await strict.close();
  await api.close();
  await h.close();
});

const withHook = (s: PipelineSpec, webhookUrl: string) => ({
  ...s,
  monitoring: { ...s.monitoring, enabled: false, webhookUrl },
});

test('a spec whose webhook points at loopback, link-local, private or Ferry’s own servers is refused with 400 naming the field', async () => {
  const own = `http://127.0.0.1:${h.config.s3.minioPort}/`;
  for (const url of [
    'http://127.0.0.1:8080/hook',
    'http://localhost:8080/hook',
    'http://169.254.169.254/latest/meta-data/iam/',
    'http://[::ffff:169.254.169.254]/',
    'http://10.0.0.8/hook',
    'http://[fd00::8]/hook',
    'http://0.0.0.0:9000/',
    own,
  ]) {
    const res = await strict.app.inject({
      method: 'PUT',
      url: `/v1/pipelines/${spec.name}`,
      headers: auth('admin'),
      payload: withHook(spec, url),
    });
    const body = assertProblem(res, 400, 'invalid-spec', /body\.monitoring\.webhookUrl/);
    assert.deepEqual(
      (body.errors as { field: string }[]).map((e) => e.field),
      ['body.monitoring.webhookUrl'],
      url,
    );
  }
  // Ferry's own MinIO stays refused even where the allowlist admits its host.
  const res = await api.app.inject({
    method: 'PUT',
    url: `/v1/pipelines/${spec.name}`,
    headers: auth('admin'),
    payload: withHook(spec, own),
  });
  assertProblem(res, 400, 'invalid-spec', /stack's own servers/);
});

test('webhook URLs are redacted in every answer that shows a spec', async () => {
  const name = `${spec.name}-r`;
  const secretUrl = 'https://hooks.example.invalid/services/T000/B000/very-secret-token';
  const put = await strict.app.inject({
    method: 'PUT',
    url: `/v1/pipelines/${name}`,
    headers: auth('admin'),
    payload: { ...withHook(spec, secretUrl), name },
  });
  assert.equal(put.statusCode, 201, put.body);
  const answers = [
    put,
    await strict.app.inject({ url: `/v1/pipelines/${name}`, headers: auth('viewer') }),
    await strict.app.inject({ url: '/v1/pipelines', headers: auth('viewer') }),
  ];
  for (const res of answers) {
    assert.equal(res.body.includes('very-secret-token'), false, res.body.slice(0, 200));
    assert.ok(res.body.includes(redactedUrl));
  }
  const record = json(answers[1]!) as { spec: PipelineSpec };
  assert.equal(record.spec.monitoring?.webhookUrl, redactedUrl);
  // The stored spec keeps the URL: the worker resolves it from there.
  assert.equal((await api.deps.pipelines.get(name)).spec.monitoring?.webhookUrl, secretUrl);
});

test(
  'a run waiting for approval sends a signed webhook, and its history never holds the URL',
  { timeout: 180_000 },
  async () => {
    const received: { body: string; signature: string }[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ body, signature: String(req.headers[signatureHeader]) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/ferry/secret-path-token`;
    try {
      const manual = {
        ...withHook(spec, hookUrl),
        approval: { ...spec.approval, policy: 'manual' as const },
      };
      const put = await api.app.inject({
        method: 'PUT',
        url: `/v1/pipelines/${spec.name}`,
        headers: auth('admin'),
        payload: manual,
      });
      assert.ok([200, 201].includes(put.statusCode), put.body);
      const started = await api.app.inject({
        method: 'POST',
        url: `/v1/pipelines/${spec.name}/runs`,
        headers: auth('operator'),
        payload: { reason: 'webhook test' },
      });
      assert.equal(started.statusCode, 202, started.body);
      const { runId } = json(started) as { runId: string };
      await eventually(
        'the approval-waiting webhook',
        async () => (received.length > 0 ? true : undefined),
        150_000,
      );
      const [delivery] = received;
      assert.equal(
        verifyWebhook(secret, delivery!.body, delivery!.signature, new Date()),
        true,
        delivery!.signature,
      );
      const event = JSON.parse(delivery!.body) as { event: string; runId: string; model: string };
      assert.deepEqual([event.event, event.runId, event.model], ['approval-waiting', runId, spec.model]);
      const history = await historyText(h.client, runId);
      assert.ok(history.includes('"reason":"webhook test"'), 'payloads decoded');
      assert.ok(history.includes(`"webhook":{"pipeline":"${spec.name}"`), 'the input carries a reference');
      assert.equal(history.includes('secret-path-token'), false, 'the URL is not in history');
      await h.client.workflow.getHandle(runId).terminate('test done');
    } finally {
      await new Promise((r) => receiver.close(r));
    }
  },
);
