// The web console in Chromium against the real stack: sign in, trigger a run and watch it advance
// live, approve it as someone else (and see four-eyes refuse the one who triggered), see the
// champion and "what served when" change, abort one canary and promote another from the Rollouts
// page, roll back from the Models page, a viewer sees no mutating control, a bad or ended session
// gets the sign-in page; every page is scanned with axe-core and screenshotted.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { monitorInputOf } from '../../api/services/monitor-schedules.js';
import { generateChurnRows } from '../../core/datasets/synthetic-churn.js';
import type { PipelineSpec } from '../../core/pipeline-spec/schema.js';
import { auth, json, postAs, tokens } from '../helpers/api.js';
import {
  assertAccessible,
  newContext,
  screenshot,
  signedIn,
  startConsole,
  type Console,
} from '../helpers/browser.js';
import { createHarness, eventually, type Harness } from '../helpers/pipeline.js';

let h: Harness;
let c: Console;
let spec: PipelineSpec;

before(async () => {
  h = await createHarness();
  c = await startConsole(h);
  await h.ingestChurn({ rows: 2000, seed: 5 });
  // A quick canary pipeline whose bake outlasts the test: every canary step waits for the UI.
  spec = h.spec((s) => ({
    ...s,
    training: { ...s.training, epochs: 3, earlyStopping: undefined },
    evaluation: { ...s.evaluation, maxRegression: 1, thresholds: { auc: 0.5 } },
    rollout: {
      strategy: 'canary',
      steps: [10, 50, 100],
      bake: '30m',
      guards: { maxErrorRate: 0.01, maxP99LatencyMs: 250, maxPredictionPsi: 2, minRequests: 5 },
    },
  }));
  const put = await c.api.app.inject({
    method: 'PUT',
    url: `/v1/pipelines/${spec.name}`,
    headers: auth('admin'),
    payload: spec,
  });
  assert.ok(put.statusCode < 300, put.body);
});
after(async () => {
  await c?.close();
  await h?.close();
});

const runView = async (runId: string) =>
  json(await c.api.app.inject({ url: `/v1/runs/${runId}`, headers: auth('viewer') }));

/** Waits until the run asks for approval; on a timeout the error shows the run as the API last saw it. */
async function waitForApproval(runId: string): Promise<void> {
  let last: Record<string, unknown> = {};
  await eventually(
    'the run waits for approval',
    async () => {
      last = await runView(runId);
      if (last.status !== 'RUNNING') throw new Error(`run ended: ${JSON.stringify(last)}`);
      return (last.stage === 'approval' && last.decision === null && last.waitingFor !== null) || undefined;
    },
    150_000,
  ).catch((err: Error) => {
    throw new Error(`${err.message}; the run: ${JSON.stringify(last)}`);
  });
}

/** Starts a run over the API as `who` and waits until it asks for approval. */
async function runWaitingForApproval(who: 'operator' | 'approver' = 'operator'): Promise<string> {
  const res = await postAs(c.api.app, who, `/v1/pipelines/${spec.name}/runs`, {});
  assert.equal(res.statusCode, 202, res.body);
  const { runId } = json(res) as { runId: string };
  await waitForApproval(runId);
  return runId;
}

async function waitForPhase(page: Page, phase: RegExp) {
  await page.getByTestId('rollout-phase').filter({ hasText: phase }).first().waitFor({ timeout: 60_000 });
}

let firstRun: string;

test('a bad token is refused on the sign-in page, and the page passes axe-core', async () => {
  const context = await newContext(c);
  const page = await context.newPage();
  await page.goto(`${c.origin}/ui/`);
  await assertAccessible(page, 'sign-in');
  await screenshot(page, '01-sign-in');
  await page.getByLabel('API token').fill('not-a-token-at-all');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'not accepted' }).waitFor();
  await screenshot(page, '02-sign-in-refused');
  await context.close();
});

