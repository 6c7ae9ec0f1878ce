// Message contracts of the rollout child workflow: its input, status query, control signals and
// the guard report, imported by the workflow, activities, API and tests alike.
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { PipelineSpec } from '../pipeline-spec/schema.js';

/** Guard numbers for the candidate (and champion) over one bake window. */
export interface GuardReport {
  since: string;
  requests: number;
  errors: number;
  errorRate: number;
  p99LatencyMs: number | null;
  /** PSI of the candidate's live predictions against its evaluation outputs. */
  predictionPsi: number | null;
  labels: number;
  onlineAccuracy: number | null;
  championRequests: number;
  championErrorRate: number | null;
  /** Each guard that failed, in words with its numbers; empty when all held. */
  breaches: string[];
  summary: string;
}

export interface RolloutInput {
  runId: string;
  model: string;
  candidate: number;
  /** The version serving before the rollout; none means the candidate goes straight to 100%. */
  champion?: number;
  rollout: PipelineSpec['rollout'];
  /** Bake time per step in ms (from the spec's duration; tests pass short values). */
  bakeMs: number;
  actor: string;
  reason: string;
}

export type RolloutPhase = 'starting' | 'shadow' | `canary-${number}` | 'promoted' | 'rolled-back' | 'paused';

export interface RolloutStatus {
  strategy: PipelineSpec['rollout']['strategy'];
  phase: RolloutPhase;
  step: number | null;
  weights: Record<string, number>;
  shadow: number[];
  paused: boolean;
  lastGuards: GuardReport | null;
  breach: string | null;
}

export interface RolloutResult {
  outcome: 'promoted' | 'rolled-back';
  version: number;
  reason: string;
  guards: GuardReport | null;
}

export const rolloutStatusQuery = defineQuery<RolloutStatus>('rolloutStatus');
export const pauseRolloutSignal = defineSignal<[{ by: string }]>('pauseRollout');
export const resumeRolloutSignal = defineSignal<[{ by: string }]>('resumeRollout');
export const abortRolloutSignal = defineSignal<[{ by: string; reason: string }]>('abortRollout');
export const promoteNowSignal = defineSignal<[{ by: string; reason: string }]>('promoteNow');
