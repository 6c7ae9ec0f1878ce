// Pipelines as code through the API against the real Temporal and MinIO: specs as YAML, idempotent
// applies that say what changed, dry runs, source commits and version history, deletion, the spec
// checked against its dataset, and draft specs inferred from a dataset.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { cronRule } from '../../core/pipeline-spec/cron.js';
import type { PipelineSpecInput } from '../../core/pipeline-spec/schema.js';
import {
  assertProblem,
  auth,
  createApiHarness,
  json,
  tokens,
  type ApiHarness,
  type TokenName,
} from '../helpers/api.js';
import { createHarness, eventually, type Harness } from '../helpers/pipeline.js';

let h: Harness;
let api: ApiHarness;

before(async () => {
  h = await createHarness();
  api = await createApiHarness(h);
  await h.ingestChurn({ rows: 400, seed: 5 });
  await ingestHouses();
});
after(async () => {
  await api.close();
  await h.close();
});

/** A small regression dataset of another shape: an identifier column, a float target, one text feature. */
async function ingestHouses(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-houses-'));
  const path = join(dir, 'houses.csv');
  const cities = ['leeds', 'york', 'hull'];
  const lines = ['house_id,sqft,rooms,city,price'];
  for (let i = 0; i < 300; i++) {
    const sqft = 400 + ((i * 37) % 1600);
    const rooms = 1 + (i % 5);
    const city = cities[i % 3]!;
    const price = 50_000 + sqft * 120 + rooms * 5_000 + (i % 3) * 20_000 + ((i * 7919) % 1000);
    lines.push(`h-${i},${sqft},${rooms},${city},${price}.5`);
  }
  await writeFile(path, `${lines.join('\n')}\n`);
  await h.deps.catalog.ingestFile(`houses-${h.id}`, path, { source: 'test' });
  await rm(dir, { recursive: true, force: true });
}

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

const putJson = (
  who: TokenName,
  name: string,
  spec: object,
  query = '',
  headers: Record<string, string> = {},
) =>
  api.app.inject({
    method: 'PUT',
    url: `/v1/pipelines/${name}${query}`,
    headers: { ...auth(who), ...headers },
    payload: spec,
  });

test('an apply says whether it created, changed (naming the fields) or left the spec unchanged', async () => {
  const name = `plan-${h.id}`;
  const created = json(await putJson('operator', name, plainSpec(name)));
  assert.deepEqual([created.outcome, created.changedFields, created.dryRun], ['created', [], false]);
  const same = await putJson('operator', name, plainSpec(name));
  assert.equal(same.statusCode, 200);
  assert.deepEqual([json(same).outcome, json(same).changedFields], ['unchanged', []]);
  assert.equal(json(same).updatedAt, created.updatedAt, 'an unchanged apply makes no new version');
  const changed = await putJson(
    'operator',
    name,
    plainSpec(name, { training: { epochs: 2 }, validation: { ranges: { age: { min: 18 } } } }),
  );
  assert.equal(changed.statusCode, 200, changed.body);
  assert.deepEqual(
    [json(changed).outcome, json(changed).changedFields],
    ['changed', ['training.epochs', 'validation.ranges.age.min']],
  );
});

