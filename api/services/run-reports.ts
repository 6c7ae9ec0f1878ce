// What the console's run page shows beside the run's view: its evaluation against the champion and
// the thresholds (with slices and the model card), and its stage timeline. Read from the run's own
// artifacts and history, never from a copy.
import { keys } from '../../core/storage/keys.js';
import { ifFound } from '../../core/storage/errors.js';
import type { SliceMetrics } from '../../core/contracts/index.js';
import type { ApiDeps } from '../deps.js';
import { RunNotEvaluatedError } from './errors.js';
import type { RunEventsService } from './run-events.js';
import { pendingBakeOf, stageSpansOf } from './run-stages.js';
import type { RunsService } from './runs.js';

/** The evaluation report as the evaluate activity writes it (activities/evaluate-model.ts). */
interface EvaluationReport {
  runId: string;
  model: string;
  passed: boolean;
  reasons: string[];
  primaryMetric: string;
  metrics: Record<string, number>;
  championVersion?: number;
  championMetrics?: Record<string, number>;
  beatsChampion: boolean;
  slices: SliceMetrics[];
  createdAt: string;
}

export function createRunReportsService(deps: ApiDeps, runs: RunsService, events: RunEventsService) {
  return {
    /** The run's evaluation with the thresholds of the spec version it ran, its slices and its model card. */
    async evaluation(runId: string) {
      const run = await runs.get(runId);
      const k = keys.run(runId);
      const report = await ifFound(deps.store.getJson<EvaluationReport>(k.evaluationReport));
      if (!report) throw new RunNotEvaluatedError(runId);
      const card = await ifFound(deps.store.get(k.modelCard));
      // Thresholds cannot be overridden per run: the spec version the run started from has them.
      const spec =
        run.pipeline && run.specHash
          ? await deps.pipelines.version(run.pipeline, run.specHash).catch(() => undefined)
          : undefined;
      return {
        runId,
        model: report.model,
        passed: report.passed,
        reasons: report.reasons,
        primaryMetric: report.primaryMetric,
        beatsChampion: report.beatsChampion,
        candidate: { version: run.candidateVersion, metrics: report.metrics },
        champion:
          report.championVersion !== undefined && report.championMetrics
            ? { version: report.championVersion, metrics: report.championMetrics }
            : null,
        thresholds: spec ? spec.evaluation.thresholds : null,
        maxRegression: spec ? spec.evaluation.maxRegression : null,
        slices: report.slices.map((s) => ({ ...s, champion: s.champion ?? null })),
        modelCard: card ? card.toString('utf8') : null,
        createdAt: report.createdAt,
      };
    },

    /**
     * The run's rollout as it stands: the workflow's own status (phase, step, weights, last guard numbers),
     * the plan it follows (strategy, steps, bake, guard thresholds of the run's spec version) and the bake
     * in progress with when it ends (absent while paused or between steps).
     */
    async rollout(runId: string) {
      const run = await runs.get(runId);
      const { events: timeline } = await events.list(runId, Number.MAX_SAFE_INTEGER);
      const spec =
        run.pipeline && run.specHash
          ? await deps.pipelines.version(run.pipeline, run.specHash).catch(() => undefined)
          : undefined;
      return {
        runId,
        model: run.model,
        candidateVersion: run.candidateVersion,
        rollout: run.rollout,
        plan: spec
          ? {
              strategy: spec.rollout.strategy,
              steps: spec.rollout.steps,
              bake: spec.rollout.bake,
              guards: spec.rollout.guards,
            }
          : null,
        bake: (run.rollout && run.status === 'RUNNING' && pendingBakeOf(timeline)) || null,
      };
    },

    /** The run's stages with their start, end and duration, oldest first. */
    async stages(runId: string) {
      const { events: timeline } = await events.list(runId, Number.MAX_SAFE_INTEGER);
      return { runId, stages: stageSpansOf(timeline) };
    },
  };
}

export type RunReportsService = ReturnType<typeof createRunReportsService>;
