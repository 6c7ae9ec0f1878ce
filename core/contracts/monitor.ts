// Contracts of the drift monitor: the monitor workflow's input and result and its activities'
// window and findings, imported by the workflow, the monitor activities, the API's schedule and tests.
import type { PipelineSpec } from '../pipeline-spec/schema.js';
import type { RunTrigger, WebhookRef } from './pipeline.js';

export interface MonitorInput {
  spec: PipelineSpec;
  /** How far back this pass looks, in ms (the spec's monitoring.window). */
  windowMs: number;
  /** The spec's webhook by reference (the spec arrives without its URL); also gives the spec hash. */
  webhook?: WebhookRef;
}

export interface MonitorResult {
  findings: MonitorFindings;
  retraining: DriftRetraining | null;
}

export interface MonitorWindowInput {
  runId: string;
  spec: PipelineSpec;
  windowStart: string;
  windowEnd: string;
}

export interface MonitorFindings {
  model: string;
  version: number | null;
  predictions: number;
  errors: number;
  errorRate: number | null;
  latencyMs: { p50: number | null; p95: number | null; p99: number | null };
  featurePsi: Record<string, number>;
  maxFeaturePsi: number | null;
  driftedFeature: string | null;
  predictionPsi: number | null;
  labels: number;
  onlineAccuracy: number | null;
  /** Why a retraining run is needed, or null when none is. */
  retrainReason: string | null;
}

export interface DriftRetrainingInput {
  spec: PipelineSpec;
  reason: string;
  trigger?: RunTrigger;
  /** The monitored spec's webhook (the spec arrives without its URL); its hash is the spec's. */
  webhook?: WebhookRef;
}

/** The retraining run a monitor pass asked for; `started` is false when one was already going. */
export interface DriftRetraining {
  runId: string;
  started: boolean;
}
