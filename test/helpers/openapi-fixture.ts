// The fixture shared by the OpenAPI-document tests and the Schemathesis runs: the pinned Python tools,
// a real listening API over throwaway data (a dataset, a registered pipeline, a model with two versions,
// so destructive operations such as rollback have something to act on), and its document on disk.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../infra/local/stack.js';
import { createApiHarness, type ApiHarness } from './api.js';
import { createHarness, type Harness } from './pipeline.js';

export interface OpenApiFixture {
  h: Harness;
  api: ApiHarness;
  /** bin folder of the virtualenv with `st` and `openapi-spec-validator`. */
  bin: string;
  baseUrl: string;
  docPath: string;
  close(): Promise<void>;
}

export async function startOpenApiFixture(): Promise<OpenApiFixture> {
  const bin = execFileSync(join(repoRoot, '.ci', 'schemathesis-venv'), {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 900_000,
  }).trim();
  const h = await createHarness();
  const dir = await mkdtemp(join(tmpdir(), 'ferry-schemathesis-'));
  const api = await createApiHarness(h, {
    scratchDir: join(dir, 'scratch'),
    limits: { rateLimitPerMinute: 1_000_000, maxUploadBytes: 1 << 20, bodyLimitBytes: 1 << 20 },
  });
  const snapshot = await h.ingestChurn({ rows: 2000, seed: 7 });
  const quick = h.spec((s) => ({
    ...s,
    training: { ...s.training, epochs: 1, earlyStopping: undefined },
    evaluation: { ...s.evaluation, thresholds: {}, maxRegression: 1 },
  }));
  await api.deps.pipelines.put(quick, 'fixture');
  for (let i = 0; i < 2; i++) {
    const handle = await h.start(quick, { datasetSnapshot: snapshot, approvalPolicy: 'auto' });
    assert.equal((await handle.result()).outcome, 'promoted');
  }
  const baseUrl = await api.app.listen({ host: '127.0.0.1', port: 0 });
  const docPath = join(dir, 'openapi.json');
  await writeFile(docPath, (await api.app.inject({ url: '/docs/json' })).body);
  return {
    h,
    api,
    bin,
    baseUrl,
    docPath,
    async close() {
      await api.close();
      await h.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
