// Follows a run until it ends: polls GET /v1/runs/{id} (and its epochs while it trains) at a modest
// interval, shows it live on a terminal or as plain lines elsewhere, and answers how it ended.
import yoctoSpinner from 'yocto-spinner';
import { unwrap, type ApiClient } from './client.js';
import { ExitCode } from './exit-codes.js';
import type { Output } from './render.js';
import {
  liveFrame,
  plainLines,
  runEnd,
  type Epoch,
  type RunEnd,
  type RunSnapshot,
  type RunView,
  type ValidationReport,
} from './run-view.js';

export interface WatchOptions {
  intervalMs: number;
  /** Give up (exit 14) after this long; undefined: wait for as long as the run takes. */
  timeoutMs: number | undefined;
  totalEpochs: number | undefined;
}

/** The latest attempt of each epoch, in epoch order. */
function latestAttempts(epochs: Epoch[]): Epoch[] {
  const byEpoch = new Map<number, Epoch>();
  for (const e of epochs) {
    const seen = byEpoch.get(e.epoch);
    if (!seen || e.attempt >= seen.attempt) byEpoch.set(e.epoch, e);
  }
  return [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
}

async function snapshot(
  api: ApiClient,
  runId: string,
  totalEpochs: number | undefined,
): Promise<RunSnapshot> {
  const run = unwrap(await api.GET('/v1/runs/{runId}', { params: { path: { runId } } }));
  // Epochs exist from training on; before it there is nothing to fetch.
  const epochs =
    run.stage && run.stage !== 'validate'
      ? latestAttempts(
          unwrap(await api.GET('/v1/runs/{runId}/epochs', { params: { path: { runId } } })).epochs,
        )
      : [];
  return { run, epochs, totalEpochs };
}

/** A failed run's validation report, which says whether validation is what failed. */
export async function failedValidation(api: ApiClient, run: RunView): Promise<ValidationReport | undefined> {
  if (run.status !== 'FAILED' || run.validation) return undefined;
  const res = await api.GET('/v1/runs/{runId}/validation', { params: { path: { runId: run.runId } } });
  return res.response.ok ? res.data : undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Watches the run to its end; returns the last view and how it ended (timed out: exit 14). */
export async function watchRun(
  out: Output,
  api: ApiClient,
  runId: string,
  o: WatchOptions,
): Promise<{ run: RunView; end: RunEnd }> {
  const deadline = o.timeoutMs !== undefined ? Date.now() + o.timeoutMs : Infinity;
  const printed = new Set<string>();
  const spinner = out.tty && !out.json ? yoctoSpinner({ stream: process.stdout }).start() : undefined;
  try {
    for (;;) {
      const s = await snapshot(api, runId, o.totalEpochs);
      if (spinner) spinner.text = liveFrame(s, out.color);
      else if (!out.json) {
        for (const line of plainLines(s)) {
          if (!printed.has(line)) {
            printed.add(line);
            out.line(line);
          }
        }
      }
      const end = runEnd(s.run, await failedValidation(api, s.run));
      if (end) {
        spinner?.stop(liveFrame(s, out.color));
        return { run: s.run, end };
      }
      if (Date.now() >= deadline) {
        spinner?.stop(liveFrame(s, out.color));
        return {
          run: s.run,
          end: {
            exitCode: ExitCode.TimedOut,
            summary: `still ${s.run.stage ?? 'running'} after the --timeout; the run goes on (ferry runs watch ${runId})`,
          },
        };
      }
      await sleep(Math.min(o.intervalMs, Math.max(0, deadline - Date.now())));
    }
  } catch (err) {
    spinner?.stop();
    throw err;
  }
}
