// Other spellings of a request path, as an attacker tries them against auth that reads the URL string:
// percent-encoding of any character, doubled slashes, dot segments, trailing slash, case, `;` parameters.
import { request } from 'node:http';
import fc from 'fast-check';

/** One edit of a path; `at` picks the place (taken modulo the candidates). */
export type PathEdit =
  | { kind: 'encode'; at: number; upper: boolean }
  | { kind: 'encode-run'; at: number; length: number; upper: boolean }
  | { kind: 'double-slash'; at: number }
  | { kind: 'dot-segment'; at: number; parent: boolean }
  | { kind: 'trailing-slash' }
  | { kind: 'case'; at: number }
  | { kind: 'semicolon'; at: number; param: string };

// Encodings are weighted up: they keep the path routable, so most of them must meet a 401, while
// the other edits mostly lead nowhere (404) and are there to show that they do.
export const pathEditArb: fc.Arbitrary<PathEdit> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('encode' as const), at: fc.nat(), upper: fc.boolean() }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('encode-run' as const),
      at: fc.nat(),
      length: fc.integer({ min: 2, max: 6 }),
      upper: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('double-slash' as const), at: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('dot-segment' as const), at: fc.nat(), parent: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('trailing-slash' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('case' as const), at: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('semicolon' as const),
      at: fc.nat(),
      param: fc.constantFrom(';', ';x=1', ';jsessionid=abc', ';/', ';.json'),
    }),
  },
);

function percent(ch: string, upper: boolean): string {
  const hex = [...Buffer.from(ch, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
  return upper ? hex.toUpperCase() : hex;
}

/** The path as units: an existing escape (`%2F`) is one unit, so editing never breaks it. */
function units(text: string): string[] {
  return text.match(/%[0-9A-Fa-f]{2}|[^]/gu) ?? [];
}

/** Percent-encodes one unit; an escape has its "%" encoded (`%2F` → `%252F`), which stays valid. */
function encodeUnit(unit: string, upper: boolean): string {
  return unit.length === 3 && unit[0] === '%' ? percent('%', upper) + unit.slice(1) : percent(unit, upper);
}

function slashes(path: string): number[] {
  return [...path].flatMap((c, i) => (c === '/' ? [i] : []));
}

/**
 * Applies one edit. The leading "/" stays literal (a request target must start with one); every
 * other character, the "/v1" prefix's included, may be rewritten.
 */
export function applyPathEdit(path: string, edit: PathEdit): string {
  const head = path[0] === '/' ? '/' : '';
  const rest = path.slice(head.length);
  switch (edit.kind) {
    case 'encode':
    case 'encode-run': {
      const u = units(rest);
      if (u.length === 0) return path;
      const i = edit.at % u.length;
      const n = edit.kind === 'encode' ? 1 : edit.length;
      return (
        head +
        [
          ...u.slice(0, i),
          ...u.slice(i, i + n).map((x) => encodeUnit(x, edit.upper)),
          ...u.slice(i + n),
        ].join('')
      );
    }
    case 'double-slash': {
      const at = slashes(path);
      const i = at[edit.at % at.length]!;
      return `${path.slice(0, i)}/${path.slice(i)}`;
    }
    case 'dot-segment': {
      const at = slashes(path);
      const i = at[edit.at % at.length]!;
      return `${path.slice(0, i)}${edit.parent ? '/x/..' : '/.'}${path.slice(i)}`;
    }
    case 'trailing-slash':
      return `${path}/`;
    case 'case': {
      const letters = [...rest].flatMap((c, i) => (c.toLowerCase() !== c.toUpperCase() ? [i] : []));
      if (letters.length === 0) return path;
      const i = letters[edit.at % letters.length]!;
      const c = rest[i]!;
      const flipped = c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase();
      return head + rest.slice(0, i) + flipped + rest.slice(i + 1);
    }
    case 'semicolon': {
      // At the end of a segment: before a "/" or at the very end.
      const ends = [...slashes(path).filter((i) => i > 0), path.length];
      const i = ends[edit.at % ends.length]!;
      return path.slice(0, i) + edit.param + path.slice(i);
    }
  }
}

/** Up to four edits applied in turn: a spelling of `path` the router may or may not match. */
export function pathSpellingArb(path: string): fc.Arbitrary<string> {
  return fc
    .array(pathEditArb, { minLength: 0, maxLength: 4 })
    .map((edits) => edits.reduce(applyPathEdit, path));
}

/**
 * Sends a request over a real socket with the path exactly as given (inject() and fetch() would
 * normalise dot segments first, hiding what a raw client can send).
 */
export function rawRequest(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string; contentType: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method, path, headers: { ...headers, connection: 'close' } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body,
            contentType: String(res.headers['content-type'] ?? ''),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}
