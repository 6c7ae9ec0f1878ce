// Builds the pre-bundled workflow code the worker runs from (fast start-up, no webpack at boot).
// Rebuilt only when a source the bundle can include is newer than the bundle.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const workflowsPath = join(root, 'workflows', 'index.ts');
export const bundlePath = join(root, 'dist', 'workflow-bundle.js');
/**
 * OpenTelemetry's workflow interceptors, always in the bundle: a pre-built bundle ignores the worker's
 * `workflowModules`, and one bundle for tracing on and off keeps replay the same either way. With
 * tracing off their spans go to a no-op processor (worker/tracing.ts).
 */
export const workflowInterceptorModules = [
  createRequire(import.meta.url).resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors'),
];

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Writes dist/workflow-bundle.js when missing or stale; returns its path. */
export async function buildWorkflowBundle(force = false): Promise<{ path: string; rebuilt: boolean }> {
  const sourcesMtime = Math.max(
    newestMtime(join(root, 'workflows')),
    newestMtime(join(root, 'core')),
    // This file decides what goes into the bundle.
    statSync(fileURLToPath(import.meta.url)).mtimeMs,
  );
  if (!force && existsSync(bundlePath) && statSync(bundlePath).mtimeMs >= sourcesMtime)
    return { path: bundlePath, rebuilt: false };
  const { code } = await bundleWorkflowCode({
    workflowsPath,
    workflowInterceptorModules,
    logger: quietLogger,
  });
  await mkdir(dirname(bundlePath), { recursive: true });
  await writeFile(bundlePath, code);
  return { path: bundlePath, rebuilt: true };
}

const noop = () => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop };
