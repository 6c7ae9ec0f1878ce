// The `ferry` CLI end to end: every command runs as a child process against a real API over the test
// stack (Temporal, MinIO, an in-process worker), with its --json output asserted, human output for a
// few, and the exit code of each run outcome a CI job gates on.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { stringify } from 'yaml';
import { writeChurnCsv } from '../../core/datasets/synthetic-churn.js';
import type { PipelineSpec } from '../../core/pipeline-spec/schema.js';
import { createRng, normal } from '../../core/random.js';
import { controlCharacters, startCliFixture, type CliFixture } from '../helpers/ferry-cli.js';
import { eventually } from '../helpers/pipeline.js';

let fx: CliFixture;
let churnCsv: string;
/** Names unique to this file's run. */
let churn: string;
let houses: string;

before(async () => {
  fx = await startCliFixture();
  churn = `churn-${fx.h.id}`;
  houses = `houses-${fx.h.id}`;
  churnCsv = join(fx.dir, 'churn.csv');
  await writeChurnCsv(churnCsv, { seed: 1, rows: 1500 });
});
after(async () => fx?.close());

/** A small regression CSV: house prices from size, rooms and district. */
async function writeHousesCsv(path: string): Promise<void> {
  const rng = createRng(11);
  const districts = ['harbour', 'centre', 'hills'];
  const lines = ['size_m2,rooms,district,price'];
  for (let i = 0; i < 1500; i++) {
    const size = 30 + rng() * 170;
    const rooms = 1 + Math.floor(rng() * 6);
    const district = districts[Math.floor(rng() * 3)]!;
    const price =
      2 * size +
      15 * rooms +
      (district === 'hills' ? 90 : district === 'harbour' ? -40 : 0) +
      normal(rng, 0, 8);
    lines.push(`${size.toFixed(2)},${rooms},${district},${price.toFixed(2)}`);
  }
  await writeFile(path, lines.join('\n') + '\n');
}

/** The churn spec under this file's names, small enough for a 2-core machine, with `edit` applied. */
function churnSpec(edit: (s: PipelineSpec) => void = () => {}): PipelineSpec {
  const s = structuredClone(fx.h.spec());
  s.training = { ...s.training, epochs: 2, earlyStopping: undefined };
  s.approval = { ...s.approval, policy: 'auto' };
  s.evaluation = { ...s.evaluation, thresholds: {}, maxRegression: 1 };
  delete s.schedule;
  edit(s);
  // As a file would hold it: no undefined values.
  return JSON.parse(JSON.stringify(s)) as PipelineSpec;
}

async function writeSpec(name: string, spec: object): Promise<string> {
  const path = join(fx.dir, `${name}.yaml`);
  await writeFile(path, stringify(spec));
  return path;
}

