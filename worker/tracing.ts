// The worker's half of tracing: activity spans (continuing the workflow's trace from the task's
// headers) and the sink through which spans made inside the workflow sandbox reach the exporter.
// Sub-paths: the package's root also patches the workflow runtime, which only the bundle needs.
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/worker/index.js';
import type { OpenTelemetrySinks } from '@temporalio/interceptors-opentelemetry/lib/workflow/definitions.js';
import type { ActivityInterceptorsFactory, InjectedSinks } from '@temporalio/worker';
import { Resource } from '@opentelemetry/resources';
import { NoopSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Tracing } from '../core/telemetry/setup.js';

/** `RunActivity:<type>` spans, and trace_id/span_id on the activity context logger's lines; none when off. */
export function tracingActivityInterceptors(tracing: Tracing): ActivityInterceptorsFactory[] {
  if (!tracing.enabled) return [];
  return [
    (ctx) => ({
      inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
      outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
    }),
  ];
}

/**
 * The `exporter` sink the bundled workflow interceptors call (worker/bundle.ts). Always registered:
 * with tracing off it drops the spans, so the same bundle runs either way.
 */
export function workflowSpanSinks(tracing?: Tracing): InjectedSinks<OpenTelemetrySinks> {
  return {
    exporter: makeWorkflowExporter(
      tracing?.spanProcessor ?? new NoopSpanProcessor(),
      tracing?.resource ?? Resource.empty(),
    ),
  };
}
