// Spans around Ferry's own I/O (S3 calls, DuckDB queries). Only the OpenTelemetry API is used here:
// until a process turns tracing on (core/telemetry/setup.ts), every call is a plain function call.
import type { S3Client } from '@aws-sdk/client-s3';
import { SpanKind, SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';

let enabled = false;

/** Called by the tracing set-up: from now on `withSpan` records spans. */
export function markTracingEnabled(on: boolean): void {
  enabled = on;
}

export const isTracingEnabled = (): boolean => enabled;

const tracer = () => trace.getTracer('ferry');

/** Runs `work` inside a child span of the active one (a client call to a dependency); off: just runs it. */
export async function withSpan<T>(name: string, attributes: Attributes, work: () => Promise<T>): Promise<T> {
  if (!enabled) return work();
  return tracer().startActiveSpan(name, { kind: SpanKind.CLIENT, attributes }, async (span) => {
    try {
      return await work();
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      span.end();
    }
  });
}

/** One span per S3 command (retries included), named `S3 <Operation>`, with bucket and key. */
export function traceS3Client(client: S3Client): void {
  client.middlewareStack.add(
    (next, context) => (args) => {
      const method = (context.commandName ?? 'Command').replace(/Command$/, '');
      const input = args.input as { Bucket?: string; Key?: string; Prefix?: string };
      return withSpan(
        `S3 ${method}`,
        {
          'rpc.system': 'aws-api',
          'rpc.service': 'S3',
          'rpc.method': method,
          ...(input.Bucket ? { 'aws.s3.bucket': input.Bucket } : {}),
          ...(input.Key ? { 'aws.s3.key': input.Key } : {}),
          ...(input.Prefix ? { 'aws.s3.prefix': input.Prefix } : {}),
        },
        () => next(args),
      );
    },
    { step: 'initialize', name: 'ferryTracing' },
  );
}

/** Attributes of a DuckDB query span: the statement's first words, never its parameters. */
export function duckDbAttributes(sql: string): Attributes {
  return { 'db.system': 'duckdb', 'db.statement': sql.length > 300 ? `${sql.slice(0, 300)}…` : sql };
}
