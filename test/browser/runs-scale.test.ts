// The runs list with 1,000 real runs (started on a task queue no worker polls, then terminated: real
// Temporal executions the API lists, cheap to make): how long the page takes to load them all
// (5 pages of 200), to filter them and to page through them. Prints the figures.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTrainingRun } from '../../core/runs/start-run.js';
import { specHash } from '../../core/pipeline-spec/load.js';
import { auth } from '../helpers/api.js';
import type { Page } from 'playwright-core';
import { signedIn, startConsole, type Console } from '../helpers/browser.js';
import { createHarness, type Harness } from '../helpers/pipeline.js';

const count = 1000;
let h: Harness;
let c: Console;

before(async () => {
  h = await createHarness({ worker: false });
  c = await startConsole(h);
  const spec = h.spec();
  const started = Date.now();
  const ids: string[] = [];
  // 20 at a time: fast, without flooding the dev server.
  for (let i = 0; i < count; i += 20) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(20, count - i) }, (_, j) =>
        startTrainingRun({
          client: h.client,
          taskQueue: `${h.taskQueue}-nobody`,
          trainTaskQueue: `${h.trainTaskQueue}-nobody`,
          input: {
            spec,
            specHash: specHash(spec),
            trigger: j % 2 ? 'api' : 'schedule',
            triggeredBy: 'scale-test',
          },
        }),
      ),
    );
    ids.push(...batch.map((b) => b.workflowId));
  }
  for (let i = 0; i < ids.length; i += 50)
    await Promise.all(
      ids.slice(i, i + 50).map((id) => h.client.workflow.getHandle(id).terminate('scale test')),
    );
  console.log(`seeded ${count} runs in ${Date.now() - started} ms`);
});
/** How many of the newest 1,000 runs the API lists were triggered over the API. */
async function newestApiTriggered(): Promise<number> {
  let n = 0;
  let seen = 0;
  let cursor: string | null = null;
  do {
    const url: string = `/v1/runs?pageSize=200${cursor ? `&cursor=${cursor}` : ''}`;
    const page = (await c.api.app.inject({ url, headers: auth('viewer') })).json() as {
      runs: { trigger: string | null }[];
      nextCursor: string | null;
    };
    for (const r of page.runs.slice(0, count - seen)) n += r.trigger === 'api' ? 1 : 0;
    seen += page.runs.length;
    cursor = page.nextCursor;
  } while (cursor && seen < count);
  return n;
}

/**
 * Runs `action` in the page and answers the ms until the frame after it was painted: the page's own
 * work, without the driver's round trips or its waits for the layout to settle. Browser code as text:
 * the test files are typed without the DOM library.
 */
function timed(page: Page, action: string): Promise<number> {
  return page.evaluate<number>(`(async () => {
    const select = (label, value) => {
      const el = [...document.querySelectorAll('label')].find((l) => l.firstChild?.textContent?.trim() === label)
        .querySelector('select');
      el.value = value;
      el.dispatchEvent(new Event('change', { bubbles: true }));
    };
    const t = performance.now();
    ${action};
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    return Math.round(performance.now() - t);
  })()`);
}

after(async () => {
  await c?.close();
  await h?.close();
});

test(`the runs list loads, filters and pages ${count} runs without lag`, { timeout: 180_000 }, async () => {
  const { context, page } = await signedIn(c, 'viewer');
  const counter = page.getByTestId('runs-count');
  // Visibility is eventually consistent: wait until the API lists them all, then measure a fresh load.
  await page.goto(`${c.origin}/ui/runs`);
  await counter.filter({ hasText: `of ${count} loaded` }).waitFor({ timeout: 60_000 });
  const t0 = Date.now();
  await page.reload();
  await counter.filter({ hasText: `of ${count} loaded` }).waitFor();
  const load = Date.now() - t0;
  assert.equal(await page.locator('table.runs tbody tr').count(), 50);

  // Runs of other test files (still running ones list first) may be among the newest 1,000: count
  // what the filter must leave from the API's own pages.
  const apiTriggered = await newestApiTriggered();
  const filter = await timed(page, `select('Trigger', 'api')`);
  await counter.filter({ hasText: `${apiTriggered} of ${count} loaded` }).waitFor();
  const paging = await timed(
    page,
    `[...document.querySelectorAll('button')].find((b) => b.textContent === 'Next').click()`,
  );
  await page.getByText('Page 2 of 10').waitFor();
  const unfilter = await timed(page, `select('Trigger', '')`);
  await counter.filter({ hasText: `${count} of ${count} loaded` }).waitFor();
  console.log(
    `runs list, ${count} runs: load ${load} ms (5 API pages), then in the page from input to the next frame: ` +
      `filter ${filter} ms, next page ${paging} ms, clear filter ${unfilter} ms`,
  );
  assert.ok(filter < 200 && paging < 200 && unfilter < 200, 'filtering or paging took 200 ms or more');
  assert.ok(load < 5000, `loading ${count} runs took ${load} ms`);
  await context.close();
});