/** A loopback port nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

test('with nothing listening, a command names the URL, says how to start the stack, and exits 3', async () => {
  const url = `http://127.0.0.1:${await closedPort()}`;
  const r = await fx.ferry(['models', 'ls'], { env: { FERRY_API_URL: url } });
  assert.equal(r.code, 3, r.stderr);
  assert.ok(r.stderr.startsWith(`ferry: cannot reach the Ferry API at ${url} (ECONNREFUSED).`), r.stderr);
  assert.match(r.stderr, /npm run up/);
  assert.equal(r.stdout, '');
});

test('a token the API does not know exits 4 with the problem in one line; a role too low exits 4 too', async () => {
  const bad = await fx.ferry(['models', 'ls'], { as: null, env: { FERRY_TOKEN: 'not-a-real-token-000000' } });
  assert.equal(bad.code, 4);
  assert.match(bad.stderr, /^ferry: 401 unauthenticated: .+\n$/);
  const low = await fx.ferry(['audit'], { as: 'viewer' });
  assert.equal(low.code, 4);
  assert.match(low.stderr, /^ferry: 403 forbidden: .*admin.*\n$/);
});

test('a wrong command line exits 2 with usage help on stderr', async () => {
  const r = await fx.ferry(['run']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /missing required argument 'pipeline'/);
  const help = await fx.ferry(['run', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Exit codes with --wait: 0 promoted, 10 validation failed/);
});

test('ferry whoami --json says who the token is and where it came from', async () => {
  const { code, body } = await fx.ferryJson(['whoami'], { as: 'approver' });
  assert.equal(code, 0);
  assert.deepEqual(body, {
    name: 'ada-approver',
    role: 'approver',
    url: fx.baseUrl,
    tokenSource: 'FERRY_TOKEN',
  });
});

test('ferry login checks the token, saves the profile with mode 0600, and later commands use it', async () => {
  const login = await fx.ferryJson(['login', '--token', 'approver2-secret-0123456789', '--name', 'bo'], {
    as: null,
  });
  assert.equal(login.code, 0, login.stderr);
  const path = join(fx.dir, 'config', 'ferry', 'profile.json');
  assert.equal(login.body.path, path);
  assert.equal((await stat(path)).mode & 0o777, 0o600);
  const saved = JSON.parse(await readFile(path, 'utf8'));
  assert.deepEqual(saved, {
    current: 'bo',
    profiles: { bo: { url: fx.baseUrl, token: 'approver2-secret-0123456789' } },
  });
  const me = await fx.ferryJson(['whoami'], { as: null });
  assert.equal(me.body.name, 'bo-approver');
  assert.match(String(me.body.tokenSource), /^profile bo \(/);
  const human = await fx.ferry(['whoami'], { as: null });
  assert.match(human.stdout, /^name +bo-approver\nrole +approver\n/);
});

test('ferry datasets push uploads a CSV (created, then unchanged) and ls/show list it', async () => {
  const first = await fx.ferry(['datasets', 'push', churnCsv, '--name', churn]);
  assert.equal(first.code, 0, first.stderr);
  assert.match(
    first.stdout,
    new RegExp(`^created: ${churn} [0-9a-f]{12} — 1500 rows, 9 columns\ncolumns: tenure_months:BIGINT `),
  );
  const again = await fx.ferryJson(['datasets', 'push', churnCsv, '--name', churn]);
  assert.equal(again.code, 0);
  assert.equal(again.body.created, false);
  const ls = await fx.ferryJson<{ datasets: { name: string; latest: { rowCount: number } }[] }>([
    'datasets',
    'ls',
  ]);
  assert.equal(ls.body.datasets.find((d) => d.name === churn)?.latest.rowCount, 1500);
  const show = await fx.ferryJson<{ name: string; snapshots: unknown[] }>(['datasets', 'show', churn]);
  assert.equal(show.body.name, churn);
  assert.equal(show.body.snapshots.length, 1);
  const wrong = await fx.ferry(['datasets', 'push', join(fx.dir, 'rows.txt'), '--name', churn]);
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /rows\.txt: must end in \.csv or \.parquet/);
});

test('ferry pipelines apply creates, then finds nothing changed; diff and show read it back', async () => {
  const file = await writeSpec(churn, churnSpec());
  const created = await fx.ferryJson<{ results: { outcome: string; pipeline: string }[] }>([
    'pipelines',
    'apply',
    '-f',
    file,
  ]);
  assert.equal(created.code, 0, created.stderr);
  assert.deepEqual(
    created.body.results.map((r) => [r.pipeline, r.outcome]),
    [[churn, 'created']],
  );
  const again = await fx.ferry(['pipelines', 'apply', '-f', file]);
  assert.equal(again.code, 0);
  assert.match(
    again.stdout,
    new RegExp(
      `^  ${churn} unchanged  \\(${file}\\)\napplied: 0 created, 0 changed, 1 unchanged, 0 deleted\n$`,
    ),
  );
  const show = await fx.ferryJson<{ name: string; spec: { training: { epochs: number } } }>([
    'pipelines',
    'show',
    churn,
  ]);
  assert.equal(show.body.spec.training.epochs, 2);
  const ls = await fx.ferryJson<{ pipelines: { name: string }[] }>(['pipelines', 'ls']);
  assert.ok(ls.body.pipelines.some((p) => p.name === churn));
});

test('apply --dry-run stores nothing, a change lists its fields, diff shows old → new, versions record the git commit', async () => {
  const name = `cfg-${fx.h.id}`;
  const repo = join(fx.dir, 'repo');
  await mkdir(join(repo, 'pipelines'), { recursive: true });
  const spec = { ...churnSpec(), name };
  await writeFile(join(repo, 'pipelines', `${name}.yaml`), stringify(spec));
  const git = (...args: string[]) => fx.exec('git', ['-C', repo, ...args], fx.envFor(null));
  await git('init', '-q');
  await git(
    '-c',
    'user.name=t',
    '-c',
    'user.email=t@example.com',
    'commit',
    '-q',
    '--allow-empty',
    '-m',
    'init',
  );
  await git('add', '.');
  await git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'spec');
  const head = (await git('rev-parse', 'HEAD')).stdout.trim();

  const dry = await fx.ferry(['pipelines', 'apply', '-f', join(repo, 'pipelines'), '--dry-run']);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, new RegExp(`^\\+ ${name} would create`));
  assert.equal((await fx.ferry(['pipelines', 'show', name])).code, 2, 'a dry run stores nothing');
  assert.equal((await fx.ferry(['pipelines', 'apply', '-f', join(repo, 'pipelines')])).code, 0);
  const versions = await fx.ferryJson<{ versions: { source: { commit: string; path: string } | null }[] }>([
    'pipelines',
    'versions',
    name,
  ]);
  assert.deepEqual(versions.body.versions[0]?.source, { commit: head, path: `pipelines/${name}.yaml` });

  await writeFile(
    join(repo, 'pipelines', `${name}.yaml`),
    stringify({ ...spec, training: { ...spec.training, epochs: 3 } }),
  );
  const diff = await fx.ferryJson<{
    diffs: { outcome: string; changes: { field: string; from: unknown; to: unknown }[] }[];
  }>(['pipelines', 'diff', '-f', join(repo, 'pipelines')]);
  assert.deepEqual(diff.body.diffs[0], {
    ...diff.body.diffs[0],
    outcome: 'changed',
    changes: [{ field: 'training.epochs', from: 2, to: 3 }],
  });
  const human = await fx.ferry(['pipelines', 'diff', '-f', join(repo, 'pipelines')]);
  assert.match(human.stdout, /^  training\.epochs: 2 → 3$/m);
  const changed = await fx.ferry(['pipelines', 'apply', '-f', join(repo, 'pipelines')]);
  assert.match(changed.stdout, new RegExp(`^~ ${name} changed: training\\.epochs`));
  const uncommitted = await fx.ferryJson<{ versions: { source: unknown }[] }>([
    'pipelines',
    'versions',
    name,
  ]);
  assert.equal(uncommitted.body.versions[0]?.source, null, 'an uncommitted edit records no commit');

  const prune = await fx.ferryJson<{ results: { pipeline: string; outcome: string }[] }>([
    'pipelines',
    'apply',
    '-f',
    join(repo, 'pipelines'),
    '--prune',
    '--dry-run',
  ]);
  assert.ok(
    prune.body.results.some((r) => r.pipeline === churn && r.outcome === 'deleted'),
    'another pipeline would be pruned',
  );
  assert.equal((await fx.ferry(['pipelines', 'show', churn])).code, 0, 'but a dry run deletes nothing');
  const del = await fx.ferryJson(['pipelines', 'delete', name]);
  assert.deepEqual(del.body, { pipeline: name, deleted: true });
  assert.equal((await fx.ferry(['pipelines', 'show', name])).code, 2);
});

test('a spec the API refuses exits 2 with the field and the rule in one line', async () => {
  const file = await writeSpec(`bad-${fx.h.id}`, { ...churnSpec(), name: `bad-${fx.h.id}`, task: 'ranking' });
  const r = await fx.ferry(['pipelines', 'apply', '-f', file]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^ferry: 400 invalid-spec: .*task.*\n$/);
  await writeFile(join(fx.dir, 'broken.yaml'), 'name: x\n  model: [\n');
  const yaml = await fx.ferry(['pipelines', 'apply', '-f', join(fx.dir, 'broken.yaml')]);
  assert.equal(yaml.code, 2);
  assert.match(yaml.stderr, /broken\.yaml:\d+:\d+: not valid YAML/);
});

let promotedRun: string;

test('ferry run --wait follows a run to promotion, one plain line per change, and exits 0', async () => {
  const r = await fx.ferry(['run', churn, '--wait', '--interval', '500ms', '--reason', 'cli test']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.doesNotMatch(r.stdout, controlCharacters);
  const lines = r.stdout.trimEnd().split('\n');
  promotedRun = /^started (\S+)$/.exec(lines[0]!)![1]!;
  assert.ok(lines.includes('stage: train'), r.stdout);
  assert.ok(
    lines.some((l) => /^validation passed: 1500 rows, 0 error\(s\)/.test(l)),
    r.stdout,
  );
  assert.ok(
    lines.some((l) => /^epoch 2\/2 loss \d/.test(l)),
    r.stdout,
  );
  assert.ok(
    lines.some((l) => /^evaluation passed: auc \d\.\d{4} \(no champion yet\)/.test(l)),
    r.stdout,
  );
  assert.equal(lines.filter((l) => l === 'stage: train').length, 1, 'each change once');
  assert.match(lines.at(-2)!, new RegExp(`^✓ promoted: ${churn} v1 is the champion$`));
});

test('runs ls/show --json describe the promoted run', async () => {
  const ls = await fx.ferryJson<{ runs: { runId: string; status: string }[] }>([
    'runs',
    'ls',
    '--pipeline',
    churn,
  ]);
  assert.deepEqual(
    ls.body.runs.map((r) => [r.runId, r.status]),
    [[promotedRun, 'COMPLETED']],
  );
  const show = await fx.ferryJson<{ outcome: string; candidateVersion: number }>([
    'runs',
    'show',
    promotedRun,
  ]);
  assert.equal(show.body.outcome, 'promoted');
  assert.equal(show.body.candidateVersion, 1);
  const logs = await fx.ferryJson<{ events: { kind: string; workflow: string }[] }>([
    'runs',
    'logs',
    promotedRun,
  ]);
  assert.equal(logs.code, 0, logs.stderr);
  assert.ok(logs.body.events.length > 3, 'a timeline of several events');
  assert.ok(
    logs.body.events.some((e) => e.workflow === 'rollout'),
    'the rollout child is in it',
  );
  const logLines = await fx.ferry(['runs', 'logs', promotedRun]);
  assert.match(logLines.stdout, /^AT +WORKFLOW +EVENT +DETAIL\n\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ +run +/);
  const human = await fx.ferry(['runs', 'show', promotedRun]);
  assert.match(
    human.stdout,
    /^run +\S+\npipeline +\S+\nmodel +\S+\nstatus +COMPLETED\nstage +done\noutcome +promoted\n/,
  );
});

test('a dataset outside the spec validation ranges fails the run: exit 10, and runs show lists the failed check', async () => {
  const file = await writeSpec(
    churn,
    churnSpec((s) => (s.validation.ranges.age = { min: 18, max: 20 })),
  );
  assert.equal((await fx.ferry(['pipelines', 'apply', '-f', file])).code, 0);
  const r = await fx.ferryJson<{ exitCode: number; summary: string; runId: string }>([
    'run',
    churn,
    '--wait',
    '--interval',
    '500ms',
  ]);
  assert.equal(r.code, 10, JSON.stringify(r.body));
  assert.equal(r.body.exitCode, 10);
  assert.match(
    r.body.summary,
    /^validation failed: range: column "age" has \d+ value\(s\) outside \[18, 20\]/,
  );
  const show = await fx.ferry(['runs', 'show', r.body.runId]);
  assert.match(show.stdout, /FAILED CHECK +COLUMN +SEVERITY +MESSAGE\n.*age +error/);
});

test('an impossible threshold is rejected by evaluation: exit 11 with the reason', async () => {
  const file = await writeSpec(
    churn,
    churnSpec((s) => (s.evaluation.thresholds = { auc: 0.999 })),
  );
  assert.equal((await fx.ferry(['pipelines', 'apply', '-f', file])).code, 0);
  const r = await fx.ferry(['run', churn, '--wait', '--interval', '500ms']);
  assert.equal(r.code, 11, r.stdout + r.stderr);
  assert.match(r.stdout, /✗ rejected by evaluation: .*auc \d\.\d+ < 0\.999/);
});

let manualRun: string;

test('a manual run waits for a decision: --timeout exits 14, ferry approvals lists it, another identity approves', async () => {
  const file = await writeSpec(
    churn,
    churnSpec((s) => (s.approval = { policy: 'manual', timeout: '1d', onTimeout: 'reject', fourEyes: true })),
  );
  // Applied by the admin: the approver who decides below must not have changed the privileged fields.
  assert.equal((await fx.ferry(['pipelines', 'apply', '-f', file])).code, 0);
  const started = await fx.ferryJson<{ runId: string }>(['run', churn], { as: 'operator' });
  manualRun = started.body.runId;
  const waited = await fx.ferry(['runs', 'watch', manualRun, '--timeout', '1s', '--interval', '500ms']);
  assert.equal(waited.code, 14);
  await eventually(
    'the run to wait for approval',
    async () => {
      const r = await fx.ferryJson<{ waitingFor: string | null }>(['runs', 'show', manualRun]);
      return r.body.waitingFor ?? undefined;
    },
    120_000,
  );
  const pending = await fx.ferryJson<{ runs: { runId: string }[] }>(['approvals'], { as: 'approver' });
  assert.ok(
    pending.body.runs.some((r) => r.runId === manualRun),
    JSON.stringify(pending.body),
  );
  const mine = await fx.ferry(['approve', manualRun, '-m', 'own work'], { as: 'operator' });
  assert.equal(mine.code, 4, 'an operator may not approve');
  const ok = await fx.ferryJson<{ decision: string; by: string }>(
    ['approve', manualRun, '-m', 'holdout looks fine'],
    { as: 'approver' },
  );
  assert.equal(ok.code, 0, ok.stderr);
  assert.deepEqual([ok.body.decision, ok.body.by], ['approve', 'ada-approver']);
  const watched = await fx.ferry(['runs', 'watch', manualRun, '--interval', '500ms']);
  assert.equal(watched.code, 0, watched.stdout);
  assert.match(watched.stdout, /approved by ada-approver: holdout looks fine/);
});

test('a person rejecting the candidate exits 12; an approval timeout exits 14', async () => {
  const started = await fx.ferryJson<{ runId: string }>(['run', churn], { as: 'operator' });
  await eventually(
    'the run to wait for approval',
    async () =>
      (await fx.ferryJson<{ waitingFor: string | null }>(['runs', 'show', started.body.runId])).body
        .waitingFor ?? undefined,
    120_000,
  );
  assert.equal(
    (await fx.ferry(['reject', started.body.runId, '-m', 'recall dropped'], { as: 'approver2' })).code,
    0,
  );
  const rejected = await fx.ferry(['runs', 'watch', started.body.runId, '--interval', '500ms']);
  assert.equal(rejected.code, 12, rejected.stdout);
  assert.match(rejected.stdout, /✗ rejected by bo-approver: recall dropped/);

  const timing = await fx.ferry(['run', churn, '--approval-timeout', '1s', '--wait', '--interval', '500ms'], {
    as: 'operator',
  });
  assert.equal(timing.code, 14, timing.stdout + timing.stderr);
  assert.match(timing.stdout, /✗ approval timed out/);
});

test('a cancelled run exits 15', async () => {
  const started = await fx.ferryJson<{ runId: string }>(['run', churn], { as: 'operator' });
  const cancel = await fx.ferryJson<{ runId: string }>(['runs', 'cancel', started.body.runId], {
    as: 'operator',
  });
  assert.equal(cancel.code, 0);
  const r = await fx.ferry(['runs', 'watch', started.body.runId, '--interval', '500ms']);
  assert.equal(r.code, 15, r.stdout);
  assert.match(r.stdout, /✗ canceled/);
});

test('models ls/show/versions/card/history, predict and rollback', async () => {
  const approved = (await fx.ferryJson<{ candidateVersion: number }>(['runs', 'show', manualRun])).body
    .candidateVersion;
  const ls = await fx.ferryJson<{ models: { model: string; champion: number }[] }>(['models', 'ls']);
  assert.equal(ls.body.models.find((m) => m.model === churn)?.champion, approved);
  const versions = await fx.ferryJson<{ versions: { version: number; status: string }[] }>([
    'models',
    'versions',
    churn,
  ]);
  const status = Object.fromEntries(versions.body.versions.map((v) => [v.version, v.status]));
  assert.deepEqual([status[approved], status[1]], ['champion', 'retired']);
  const card = await fx.ferry(['models', 'card', churn, String(approved)]);
  assert.match(card.stdout, /^# /);
  const predict = await fx.ferryJson<{
    version: number;
    predictions: { label: string; probabilities: Record<string, number> }[];
  }>([
    'predict',
    churn,
    '--row',
    JSON.stringify({
      tenure_months: 3,
      monthly_charges: 90,
      age: 30,
      support_calls: 4,
      usage_gb: 10,
      plan: 'basic',
      region: 'north',
      payment_method: 'card',
    }),
  ]);
  assert.equal(predict.code, 0, predict.stderr);
  assert.equal(predict.body.version, approved);
  assert.ok(['0', '1'].includes(predict.body.predictions[0]!.label));
  const back = await fx.ferryJson<{ champion: number; fromVersion: number }>([
    'models',
    'rollback',
    churn,
    '--to',
    '1',
    '-m',
    'cli test',
  ]);
  assert.equal(back.code, 0, back.stderr);
  assert.deepEqual([back.body.fromVersion, back.body.champion], [approved, 1]);
  const history = await fx.ferryJson<{ history: { kind?: string; version: number; actor: string }[] }>([
    'models',
    'history',
    churn,
  ]);
  assert.deepEqual(history.body.history.at(-1), {
    ...history.body.history.at(-1),
    kind: 'rollback',
    version: 1,
    actor: 'ann-admin',
  });
  const human = await fx.ferry(['models', 'history', churn]);
  assert.match(human.stdout, new RegExp(`v${approved} → v1 +rollback +ann-admin `));
});

test('ferry sql and ferry audit read the warehouse and the audit log', async () => {
  const sql = await fx.ferryJson<{ rows: { n: number }[] }>(['sql', 'SELECT 41 + 1 AS n']);
  assert.equal(sql.code, 0, sql.stderr);
  assert.equal(Number(sql.body.rows[0]!.n), 42);
  const audit = await fx.ferryJson<{ events: { action: string; who: string }[] }>([
    'audit',
    '--limit',
    '200',
  ]);
  assert.ok(
    audit.body.events.some((e) => e.who === 'ann-admin' && /rollback/.test(e.action)),
    'the rollback is audited',
  );
});

test('ferry rollout status reads the rollout of a promoted run', async () => {
  const r = await fx.ferryJson<{ rollout: { phase?: string } | null }>(['rollout', 'status', promotedRun]);
  assert.equal(r.code, 0);
  assert.ok(r.body.rollout, 'a promoted run has a rollout record');
});

test('ferry schedules: a pipeline with a schedule shows in ls, pauses, resumes and triggers', async () => {
  const put = await fx.api.app.inject({
    method: 'PUT',
    url: `/v1/pipelines/${churn}/schedule`,
    headers: { authorization: 'Bearer admin-secret-0123456789' },
    payload: { cron: '0 3 * * *', timezone: 'UTC' },
  });
  assert.equal(put.statusCode < 300, true, put.body);
  const ls = await fx.ferryJson<{ schedules: { pipeline: string; cron: string }[] }>(['schedules', 'ls']);
  assert.equal(ls.body.schedules.find((s) => s.pipeline === churn)?.cron, '0 3 * * *');
  const paused = await fx.ferryJson<{ paused: boolean }>(['schedules', 'pause', churn, '-m', 'holiday']);
  assert.equal(paused.body.paused, true);
  const resumed = await fx.ferryJson<{ paused: boolean }>(['schedules', 'resume', churn]);
  assert.equal(resumed.body.paused, false);
  const show = await fx.ferry(['schedules', 'show', churn]);
  assert.match(show.stdout, /cron +0 3 \* \* \* \(UTC\)\nstate +active/);
  const backwards = await fx.ferry([
    'schedules',
    'backfill',
    churn,
    '--from',
    '2026-11-08',
    '--to',
    '2026-11-01',
  ]);
  assert.equal(backwards.code, 2);
  assert.match(backwards.stderr, /^ferry: 400 \S+: .*from.*\n$/);
  await fx.api.app.inject({
    method: 'DELETE',
    url: `/v1/pipelines/${churn}/schedule`,
    headers: { authorization: 'Bearer admin-secret-0123456789' },
  });
});

test('on a terminal (a pseudo-terminal from script(1)) run --wait draws a live view with an epoch bar', async () => {
  const command = [
    process.execPath,
    fx.bin,
    'run',
    churn,
    '--approval',
    'auto',
    '--wait',
    '--interval',
    '300ms',
  ].join(' ');
  const r = await fx.exec('script', ['-qfec', command, '/dev/null'], fx.envFor('admin', { TERM: 'xterm' }));
  assert.equal(r.code, 0, r.stdout);
  assert.match(r.stdout, /\u001b\[/, 'colours and cursor moves on a terminal');
  assert.match(r.stdout, /✓ validate/);
  assert.match(r.stdout, /[█░]{24} epoch \d\/2 loss/);
  assert.match(r.stdout, /✓ promoted: /);
});

test('ferry init drafts a binary spec from the churn data and a regression spec from house prices; both apply and train', async () => {
  const housesCsv = join(fx.dir, 'houses.csv');
  await writeHousesCsv(housesCsv);
  assert.equal((await fx.ferry(['datasets', 'push', housesCsv, '--name', houses])).code, 0);
  for (const [dataset, label, task] of [
    [churn, 'churned', 'binary'],
    [houses, 'price', 'regression'],
  ] as const) {
    const name = `init-${dataset}`;
    const out = join(fx.dir, `${name}.yaml`);
    const init = await fx.ferry([
      'init',
      '--dataset',
      dataset,
      '--label',
      label,
      '--pipeline',
      name,
      '-o',
      out,
    ]);
    assert.equal(init.code, 0, init.stderr);
    assert.match(init.stdout, new RegExp(`^wrote ${out}\n`));
    const text = await readFile(out, 'utf8');
    assert.match(text, new RegExp(`^task: ${task}$`, 'm'));
    assert.match(text, /^# Pipeline spec drafted by `ferry init`/);
    const apply = await fx.ferry(['pipelines', 'apply', '-f', out]);
    assert.equal(apply.code, 0, apply.stderr);
    const run = await fx.ferry(
      ['run', name, '--wait', '--epochs', '2', '--approval', 'auto', '--interval', '500ms'],
      { as: 'approver' },
    );
    assert.equal(run.code, 0, run.stdout + run.stderr);
  }
  const noLabel = await fx.ferry(['init', '--dataset', houses]);
  assert.equal(noLabel.code, 2);
  assert.match(
    noLabel.stderr,
    /--label: required, the column to predict; .* has size_m2, rooms, district, price/,
  );
});