test('a dry run makes every check and answers as the apply would, but stores nothing', async () => {
  const name = `dry-${h.id}`;
  const dry = await putJson('operator', name, plainSpec(name), '?dryRun=true');
  assert.equal(dry.statusCode, 200, dry.body);
  assert.deepEqual([json(dry).outcome, json(dry).dryRun], ['created', true]);
  assertProblem(
    await api.app.inject({ url: `/v1/pipelines/${name}`, headers: auth('viewer') }),
    404,
    'pipeline-not-found',
  );

  await putJson('operator', name, plainSpec(name));
  const before = json(await api.app.inject({ url: `/v1/pipelines/${name}`, headers: auth('viewer') }));
  const dryChange = json(
    await putJson('operator', name, plainSpec(name, { training: { epochs: 3 } }), '?dryRun=true'),
  );
  assert.deepEqual([dryChange.outcome, dryChange.changedFields], ['changed', ['training.epochs']]);
  const after = json(await api.app.inject({ url: `/v1/pipelines/${name}`, headers: auth('viewer') }));
  assert.equal(after.specHash, before.specHash);

  // The privileged-field rule holds for a dry run: an operator may not even plan to change the gate.
  const refused = await putJson(
    'operator',
    name,
    plainSpec(name, { approval: { policy: 'auto' } }),
    '?dryRun=true',
  );
  const body = assertProblem(refused, 403, 'privileged-field');
  assert.deepEqual(body.errors, [
    { field: 'body.approval.policy', rule: 'may only be set or changed by role "approver" or "admin"' },
  ]);
  const asApprover = await putJson(
    'approver',
    name,
    plainSpec(name, { approval: { policy: 'auto' } }),
    '?dryRun=true',
  );
  assert.equal(asApprover.statusCode, 200, asApprover.body);
  assert.deepEqual(json(asApprover).changedFields, ['approval.policy']);
  assertProblem(await putJson('operator', name, plainSpec(name), '?dryRun=maybe'), 400, 'invalid-request');
  // A spec whose schedule Temporal would refuse is refused before anything is stored, dry or not.
  const badCron = await putJson(
    'operator',
    name,
    plainSpec(name, { schedule: { cron: '0 25 * * *' } }),
    '?dryRun=true',
  );
  assert.deepEqual(assertProblem(badCron, 400, 'invalid-spec').errors, [
    { field: 'body.schedule.cron', rule: cronRule },
  ]);
});

test('the source commit is recorded with the version it creates and listed in the spec history, newest first', async () => {
  const name = `src-${h.id}`;
  const first = await putJson('operator', name, plainSpec(name), '', {
    'ferry-source-commit': 'ABCDEF1',
    'ferry-source-path': 'pipelines/src.yaml',
  });
  assert.deepEqual(json(first).source, { commit: 'abcdef1', path: 'pipelines/src.yaml' });
  const second = await putJson('operator', name, plainSpec(name, { training: { epochs: 2 } }), '', {
    'ferry-source-commit': '0123456789abcdef0123456789abcdef01234567',
  });
  assert.deepEqual(json(second).source, { commit: '0123456789abcdef0123456789abcdef01234567', path: null });
  const third = await putJson('operator', name, plainSpec(name, { training: { epochs: 3 } }));
  assert.equal(json(third).source, null);
  const res = await api.app.inject({ url: `/v1/pipelines/${name}/versions`, headers: auth('viewer') });
  assert.equal(res.statusCode, 200, res.body);
  const { versions } = res.json() as { versions: Record<string, unknown>[] };
  assert.deepEqual(
    versions.map((v) => [v.specHash, v.source, v.updatedBy, v.privilegedBy]),
    [
      [json(third).specHash, null, tokens.operator.name, null],
      [
        json(second).specHash,
        { commit: '0123456789abcdef0123456789abcdef01234567', path: null },
        tokens.operator.name,
        null,
      ],
      [json(first).specHash, { commit: 'abcdef1', path: 'pipelines/src.yaml' }, tokens.operator.name, null],
    ],
  );
  assert.deepEqual(
    assertProblem(
      await putJson('operator', name, plainSpec(name), '', { 'ferry-source-commit': 'xyz' }),
      400,
      'invalid-request',
    ).errors,
    [{ field: 'headers.ferry-source-commit', rule: 'must be a commit id of 7 to 40 hex digits' }],
  );
  assert.deepEqual(
    assertProblem(
      await putJson('operator', name, plainSpec(name), '', { 'ferry-source-path': 'pipelines/a.yaml' }),
      400,
      'invalid-source',
    ).errors,
    [{ field: 'headers.ferry-source-path', rule: 'needs header ferry-source-commit' }],
  );
  assertProblem(
    await putJson('operator', name, plainSpec(name), '', {
      'ferry-source-commit': 'abcdef1',
      'ferry-source-path': '../x.yaml',
    }),
    400,
    'invalid-source',
  );
  assertProblem(
    await api.app.inject({ url: `/v1/pipelines/no-such-${h.id}/versions`, headers: auth('viewer') }),
    404,
    'pipeline-not-found',
  );
});

