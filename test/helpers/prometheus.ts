// Reads Prometheus text exposition for assertions: every sample with its labels, and the metric names.

/** One sample line: `name{label="value",…} value`. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const sampleLine = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const labelPair = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parseSamples(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .flatMap((line) => {
      const m = sampleLine.exec(line);
      if (!m) return [];
      const labels = Object.fromEntries([...(m[2] ?? '').matchAll(labelPair)].map((p) => [p[1]!, p[2]!]));
      return [{ name: m[1]!, labels, value: Number(m[3]) }];
    });
}

/** Every sample name in the text (histograms appear as their _bucket, _sum and _count series). */
export const sampleNames = (text: string): Set<string> => new Set(parseSamples(text).map((s) => s.name));

/** The value of the one sample with this name whose labels include `labels`; undefined if there is none. */
export function sampleValue(
  samples: readonly Sample[],
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const found = samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value;
}

/**
 * Every series name the text declares (`# TYPE` lines, histograms and summaries with their suffixes) or
 * has samples of: a metric with no observations yet still counts as exposed.
 */
export function exposedNames(text: string): Set<string> {
  const names = sampleNames(text);
  for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const [, name, type] = m as unknown as [string, string, string];
    const suffixes =
      type === 'histogram'
        ? ['_bucket', '_sum', '_count']
        : type === 'summary'
          ? ['', '_sum', '_count']
          : [''];
    for (const s of suffixes) names.add(`${name}${s}`);
  }
  return names;
}
