// Output of every command: `--json` prints machine output only (one JSON document on stdout); otherwise
// tables and key/value lines for people, coloured on a terminal and plain (no control characters) when
// stdout is a pipe or a file, as in CI logs.
import Table from 'cli-table3';
import pc from 'picocolors';

type Colors = ReturnType<typeof pc.createColors>;

/** How a command writes its results. */
export interface Output {
  /** `--json`: print only `json(...)` documents. */
  readonly json: boolean;
  /** stdout is a terminal: live views and colour are allowed. */
  readonly tty: boolean;
  readonly color: Colors;
  /** Prints a JSON document (in --json mode), or nothing. Returns whether it printed. */
  data(value: unknown): boolean;
  /** A line for people (suppressed in --json mode). */
  line(text?: string): void;
  /** A note on stderr (kept out of stdout so `--json` output stays parseable). */
  note(text: string): void;
  /** A table of rows for people. */
  table(head: string[], rows: (string | number | null | undefined)[][]): void;
  /** Aligned `key  value` lines. */
  fields(entries: [string, unknown][]): void;
}

export function createOutput(options: {
  json: boolean;
  tty?: boolean;
  noColor?: boolean;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}): Output {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const tty = options.tty ?? Boolean((stdout as { isTTY?: boolean }).isTTY);
  const color = pc.createColors(tty && !options.noColor && !options.json);
  const write = (s: string) => void stdout.write(s);
  return {
    json: options.json,
    tty,
    color,
    data(value) {
      if (!options.json) return false;
      write(JSON.stringify(value, null, 2) + '\n');
      return true;
    },
    line(text = '') {
      if (!options.json) write(text + '\n');
    },
    note(text) {
      stderr.write(text + '\n');
    },
    table(head, rows) {
      if (options.json) return;
      if (rows.length === 0) {
        write(color.dim('(none)') + '\n');
        return;
      }
      // Borderless and uncoloured by the table itself: the same table reads well in a terminal and a log.
      const t = new Table({
        head: head.map((h) => color.bold(h)),
        chars: {
          top: '',
          'top-mid': '',
          'top-left': '',
          'top-right': '',
          bottom: '',
          'bottom-mid': '',
          'bottom-left': '',
          'bottom-right': '',
          left: '',
          'left-mid': '',
          mid: '',
          'mid-mid': '',
          right: '',
          'right-mid': '',
          middle: '  ',
        },
        style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
      });
      for (const r of rows) t.push(r.map((c) => (c === null || c === undefined ? '-' : String(c))));
      write(t.toString().replace(/[ \t]+$/gm, '') + '\n');
    },
    fields(entries) {
      if (options.json) return;
      const width = Math.max(...entries.map(([k]) => k.length));
      for (const [k, v] of entries) write(`${color.dim(k.padEnd(width))}  ${show(v)}\n`);
    },
  };
}

/** A value as one line of text. */
export function show(v: unknown): string {
  if (v === null || v === undefined || v === '') return '-';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : fmt(v);
  if (Array.isArray(v)) return v.length ? v.map(show).join(', ') : '-';
  if (typeof v === 'object')
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${k}=${show(x)}`)
      .join(' ');
  return String(v);
}

/** A metric with 4 decimals (whole numbers as they are), as people read metrics. */
export const fmt = (n: number): string =>
  Number.isInteger(n) ? String(n) : Math.abs(n) >= 1000 ? n.toFixed(0) : n.toFixed(4);

/** A timestamp shortened to the second, in UTC. */
export const when = (iso: string | null | undefined): string =>
  iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '-';