test('deleting a pipeline needs an approver, removes it and its schedules, and is audited; absent is 404', async () => {
  const name = `del-${h.id}`;
  await putJson('operator', name, plainSpec(name, { schedule: { cron: '0 3 * * *' } }));
  const schedule = await api.app.inject({ url: `/v1/pipelines/${name}/schedule`, headers: auth('viewer') });
  assert.equal(schedule.statusCode, 200, schedule.body);
  const del = (who: TokenName) =>
    api.app.inject({ method: 'DELETE', url: `/v1/pipelines/${name}`, headers: auth(who) });
  assertProblem(await del('operator'), 403, 'forbidden');
  const res = await del('approver');
  assert.equal(res.statusCode, 204, res.body);
  assert.equal(res.body, '');
  assertProblem(
    await api.app.inject({ url: `/v1/pipelines/${name}`, headers: auth('viewer') }),
    404,
    'pipeline-not-found',
  );
  assertProblem(
    await api.app.inject({ url: `/v1/pipelines/${name}/schedule`, headers: auth('viewer') }),
    404,
    'pipeline-not-found',
  );
  await assert.rejects(h.client.schedule.getHandle(`ferry-train-${name}`).describe(), /not found/i);
  assertProblem(await del('approver'), 404, 'pipeline-not-found');
  const event = await eventually('the deletion is audited', async () =>
    (await api.deps.audit.recent(500)).find(
      (e) => e.target === `/v1/pipelines/${name}` && e.action.startsWith('DELETE') && e.status === 204,
    ),
  );
  assert.equal(event.who, tokens.approver.name);
  // Applying it again creates it anew.
  assert.equal(json(await putJson('operator', name, plainSpec(name))).outcome, 'created');
});

test('a spec is checked against its dataset at apply: missing columns, foreign metrics and a label unfit for the task are 400s naming the field', async () => {
  const name = `fit-${h.id}`;
  const typo = await putJson(
    'operator',
    name,
    plainSpec(name, {
      dataset: { name: `churn-${h.id}`, label: 'churnd', categorical: ['plan', 'regoin'] },
    }),
    '?dryRun=true',
  );
  const body = assertProblem(typo, 400, 'invalid-spec');
  assert.deepEqual(body.errors, [
    {
      field: 'body.dataset.label',
      rule: 'column "churnd" is not in the dataset\'s snapshot: did you mean "churned"?',
    },
    {
      field: 'body.dataset.categorical.1',
      rule: 'column "regoin" is not in the dataset\'s snapshot: did you mean "region"?',
    },
  ]);
  const metric = await putJson(
    'approver',
    name,
    plainSpec(name, { evaluation: { thresholds: { rmse: 0.5 } } }),
  );
  assert.deepEqual(assertProblem(metric, 400, 'invalid-spec').errors, [
    {
      field: 'body.evaluation.thresholds.rmse',
      rule: 'task "binary" does not produce metric "rmse": it produces accuracy, auc, count, f1, logLoss, precision, recall',
    },
  ]);
  // "plan" has three values: not a binary label.
  const label = await putJson(
    'operator',
    name,
    plainSpec(name, { dataset: { name: `churn-${h.id}`, label: 'plan', categorical: ['region'] } }),
  );
  assert.deepEqual(assertProblem(label, 400, 'invalid-spec').errors, [
    {
      field: 'body.task',
      rule: '"binary" needs a label with exactly 2 distinct values; "plan" has 3 ("basic", "premium", "standard"): use "multiclass"',
    },
  ]);
  assertProblem(
    await api.app.inject({ url: `/v1/pipelines/${name}`, headers: auth('viewer') }),
    404,
    'pipeline-not-found',
  );
});

test('a spec on a dataset with no snapshot yet is accepted with a warning; a pinned snapshot that does not exist is a 400', async () => {
  const name = `nodata-${h.id}`;
  const spec = plainSpec(name, { dataset: { name: `nodata-${h.id}`, label: 'y' } });
  const res = await putJson('operator', name, spec);
  assert.equal(res.statusCode, 201, res.body);
  assert.deepEqual(json(res).warnings, [
    `dataset "nodata-${h.id}" has no snapshot yet: its columns and label are checked when a run starts`,
  ]);
  const pinned = await putJson(
    'operator',
    name,
    plainSpec(name, { dataset: { name: `nodata-${h.id}`, label: 'y', snapshot: 'a'.repeat(64) } }),
  );
  assert.deepEqual(assertProblem(pinned, 400, 'invalid-spec').errors, [
    { field: 'body.dataset.snapshot', rule: `must be a snapshot of dataset "nodata-${h.id}"` },
  ]);
});

/** The parts of a drafted spec the tests read. */
type DraftedSpec = PipelineSpecInput & {
  dataset: { categorical: string[] };
  validation: { ranges: Record<string, { min?: number }>; domains: Record<string, string[]> };
};

