// The console in a real browser for test/browser: the API (with the harness's worker) listening on a
// loopback port and serving ui/dist, Debian's Chromium driven by playwright-core, sign-in as one of
// the test tokens, an axe-core scan, and screenshots kept under test-artifacts/screenshots/.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { repoRoot } from '../../infra/local/stack.js';
import { createApiHarness, tokens, type ApiHarness, type TokenName } from './api.js';
import type { Harness } from './pipeline.js';

/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it when missing). */
export const chromiumPath = '/usr/bin/chromium';
export const screenshotDir = join(repoRoot, 'test-artifacts', 'screenshots');

export interface Console {
  api: ApiHarness;
  /** http://127.0.0.1:<port> */
  origin: string;
  browser: Browser;
  close(): Promise<void>;
}

export async function startConsole(h: Harness): Promise<Console> {
  const api = await createApiHarness(h);
  const origin = await api.app.listen({ host: '127.0.0.1', port: 0 });
  // Root in a container: Chromium's sandbox needs user namespaces it may not have.
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
  return {
    api,
    origin,
    browser,
    async close() {
      await browser.close();
      await api.close();
    },
  };
}

/**
 * A fresh browser context (its own cookies). bypassCSP: axe-core is injected as an inline script,
 * which the console's Content-Security-Policy (rightly) refuses; the page's own code needs no exception.
 */
export function newContext(c: Console, width = 1280): Promise<BrowserContext> {
  return c.browser.newContext({ viewport: { width, height: 900 }, bypassCSP: true });
}

/** A fresh browser context of the given width, signed in through the sign-in page. */
export async function signedIn(
  c: Console,
  who: TokenName,
  width = 1280,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newContext(c, width);
  const page = await context.newPage();
  await page.goto(`${c.origin}/ui/`);
  await page.getByLabel('API token').fill(tokens[who].secret);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('identity').filter({ hasText: tokens[who].name }).waitFor();
  return { context, page };
}

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Runs axe-core on the page; fails on any serious or critical violation, naming each. */
export async function assertAccessible(page: Page, what: string): Promise<void> {
  await page.addScriptTag({ path: axePath });
  // Browser-side code as text: the test files are typed without the DOM library.
  const violations = await page.evaluate<AxeViolation[]>(
    `axe.run().then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) })))`,
  );
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad, [], `${what}: axe-core found serious violations:\n${JSON.stringify(bad, null, 2)}`);
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** Saves a full-page screenshot as test-artifacts/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}
