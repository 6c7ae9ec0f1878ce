// The Temporal SDK's runtime metrics: its Prometheus exporter listens on a loopback port of its own,
// and the worker's /metrics appends that text to Ferry's, so one scrape gets both.
import { createServer } from 'node:net';

/** A loopback port free right now (the OS picks it), for the SDK exporter when none is configured. */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no TCP address for a probe socket');
  return address.port;
}

/** Runtime telemetry options exporting the SDK's metrics on `127.0.0.1:<port>`. */
export function sdkMetricsTelemetry(port: number) {
  return {
    metrics: {
      prometheus: {
        bindAddress: `127.0.0.1:${port}`,
        // Prometheus conventions: counters end in _total, durations in seconds.
        countersTotalSuffix: true,
        useSecondsForDurations: true,
      },
    },
  } as const;
}

/**
 * The SDK exporter's text, or a comment saying why there is none: a scrape never fails because the
 * SDK side did, Ferry's metrics still arrive.
 */
export async function scrapeSdkMetrics(port: number, timeoutMs: number): Promise<string> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return `# Temporal SDK metrics unavailable: HTTP ${res.status}\n`;
    return await res.text();
  } catch (err) {
    return `# Temporal SDK metrics unavailable: ${(err as Error).name}\n`;
  }
}
