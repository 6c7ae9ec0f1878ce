// examples/ci/ferry-ci.sh, the plain shell variant of the CI example, run against the test stack: data
// pushed, specs applied, the changed pipeline run and waited for, the job summary written, and the job
// failing with the outcome's exit code when evaluation rejects the candidate.
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { stringify } from 'yaml';
import { writeChurnCsv } from '../../core/datasets/synthetic-churn.js';
import { repoRoot } from '../../infra/local/stack.js';
import { startCliFixture, type CliFixture } from '../helpers/ferry-cli.js';

let fx: CliFixture;
before(async () => {
  fx = await startCliFixture();
});
after(async () => fx?.close());

const script = join(repoRoot, 'examples', 'ci', 'ferry-ci.sh');

async function ci(summary: string) {
  return fx.exec(
    'bash',
    [script],
    fx.envFor('admin', {
      FERRY_BIN: `${process.execPath} ${fx.bin}`,
      FERRY_CI_PIPELINES_DIR: join(fx.dir, 'pipelines'),
      FERRY_CI_DATA_DIR: join(fx.dir, 'data'),
      FERRY_CI_APPROVAL: 'auto',
      FERRY_CI_TIMEOUT: '10m',
      FERRY_CI_REASON: 'ci script test',
      GITHUB_STEP_SUMMARY: summary,
    }),
  );
}

test('the CI script pushes data, applies the specs, runs the changed pipeline and gates on its outcome', async () => {
  const name = `churn-${fx.h.id}`;
  await mkdir(join(fx.dir, 'pipelines'));
  await mkdir(join(fx.dir, 'data'));
  await writeChurnCsv(join(fx.dir, 'data', `${name}.csv`), { seed: 3, rows: 1500 });
  const spec = structuredClone(fx.h.spec());
  spec.training = { ...spec.training, epochs: 2, earlyStopping: undefined };
  spec.evaluation = { ...spec.evaluation, thresholds: { auc: 0.6 }, maxRegression: 1 };
  delete spec.schedule;
  const specFile = join(fx.dir, 'pipelines', `${name}.yaml`);
  await writeFile(specFile, stringify(JSON.parse(JSON.stringify(spec))));

  const summary = join(fx.dir, 'summary.md');
  const ok = await ci(summary);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, new RegExp(`^\\+ ${name} would create`, 'm'));
  assert.match(ok.stdout, /^stage: train$/m);
  const written = await readFile(summary, 'utf8');
  assert.match(
    written,
    /^## Ferry model runs\n\n\| pipeline \| run \| outcome \| exit \| metrics \| evaluation \|\n/,
  );
  assert.match(
    written,
    new RegExp(`^\\| ${name} \\| \\S+ \\| promoted: ${name} v1 is the champion \\| 0 \\| accuracy=`, 'm'),
  );

  spec.evaluation.thresholds = { auc: 0.999 };
  await writeFile(specFile, stringify(JSON.parse(JSON.stringify(spec))));
  const refused = await ci(summary);
  assert.equal(refused.code, 11, refused.stdout + refused.stderr);
  assert.match(refused.stdout, new RegExp(`^~ ${name} would change: evaluation\\.thresholds\\.auc`, 'm'));
  assert.match(
    await readFile(summary, 'utf8'),
    /\| rejected by evaluation: .*auc \d\.\d+ < 0\.999.* \| 11 \| /,
  );
});
