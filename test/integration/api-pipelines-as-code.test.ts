// Pipelines as code through the API against the real Temporal and MinIO: specs as YAML, idempotent
// applies that say what changed, dry runs, source commits and version history, deletion, the spec
// checked against its dataset, and draft specs inferred from a dataset.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import type { PipelineSpecInput } from '../../core/pipeline-spec/schema.js';
import {
  assertProblem,
  auth,
  createApiHarness,
  json,
  type ApiHarness,
  type TokenName,
} from '../helpers/api.js';
import { createHarness, type Harness } from '../helpers/pipeline.js';

let h: Harness;
let api: ApiHarness;

before(async () => {
  h = await createHarness({ worker: false });
  api = await createApiHarness(h);
  await h.ingestChurn({ rows: 400, seed: 5 });
});
after(async () => {
  await api.close();
  await h.close();
});

/** A spec on the harness's churn dataset with every privileged field at its default (operators may apply it). */
function plainSpec(name: string, extra: Partial<PipelineSpecInput> = {}): PipelineSpecInput {
  return {
    name,
    model: name,
    dataset: { name: `churn-${h.id}`, label: 'churned', categorical: ['plan', 'region'] },
    task: 'binary',
    training: { epochs: 1 },
    ...extra,
  };
}

const putYaml = (who: TokenName, name: string, text: string, contentType = 'application/yaml') =>
  api.app.inject({
    method: 'PUT',
    url: `/v1/pipelines/${name}`,
    headers: { ...auth(who), 'content-type': contentType },
    payload: text,
  });

test('a spec sent as YAML is registered like the same spec as JSON, under each YAML media type', async () => {
  const name = `yaml-${h.id}`;
  const spec = plainSpec(name);
  const created = await putYaml('operator', name, stringify(spec));
  assert.equal(created.statusCode, 201, created.body);
  const hash = json(created).specHash;
  for (const type of ['application/x-yaml', 'text/yaml; charset=utf-8']) {
    const again = await putYaml('operator', name, stringify(spec), type);
    assert.equal(again.statusCode, 200, again.body);
    assert.equal(json(again).specHash, hash);
  }
  const asJson = await api.app.inject({
    method: 'PUT',
    url: `/v1/pipelines/${name}`,
    headers: auth('operator'),
    payload: spec,
  });
  assert.equal(asJson.statusCode, 200, asJson.body);
  assert.equal(json(asJson).specHash, hash);
});

test('YAML that does not parse is a 400 invalid-spec naming line and column', async () => {
  const name = `yaml-bad-${h.id}`;
  const res = await putYaml('operator', name, `name: ${name}\nmodel: [a, b\ntask: binary\n`);
  const body = assertProblem(res, 400, 'invalid-spec', /not valid YAML at line \d+:\d+/);
  assert.deepEqual(
    (body.errors as { field: string }[]).map((e) => e.field),
    ['body'],
  );
  const dup = await putYaml('operator', name, `name: ${name}\nname: other\n`);
  assertProblem(dup, 400, 'invalid-spec', /^body: not valid YAML at line 2:1: Map keys must be unique/);
});

test('valid YAML that breaks a spec rule names the field and the rule, as JSON does', async () => {
  const name = `yaml-rule-${h.id}`;
  const res = await putYaml('operator', name, stringify({ ...plainSpec(name), task: 'ranking' }));
  const body = assertProblem(res, 400, 'invalid-spec');
  assert.ok(
    (body.errors as { field: string }[]).some((e) => e.field === 'body.task'),
    res.body,
  );
});

test('a YAML body over the body limit is a 413 problem', async () => {
  const small = await createApiHarness(h, {
    limits: { ...api.deps.limits, bodyLimitBytes: 1024 },
  });
  try {
    const name = `yaml-big-${h.id}`;
    const res = await small.app.inject({
      method: 'PUT',
      url: `/v1/pipelines/${name}`,
      headers: { ...auth('operator'), 'content-type': 'application/yaml' },
      payload: stringify({ ...plainSpec(name), description: 'x'.repeat(400) }).repeat(4),
    });
    assert.equal(res.statusCode, 413, res.body);
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  } finally {
    await small.close();
  }
});