const draft = (query: string, who: TokenName = 'viewer') =>
  api.app.inject({ url: `/v1/datasets/${query}`, headers: auth(who) });

/** Applies a drafted spec as an operator, runs it with auto approval and waits for its outcome. */
async function applyAndRun(spec: PipelineSpecInput): Promise<Record<string, unknown>> {
  const name = String(spec.name);
  const applied = await putJson('operator', name, spec);
  assert.equal(applied.statusCode, 201, applied.body);
  assert.deepEqual(json(applied).warnings, []);
  const started = await api.app.inject({
    method: 'POST',
    url: `/v1/pipelines/${name}/runs`,
    headers: auth('approver'),
    payload: { approval: 'auto', reason: 'draft spec trains' },
  });
  assert.equal(started.statusCode, 202, started.body);
  const { runId } = json(started) as { runId: string };
  return eventually(
    'the drafted run to finish',
    async () => {
      const run = json(await api.app.inject({ url: `/v1/runs/${runId}`, headers: auth('viewer') }));
      return run.status === 'RUNNING' ? undefined : run;
    },
    240_000,
  );
}

test('a draft spec of a binary dataset infers task, categorical columns, ranges and domains, and applies and trains as is', async () => {
  const res = await draft(`churn-${h.id}/draft-spec?label=churned&pipeline=draft-churn-${h.id}`);
  assert.equal(res.statusCode, 200, res.body);
  const { spec, notes } = res.json() as { spec: DraftedSpec; notes: string[] };
  assert.equal(spec.task, 'binary');
  assert.equal(spec.name, `draft-churn-${h.id}`);
  assert.equal(spec.model, `draft-churn-${h.id}`);
  assert.deepEqual(spec.dataset.categorical, ['plan', 'region', 'payment_method']);
  assert.equal(spec.dataset.features, 'all-but-label');
  assert.deepEqual(spec.validation.domains.plan, ['basic', 'premium', 'standard']);
  assert.equal(spec.validation.ranges.tenure_months?.min, 0);
  assert.ok(
    notes.some((n) => n.startsWith('task: binary, because "churned" has 2 distinct values')),
    notes.join('\n'),
  );
  const run = await applyAndRun(spec);
  assert.equal(run.status, 'COMPLETED', JSON.stringify(run));
});

test('a draft spec of a regression dataset leaves out its identifier column and applies and trains as is', async () => {
  const res = await draft(`houses-${h.id}/draft-spec?label=price`);
  assert.equal(res.statusCode, 200, res.body);
  const { spec, notes } = res.json() as { spec: DraftedSpec; notes: string[] };
  assert.equal(spec.task, 'regression');
  assert.equal(spec.name, `houses-${h.id}`);
  assert.deepEqual(spec.dataset.features, ['sqft', 'rooms', 'city']);
  assert.deepEqual(spec.dataset.categorical, ['city']);
  assert.deepEqual(spec.validation.domains, { city: ['hull', 'leeds', 'york'] });
  assert.ok(
    notes.some((n) => n.startsWith('left out "house_id"')),
    notes.join('\n'),
  );
  const run = await applyAndRun(spec);
  assert.equal(run.status, 'COMPLETED', JSON.stringify(run));
});

test('a draft spec names a label that is not a column with the closest ones; an unknown dataset is 404; bad input 400', async () => {
  const body = assertProblem(await draft(`churn-${h.id}/draft-spec?label=churn`), 400, 'invalid-label');
  assert.deepEqual(body.errors, [
    {
      field: 'querystring.label',
      rule: `"churn" is not a column of dataset "churn-${h.id}": did you mean "churned"?`,
    },
  ]);
  assertProblem(await draft(`no-such-${h.id}/draft-spec?label=y`), 404, 'dataset-not-found');
  const missing = assertProblem(await draft(`churn-${h.id}/draft-spec`), 400, 'invalid-request');
  assert.deepEqual(missing.errors, [
    { field: 'querystring.label', rule: "must have required property 'label'" },
  ]);
  assertProblem(
    await draft(`churn-${h.id}/draft-spec?label=churned&pipeline=Bad%20Name`),
    400,
    'invalid-request',
  );
  assertProblem(
    await api.app.inject({ url: `/v1/datasets/churn-${h.id}/draft-spec?label=churned` }),
    401,
    'unauthenticated',
  );
});
