// Turns OpenTelemetry tracing on for one process: a tracer provider with the process's service name,
// spans batched to an OTLP/HTTP collector (FERRY_OTEL_EXPORTER_OTLP_ENDPOINT) or, in tests, handed to
// an injected exporter. Without either nothing is registered and the OpenTelemetry API stays a no-op.
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  NoopSpanProcessor,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import type { FerryConfig } from '../config.js';
import { markTracingEnabled } from './tracing.js';

/** The process's tracing, as the worker needs it for spans made inside the workflow sandbox. */
export interface Tracing {
  readonly enabled: boolean;
  readonly resource: Resource;
  /** Where spans end up; workflow spans come out of the sandbox through a sink into it. */
  readonly spanProcessor: SpanProcessor;
  /** Flushes what is batched and stops exporting. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  telemetry: FerryConfig['telemetry'];
  /** `service.name`: the process's role (ferry-api, ferry-worker, ferry-serving). */
  serviceName: string;
  /** Test injection (e.g. an InMemorySpanExporter): spans go to it at once, the OTLP endpoint is ignored. */
  exporter?: SpanExporter;
}

export function startTracing(o: TracingOptions): Tracing {
  const resource = new Resource({
    'service.name': o.serviceName,
    'service.namespace': o.telemetry.serviceNamespace,
  });
  const endpoint = o.telemetry.otlpEndpoint;
  const spanProcessor = o.exporter
    ? new SimpleSpanProcessor(o.exporter)
    : endpoint
      ? new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint}/v1/traces` }))
      : undefined;
  if (!spanProcessor)
    return { enabled: false, resource, spanProcessor: new NoopSpanProcessor(), shutdown: async () => {} };
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  // Registers the AsyncLocalStorage context manager and the W3C trace-context propagator too.
  provider.register();
  markTracingEnabled(true);
  return { enabled: true, resource, spanProcessor, shutdown: () => provider.shutdown() };
}
