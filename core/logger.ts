// One pino logger per process; entry points create it from config.
import { isSpanContextValid, trace } from '@opentelemetry/api';
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** trace_id and span_id of the active span, when tracing is on and a span is active. */
function traceFields(): Record<string, string> {
  const span = trace.getActiveSpan()?.spanContext();
  return span && isSpanContextValid(span) ? { trace_id: span.traceId, span_id: span.spanId } : {};
}

/** Creates the process logger: one JSON line per event; secrets in common places are redacted. */
export function createLogger(level: string, name: string, destination?: DestinationStream): Logger {
  const options = {
    name,
    level,
    mixin: traceFields,
    redact: {
      paths: ['req.headers.authorization', '*.secretKey', '*.password', '*.token', 'headers.authorization'],
      censor: '[redacted]',
    },
  };
  // stdout unless a test captures the lines.
  return destination ? pino(options, destination) : pino(options);
}