test(
  'an operator starts a run from the runs page and watches its stage advance live',
  { timeout: 180_000 },
  async () => {
    const { context, page } = await signedIn(c, 'operator');
    await page.getByRole('heading', { name: 'Runs' }).waitFor();
    await page.getByText('Start a run').click();
    const form = page.getByRole('form', { name: 'Start a run' });
    await form.getByRole('combobox', { name: /^Pipeline/ }).selectOption(spec.name);
    await form.getByLabel(/^Reason/).fill('browser test');
    await form.getByRole('button', { name: 'Start run' }).click();
    await page.waitForURL(/\/ui\/runs\/.+/);
    firstRun = decodeURIComponent(page.url().split('/ui/runs/')[1]!);
    // The stage cell is pushed by the run stream: it passes through train on its way to approval.
    const seen = new Set<string>();
    await eventually(
      'the stage to reach approval on the page',
      async () => {
        const stage = (await page.getByTestId('run-stage').textContent()) ?? '';
        seen.add(stage);
        return stage === 'approval' || undefined;
      },
      150_000,
    );
    assert.ok(seen.size >= 2, `the page showed only ${[...seen].join(', ')}: it did not update live`);
    await page.getByRole('img', { name: /Loss per epoch/ }).waitFor();
    await assertAccessible(page, 'run page');
    await screenshot(page, '03-run-waiting');
    await page.goto(`${c.origin}/ui/runs`);
    await page.getByRole('link', { name: firstRun }).waitFor();
    await assertAccessible(page, 'runs list');
    await screenshot(page, '04-runs');
    await context.close();
  },
);

