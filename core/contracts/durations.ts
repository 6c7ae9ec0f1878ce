// Durations as written in specs ("30s", "10m", "7d"). Pure, so workflows use it too.

const unitMs = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Milliseconds of a spec duration; throws naming the rule on anything else. */
export function parseDurationMs(text: string): number {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(text);
  if (!m) throw new TypeError(`"${text}" must be a duration such as "500ms", "30s", "10m", "2h" or "7d"`);
  return Number(m[1]) * unitMs[m[2] as keyof typeof unitMs];
}
