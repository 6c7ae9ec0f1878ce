// /v1/runs/{runId}/evaluation, /stages and /rollout: what the console's run page shows beside the
// run's view — the evaluation against the champion and thresholds (slices, model card), the stage
// timeline with times, and the rollout live with its plan and the bake in progress.
import { Type } from 'typebox';
import { Nullable, RunParams, type TypedApp } from '../schemas.js';
import type { RunReportsService } from '../services/run-reports.js';

const Metrics = Type.Record(Type.String(), Type.Number());

const Evaluation = Type.Object({
  runId: Type.String(),
  model: Type.String(),
  passed: Type.Boolean(),
  reasons: Type.Array(Type.String(), { description: 'why it passed or failed, one line per rule' }),
  primaryMetric: Type.String(),
  beatsChampion: Type.Boolean(),
  candidate: Type.Object({
    version: Nullable(Type.Integer({ description: 'null until the candidate is registered' })),
    metrics: Metrics,
  }),
  champion: Nullable(Type.Object({ version: Type.Integer(), metrics: Metrics })),
  thresholds: Nullable(
    Type.Record(Type.String(), Type.Number(), {
      description: "the spec version's floors (ceilings for error metrics); null if that version is gone",
    }),
  ),
  maxRegression: Nullable(Type.Number()),
  slices: Type.Array(
    Type.Object({
      column: Type.String(),
      value: Type.String(),
      count: Type.Integer(),
      candidate: Metrics,
      champion: Nullable(Metrics),
    }),
  ),
  modelCard: Nullable(Type.String({ description: 'markdown' })),
  createdAt: Type.String(),
});

const Stages = Type.Object({
  runId: Type.String(),
  stages: Type.Array(
    Type.Object({
      stage: Type.String({ examples: ['train'] }),
      startedAt: Type.String(),
      endedAt: Nullable(Type.String({ description: 'null while the stage is current' })),
      ms: Nullable(Type.Number()),
    }),
  ),
});

const Rollout = Type.Object({
  runId: Type.String(),
  model: Nullable(Type.String()),
  candidateVersion: Nullable(Type.Integer()),
  rollout: Nullable(
    Type.Unsafe<Record<string, unknown>>({
      type: 'object',
      additionalProperties: true,
      description: "the rollout workflow's status: phase, step, weights, shadow, paused, lastGuards, breach",
    }),
  ),
  plan: Nullable(
    Type.Object({
      strategy: Type.String(),
      steps: Type.Array(Type.Integer()),
      bake: Type.String(),
      guards: Type.Record(Type.String(), Type.Number(), {
        description: 'thresholds the guard numbers (rollout.lastGuards) are held to',
      }),
    }),
  ),
  bake: Nullable(
    Type.Object(
      { startedAt: Type.String(), endsAt: Type.String() },
      { description: 'the bake in progress; null while paused, between steps or when no rollout runs' },
    ),
  ),
});

export function runReportRoutes(app: TypedApp, reports: RunReportsService): void {
  app.get(
    '/v1/runs/:runId/evaluation',
    {
      config: { minRole: 'viewer' },
      schema: {
        tags: ['runs'],
        summary:
          "The run's evaluation: candidate against champion and thresholds, per slice, with the model card",
        params: RunParams,
        response: { 200: Evaluation },
      },
    },
    async (req) => reports.evaluation(req.params.runId),
  );
  app.get(
    '/v1/runs/:runId/stages',
    {
      config: { minRole: 'viewer' },
      schema: {
        tags: ['runs'],
        summary: "The run's stages (validate → … → done) with when each began and ended, from its history",
        params: RunParams,
        response: { 200: Stages },
      },
    },
    async (req) => reports.stages(req.params.runId),
  );
  app.get(
    '/v1/runs/:runId/rollout',
    {
      config: { minRole: 'viewer' },
      schema: {
        tags: ['runs'],
        summary: "The run's rollout live: status, plan with guard thresholds, and the bake in progress",
        params: RunParams,
        response: { 200: Rollout },
      },
    },
    async (req) => reports.rollout(req.params.runId),
  );
}