test(
  'another approver approves from the inbox; the champion and what served when change',
  { timeout: 120_000 },
  async () => {
    const { context, page } = await signedIn(c, 'approver');
    await page.getByRole('link', { name: 'Approvals' }).click();
    const item = page.getByRole('article').filter({ hasText: firstRun });
    await item.waitFor();
    await assertAccessible(page, 'approvals inbox');
    await screenshot(page, '05-approvals');
    // Without a comment the UI refuses before the API does.
    await item.getByRole('button', { name: /Approve/ }).click();
    await item.getByRole('alert').filter({ hasText: 'comment is required' }).waitFor();
    await item.getByLabel('Comment (required)').fill('metrics and slices look good');
    await item.getByRole('button', { name: /Approve/ }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Approved by ${tokens.approver.name}` })
      .first()
      .waitFor();
    await page.goto(`${c.origin}/ui/models/${spec.model}`);
    await eventually(
      'the first version to become champion',
      async () => {
        await page.reload();
        return (await page.getByTestId('champion').textContent())?.includes('v1') || undefined;
      },
      90_000,
    );
    const timeline = page.getByTestId('served-timeline').getByRole('listitem');
    assert.equal(await timeline.count(), 1);
    assert.match((await timeline.first().textContent()) ?? '', /v1 from .* to now/);
    await assertAccessible(page, 'model page');
    await screenshot(page, '06-model-v1');
    await context.close();
  },
);

test(
  'four-eyes: the approver who triggered a run is refused, with the reason in words',
  { timeout: 180_000 },
  async () => {
    const runId = await runWaitingForApproval('approver');
    const { context, page } = await signedIn(c, 'approver');
    await page.goto(`${c.origin}/ui/runs/${runId}`);
    await page.getByLabel('Comment (required)').fill('my own run');
    await page.getByRole('button', { name: /Approve/ }).click();
    await page.getByRole('alert').filter({ hasText: 'four-eyes rule' }).waitFor();
    await screenshot(page, '07-four-eyes');
    await context.close();
    // The second approver approves it; its canary is aborted from the Rollouts page.
    const { context: ctx2, page: p2 } = await signedIn(c, 'approver2');
    await p2.getByRole('link', { name: 'Approvals' }).click();
    const item = p2.getByRole('article').filter({ hasText: runId });
    await item.getByLabel('Comment (required)').fill('second pair of eyes: fine');
    await item.getByRole('button', { name: /Approve/ }).click();
    await p2
      .getByRole('status')
      .filter({ hasText: `Approved by ${tokens.approver2.name}` })
      .first()
      .waitFor();
    await p2.getByRole('link', { name: 'Rollouts' }).click();
    const panel = p2.getByRole('article').filter({ hasText: runId });
    await waitForPhase(p2, /canary-10/);
    await assertAccessible(p2, 'rollouts');
    await screenshot(p2, '08-rollout-canary');
    await panel.getByLabel(/^Reason/).fill('aborting from the browser test');
    await panel.getByRole('button', { name: 'Abort (roll back)' }).click();
    await eventually(
      'the run to end rolled back',
      async () => {
        const v = await runView(runId);
        return v.status === 'COMPLETED' && (v.rollout as { phase?: string } | null)?.phase === 'rolled-back';
      },
      60_000,
    );
    await p2.goto(`${c.origin}/ui/models/${spec.model}`);
    assert.match((await p2.getByTestId('champion').textContent()) ?? '', /v1/);
    await ctx2.close();
  },
);

test(
  'a canary promoted from the Rollouts page becomes champion; an admin rolls back from the Models page',
  { timeout: 240_000 },
  async () => {
    const runId = await runWaitingForApproval();
    const approve = await postAs(c.api.app, 'approver', `/v1/runs/${runId}/approve`, { comment: 'ship it' });
    assert.equal(approve.statusCode, 200, approve.body);
    const candidate = (await runView(runId)).candidateVersion as number;
    const { context, page } = await signedIn(c, 'approver');
    await page.getByRole('link', { name: 'Rollouts' }).click();
    const panel = page.getByRole('article').filter({ hasText: runId });
    await waitForPhase(page, /canary-10/);
    await panel.getByRole('button', { name: 'Promote now' }).click();
    await page.goto(`${c.origin}/ui/models/${spec.model}`);
    await eventually(
      'the candidate to become champion',
      async () => {
        await page.reload();
        return (await page.getByTestId('champion').textContent())?.includes(`v${candidate}`) || undefined;
      },
      90_000,
    );
    await context.close();

    const admin = await signedIn(c, 'admin');
    await admin.page.goto(`${c.origin}/ui/models/${spec.model}`);
    const before = await admin.page.getByTestId('served-timeline').getByRole('listitem').count();
    await admin.page.getByText('Roll back the champion').click();
    await admin.page.getByRole('combobox', { name: /^To version/ }).selectOption('1');
    await admin.page.getByLabel('Reason (required)').fill('browser test: back to the first version');
    await admin.page.getByRole('button', { name: 'Roll back', exact: true }).click();
    await admin.page.getByRole('status').filter({ hasText: 'Champion is v1' }).waitFor();
    await admin.page.getByTestId('champion').filter({ hasText: 'v1' }).waitFor();
    const items = admin.page.getByTestId('served-timeline').getByRole('listitem');
    await eventually(
      'the rollback in what served when',
      async () => (await items.count()) > before || undefined,
    );
    assert.match((await items.last().textContent()) ?? '', /rollback by ann-admin/);
    await screenshot(admin.page, '09-model-rolled-back');
    await admin.context.close();
  },
);

test(
  "the Monitoring page charts the monitor's findings over real traffic",
  { timeout: 120_000 },
  async () => {
    // Traffic to the champion (drifted, so the monitor has something to say), then two monitor checks.
    const rows = [...generateChurnRows({ rows: 300, seed: 77, drift: 1 })].map(({ churned: _l, ...f }) => f);
    for (let i = 0; i < rows.length; i += 50) {
      const res = await postAs(c.api.app, 'viewer', `/v1/models/${spec.model}/predict`, {
        rows: rows.slice(i, i + 50),
      });
      assert.equal(res.statusCode, 200, res.body);
    }
    await c.api.deps.serving.flush();
    const record = await c.api.deps.pipelines.get(spec.name);
    for (const n of [1, 2])
      await h.client.workflow.execute('monitorWorkflow', {
        taskQueue: h.taskQueue,
        workflowId: `monitor-${spec.name}-${n}-${h.id}`,
        args: [monitorInputOf(record)],
      });
    const { context, page } = await signedIn(c, 'viewer');
    await page.goto(`${c.origin}/ui/monitoring/${spec.model}`);
    for (const chart of ['Volume per window', 'Latency percentiles', 'Error rate', 'Drift per feature (PSI)'])
      await page.getByRole('img', { name: chart }).waitFor();
    // No ground truth was sent: the accuracy chart says it has no data rather than drawing empty axes.
    await page.getByRole('figure', { name: 'Online accuracy' }).getByText('No data yet.').waitFor();
    await page.getByRole('heading', { name: 'What the monitor did' }).waitFor();
    await assertAccessible(page, 'monitoring');
    await screenshot(page, '09b-monitoring');
    await context.close();
  },
);

test('a viewer sees every page without a single mutating control', { timeout: 120_000 }, async () => {
  const { context, page } = await signedIn(c, 'viewer');
  const pages: [string, string][] = [
    ['runs', '/ui/runs'],
    ['run', `/ui/runs/${firstRun}`],
    ['approvals', '/ui/approvals'],
    ['models', '/ui/models'],
    ['model', `/ui/models/${spec.model}`],
    ['rollouts', '/ui/rollouts'],
    ['monitoring', `/ui/monitoring/${spec.model}`],
    ['pipelines', '/ui/pipelines'],
    ['pipeline', `/ui/pipelines/${spec.name}`],
  ];
  for (const [name, path] of pages) {
    await page.goto(`${c.origin}${path}`);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await page.waitForLoadState('networkidle').catch(() => undefined);
    for (const label of [
      /Start run/,
      /Approve/,
      /Reject/,
      /Roll back/,
      /Promote/,
      /Abort/,
      /Pause/,
      /Resume/,
      /Trigger now/,
      /Cancel run/,
    ])
      assert.equal(
        await page.getByRole('button', { name: label }).count(),
        0,
        `${name}: a viewer sees ${label}`,
      );
    assert.equal(await page.getByText('Start a run').count(), 0, `${name}: a viewer sees "Start a run"`);
    await assertAccessible(page, `${name} (viewer)`);
    await screenshot(page, `10-viewer-${name}`);
  }
  // A narrow screen: the same run page, no horizontal overflow of the page itself.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${c.origin}/ui/runs/${firstRun}`);
  await page.getByTestId('run-stage').waitFor();
  const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
  assert.ok(overflow <= 1, `the run page is ${overflow} px wider than a 390 px screen`);
  await screenshot(page, '11-narrow-run');
  await context.close();
});

