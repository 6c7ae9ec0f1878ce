// The cron expressions and time zones a schedule accepts, as one regular expression and one list, so that
// the API's schema (and the OpenAPI document made from it) states exactly what Temporal will take.
// The pattern uses only ASCII classes: JSON Schema patterns are read by JavaScript and Python engines,
// whose `\d` and `\s` differ beyond ASCII.

/** A regular expression (source) for the whole numbers lo..hi (hi ≤ 99), with an optional leading 0 below 10. */
function numberRange(lo: number, hi: number): string {
  const parts: string[] = [];
  if (lo <= 9) parts.push(`0?[${lo}-${Math.min(hi, 9)}]`);
  for (let tens = Math.max(1, Math.floor(lo / 10)); tens <= Math.floor(hi / 10); tens++) {
    const from = Math.max(lo, tens * 10) % 10;
    const to = Math.min(hi, tens * 10 + 9) % 10;
    parts.push(`${tens}[${from}-${to}]`);
  }
  return `(?:${parts.join('|')})`;
}

/** One field: a comma list of `*`, `n` or `n-m` (m ≥ n), each optionally `/step` (1..hi). */
function field(lo: number, hi: number): string {
  const ranges: string[] = [];
  for (let n = lo; n <= hi; n++) ranges.push(`${numberRange(n, n)}(?:-${numberRange(n, hi)})?`);
  const item = `(?:\\*|${ranges.join('|')})(?:/${numberRange(1, hi)})?`;
  return `${item}(?:,${item})*`;
}

/** Minute, hour, day of month, month, day of week (0 and 7 are Sunday), separated by spaces. */
const fields = [field(0, 59), field(0, 23), field(1, 31), field(1, 12), field(0, 7)];

/** A 5-field cron expression with numeric fields, as Temporal's parser accepts it (the source of a RegExp). */
export const cronPattern = `^${fields.join(' +')}$`;

/** What a cron that does not match `cronPattern` is told. */
export const cronRule =
  'must be a 5-field cron expression with numbers in range (minute 0-59, hour 0-23, day 1-31, month 1-12, weekday 0-7), e.g. "0 2 * * *" or "30 3 * * 1-5"';

/** IANA time zones a schedule may use: the ones this runtime knows, and UTC. */
export const timeZones: readonly string[] = Object.freeze(['UTC', ...Intl.supportedValuesOf('timeZone')]);
