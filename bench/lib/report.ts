// Shared by the benchmarks: percentiles, plain-text tables, peak-RSS sampling and the one
// machine-readable `BENCH_RESULT {...}` line each script ends with.
import { parseArgs } from 'node:util';

/** Nearest-rank percentile (p in 0–100) of unsorted values; NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** p50 / p99 / max / mean of a sample, the summary every latency row prints (a loop, not a spread into
 * Math.max: the HTTP benches' samples run to 100 000+ values). */
export function summarize(values: readonly number[]) {
  let max = values.length ? -Infinity : Number.NaN;
  let sum = 0;
  for (const v of values) {
    if (v > max) max = v;
    sum += v;
  }
  const n = values.length;
  return { n, p50: percentile(values, 50), p99: percentile(values, 99), max, mean: n ? sum / n : Number.NaN };
}

/** A number for a table cell: fixed decimals, thousands separators for large values. */
export function fmt(value: number, decimals = 1): string {
  if (!Number.isFinite(value)) return String(value);
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** Renders rows as a Markdown table (readable in a terminal, pasteable into bench/README.md). */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

/** A Markdown table of `rows`, one column per [header, the cell of a row]: each header sits by its value. */
export function tableOf<T>(
  rows: readonly T[],
  columns: readonly (readonly [string, (row: T) => string])[],
): string {
  return table(
    columns.map(([header]) => header),
    rows.map((row) => columns.map(([, cell]) => cell(row))),
  );
}

/** Prints the final machine-readable line; tooling greps for the `BENCH_RESULT ` prefix. */
export function printResult(result: Record<string, unknown>): void {
  console.log(`BENCH_RESULT ${JSON.stringify(result)}`);
}

/** Samples RSS on a timer, so a phase's peak is visible even though maxRSS only grows. */
export function startRssSampler(everyMs = 25) {
  let peak = process.memoryUsage().rss;
  let phasePeak = peak;
  const timer = setInterval(() => {
    const rss = process.memoryUsage().rss;
    peak = Math.max(peak, rss);
    phasePeak = Math.max(phasePeak, rss);
  }, everyMs);
  timer.unref();
  return {
    /** Starts a new phase; returns nothing. Read the phase's peak with `phasePeakMb`. */
    resetPhase(): void {
      phasePeak = process.memoryUsage().rss;
    },
    phasePeakMb(): number {
      phasePeak = Math.max(phasePeak, process.memoryUsage().rss);
      return phasePeak / 2 ** 20;
    },
    peakMb(): number {
      return Math.max(peak, process.memoryUsage().rss) / 2 ** 20;
    },
    /** The kernel's high-water mark for the whole process (includes moments between samples). */
    maxRssMb(): number {
      return process.resourceUsage().maxRSS / 1024;
    },
    stop(): void {
      clearInterval(timer);
    },
  };
}

/** Integer `--name value` options with defaults; unknown flags are an error. */
export function intOptions<K extends string>(defaults: Record<K, number>): Record<K, number> {
  const { values } = parseArgs({
    options: Object.fromEntries(Object.keys(defaults).map((k) => [k, { type: 'string' as const }])),
    strict: true,
  });
  const out = { ...defaults };
  for (const key of Object.keys(defaults) as K[]) {
    const raw = values[key];
    if (raw === undefined) continue;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${key} must be an integer ≥ 1, got ${String(raw)}`);
    out[key] = n;
  }
  return out;
}
