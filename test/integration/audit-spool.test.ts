// The audit log never silently drops an event: an approval answered while object storage is
// unreachable spools its audit event to a local file, and the event reaches storage once it is back.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditLog } from '../../core/audit/log.js';
import { pipelineStatusQuery } from '../../core/contracts/index.js';
import { createObjectStore, type ObjectStore } from '../../core/storage/object-store.js';
import { auth, createApiHarness, type ApiHarness } from '../helpers/api.js';
import { createHarness, eventually, type Harness } from '../helpers/pipeline.js';

let h: Harness;
let api: ApiHarness;
let spoolDir: string;
let storageDown = true;

/** A port nothing listens on: connections to it are refused at once, as with a stopped MinIO. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

before(async () => {
  h = await createHarness();
  spoolDir = await mkdtemp(join(tmpdir(), 'ferry-audit-spool-'));
  const dead = createObjectStore({ ...h.config.s3, endpoint: `http://127.0.0.1:${await closedPort()}` });
  // The audit log's view of storage: unreachable until the test brings it back.
  const switchable: ObjectStore = {
    ...h.deps.store,
    putJson: (...args) => (storageDown ? dead : h.deps.store).putJson(...args),
    list: (...args) => (storageDown ? dead : h.deps.store).list(...args),
  };
  api = await createApiHarness(h, { audit: createAuditLog({ store: switchable, spoolDir }) });
});
after(async () => {
  await api.close();
  await h.close();
  await rm(spoolDir, { recursive: true, force: true });
});

test(
  'an approval made while storage is down answers 200, spools its audit event, and the event reaches storage when it is back',
  { timeout: 240_000 },
  async () => {
    const spec = h.spec((s) => ({ ...s, training: { ...s.training, epochs: 1, earlyStopping: undefined } }));
    const snapshot = await h.ingestChurn({ rows: 2000, seed: 91 });
    const handle = await h.start(spec, { datasetSnapshot: snapshot, approvalPolicy: 'manual' });
    await eventually(
      'the approval gate',
      async () => ((await handle.query(pipelineStatusQuery)).waitingFor ? true : undefined),
      180_000,
    );
    const res = await api.app.inject({
      method: 'POST',
      url: `/v1/runs/${handle.workflowId}/approve`,
      headers: auth('approver'),
      payload: { comment: 'looks good' },
    });
    assert.equal(res.statusCode, 200, res.body);
    const requestId = String(res.headers['x-request-id'] ?? '');
    await eventually('the spooled audit event', async () =>
      (await api.deps.audit.spooled()) === 1 ? true : undefined,
    );
    assert.ok(requestId, 'the answer names its request id');

    storageDown = false;
    await eventually('the spool flushed to storage', async () =>
      (await api.deps.audit.spooled()) === 0 ? true : undefined,
    );
    // The spool is empty now, so `recent` reads storage only (in batches: the whole suite audits into this
    // bucket, and a thousand GETs at once overrun the store's connect timeout on a busy machine).
    const stored = await api.deps.audit.recent(500);
    const mine = stored.filter((e) => e.requestId === requestId);
    assert.equal(mine.length, 1, 'exactly one copy in storage');
    assert.equal(mine[0]!.action, 'POST /v1/runs/:runId/approve');
    assert.equal(mine[0]!.who, 'ada-approver');
    assert.equal(mine[0]!.status, 200);
    await handle.result();
  },
);
