// The operations routes the `ferry` CLI uses, with app.inject() against the real Temporal and MinIO:
// who the token is, the datasets list, the approvals inbox, schedule backfill and a run's timeline,
// each with its refusals (no token, wrong role, bad input naming the field and rule, missing resource).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { DatasetManifest } from '../../core/datasets/catalog.js';
import {
  assertProblem,
  auth,
  createApiHarness,
  json,
  tokens,
  type ApiHarness,
  type TokenName,
} from '../helpers/api.js';
import { createHarness, type Harness } from '../helpers/pipeline.js';

let h: Harness;
let api: ApiHarness;
let churnSnapshot: string;

before(async () => {
  h = await createHarness();
  api = await createApiHarness(h);
  churnSnapshot = await h.ingestChurn({ rows: 600, seed: 31 });
});
after(async () => {
  await api.close();
  await h.close();
});

const get = (url: string, who: TokenName) => api.app.inject({ url, headers: auth(who) });

test('GET /v1/whoami answers the name and role of each token, and 401 without a valid one', async () => {
  for (const who of ['viewer', 'operator', 'approver', 'admin'] as const) {
    const res = await get('/v1/whoami', who);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(json(res), { name: tokens[who].name, role: tokens[who].role });
  }
  assertProblem(await api.app.inject({ url: '/v1/whoami' }), 401, 'unauthenticated', /missing bearer token/);
  assertProblem(
    await api.app.inject({ url: '/v1/whoami', headers: { authorization: 'Bearer nope' } }),
    401,
    'unauthenticated',
    /not valid/,
  );
});

test('GET /v1/datasets lists every dataset with its latest snapshot, sorted by name', async () => {
  // A second dataset of this harness, named to sort before the churn one, with two snapshots.
  const other = `a-ops-${h.id}`;
  const csv = join(tmpdir(), `ferry-ops-${h.id}.csv`);
  await writeFile(csv, 'x,y\n1,2\n');
  await h.deps.catalog.ingestFile(other, csv, { source: 'test' });
  await writeFile(csv, 'x,y\n1,2\n3,4\n');
  const second = (await h.deps.catalog.ingestFile(other, csv, { source: 'test' })).manifest;

  const res = await get('/v1/datasets', 'viewer');
  assert.equal(res.statusCode, 200, res.body);
  const { datasets } = res.json() as { datasets: { name: string; latest: DatasetManifest }[] };
  const names = datasets.map((d) => d.name);
  assert.deepEqual(names, [...names].sort(), 'sorted by name');
  assert.equal(new Set(names).size, names.length, 'each dataset once');
  const churn = datasets.find((d) => d.name === `churn-${h.id}`);
  assert.equal(churn?.latest.sha256, churnSnapshot);
  assert.equal(churn?.latest.rowCount, 600);
  const mine = datasets.find((d) => d.name === other);
  assert.deepEqual(mine?.latest, second, 'the newest of its two snapshots');
  assert.ok(names.indexOf(other) < names.indexOf(`churn-${h.id}`));
  // The same manifest as the dataset's own resource shows.
  assert.deepEqual(json(await get(`/v1/datasets/${other}`, 'viewer')).latest, mine?.latest);
  assertProblem(await api.app.inject({ url: '/v1/datasets' }), 401, 'unauthenticated');
});
