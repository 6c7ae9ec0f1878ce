// The generated API types of the CLI and the web console (core/contracts/http-api.ts) match the API's OpenAPI document: a route added or
// changed without regenerating them fails here, with the command that regenerates them.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { OpenAPI3 } from 'openapi-typescript';
import { apiTypesPath, apiTypesSource } from '../../cli/generate-api-types.js';
import { auth, createApiHarness, type ApiHarness } from '../helpers/api.js';
import { createHarness, type Harness } from '../helpers/pipeline.js';

let h: Harness;
let api: ApiHarness;
before(async () => {
  h = await createHarness({ worker: false });
  api = await createApiHarness(h);
});
after(async () => {
  await api.close();
  await h.close();
});

test('core/contracts/http-api.ts is what the API document generates today', async () => {
  const doc = (await api.app.inject({ url: '/docs/json', headers: auth('viewer') })).json() as OpenAPI3;
  if ((await apiTypesSource(doc)) !== (await readFile(apiTypesPath, 'utf8'))) {
    const docPath = join(tmpdir(), `ferry-openapi-${h.id}.json`);
    await writeFile(docPath, JSON.stringify(doc));
    assert.fail(`${apiTypesPath} is stale: run \`npm run cli:api-types -- ${docPath}\` and commit it`);
  }
});