test('a bad cookie, a sign-out and a session ended server-side all get the sign-in page', async () => {
  const context = await newContext(c);
  await context.addCookies([{ name: 'ferry_session', value: 'forged-session-id', url: c.origin }]);
  const page = await context.newPage();
  await page.goto(`${c.origin}/ui/models`);
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  await context.close();

  const a = await signedIn(c, 'viewer');
  await a.page.getByRole('button', { name: 'Sign out' }).click();
  await a.page.getByRole('status').filter({ hasText: 'signed out' }).waitFor();
  await a.page.goto(`${c.origin}/ui/runs`);
  await a.page.getByRole('button', { name: 'Sign in' }).waitFor();
  await a.context.close();

  // The cookie goes away under a signed-in page: its next call answers 401 and the page says so.
  const b = await signedIn(c, 'viewer');
  await b.context.clearCookies();
  // The page's next call answers 401: a click when the page is still there, or a call it makes itself
  // (a live run's view) first, which already shows the sign-in page.
  await b.page
    .getByRole('link', { name: 'Models' })
    .click({ timeout: 3000 })
    .catch(() => undefined);
  await b.page.getByRole('status').filter({ hasText: 'session has ended' }).waitFor();
  await screenshot(b.page, '12-session-ended');
  await b.context.close();
});

test('first page interactive on loopback in under 1 s', async () => {
  const { context, page } = await signedIn(c, 'viewer');
  const figures: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = Date.now();
    await page.goto(`${c.origin}/ui/runs`);
    await page.getByTestId('runs-count').waitFor();
    figures.push(Date.now() - start);
  }
  // Browser-side code as text: the test files are typed without the DOM library.
  const nav = await page.evaluate<{ domInteractive: number; load: number }>(
    `(() => { const n = performance.getEntriesByType('navigation')[0];
      return { domInteractive: Math.round(n.domInteractive), load: Math.round(n.loadEventEnd) }; })()`,
  );
  figures.sort((x, y) => x - y);
  console.log(
    `first page (runs list shown, reload to rows): median ${figures[2]} ms, worst ${figures[4]} ms; ` +
      `DOM interactive ${nav.domInteractive} ms, load ${nav.load} ms`,
  );
  assert.ok(figures[2]! < 1000, `the runs page took ${figures[2]} ms (median of 5)`);
  await context.close();
});
