// Parsing pipeline specs from YAML/JSON files or API bodies, with errors naming every path and rule.
import { FailureType, FerryError } from '../errors.js';
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { pipelineSpecSchema, type PipelineSpec } from './schema.js';

/** Thrown when a spec is invalid; `issues` names each path and the rule it broke. */
export class SpecError extends FerryError {
  override readonly name = 'SpecError';
  readonly type = FailureType.InvalidInput;
  override readonly code = 'invalid-spec';
  constructor(
    readonly source: string,
    readonly issues: readonly { path: string; rule: string }[],
  ) {
    super(`invalid pipeline spec ${source}:\n${issues.map((i) => `  ${i.path}: ${i.rule}`).join('\n')}`);
  }
}

/** Thrown when YAML text does not parse; `line` and `column` (1-based) say where, `reason` what is wrong. */
export class YamlSyntaxError extends FerryError {
  override readonly name = 'YamlSyntaxError';
  readonly type = FailureType.InvalidInput;
  override readonly code = 'invalid-spec';
  constructor(
    readonly line: number | undefined,
    readonly column: number | undefined,
    readonly reason: string,
  ) {
    super(`not valid YAML${line !== undefined ? ` at line ${line}:${column ?? 1}` : ''}: ${reason}`);
  }
}

/**
 * Parses one YAML document into a plain value (the library's core schema: no custom tags, no
 * timestamps; aliases capped by its `maxAliasCount`). A syntax error is a YamlSyntaxError naming line:column.
 */
export function parseYamlText(text: string): unknown {
  try {
    return parseYaml(text);
  } catch (err) {
    if (err instanceof YAMLParseError) {
      const at = err.linePos?.[0];
      // The library's message repeats the position and quotes the source; the first line says what is wrong.
      throw new YamlSyntaxError(
        at?.line,
        at?.col,
        err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''),
      );
    }
    throw err;
  }
}

/** Validates a parsed spec object and fills in defaults. */
export function parseSpec(value: unknown, source = '(inline)'): PipelineSpec {
  // reportInput: a missing field is told by its input being undefined, not by the words of the message.
  const result = pipelineSpecSchema.safeParse(value, { reportInput: true });
  if (!result.success) {
    throw new SpecError(
      source,
      result.error.issues.map((issue) => ({
        path: issue.path.length ? issue.path.join('.') : '(root)',
        rule:
          issue.code === 'unrecognized_keys'
            ? `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`
            : issue.code === 'invalid_type' && issue.input === undefined
              ? 'is required'
              : issue.message,
      })),
    );
  }
  return result.data;
}

/** Parses YAML or JSON text (by file extension) into a validated spec. */
export function parseSpecText(text: string, source: string): PipelineSpec {
  let value: unknown;
  try {
    value = extname(source) === '.json' ? JSON.parse(text) : parseYamlText(text);
  } catch (err) {
    throw new SpecError(source, [
      {
        path: '(file)',
        rule: err instanceof YamlSyntaxError ? err.message : `not valid JSON: ${(err as Error).message}`,
      },
    ]);
  }
  return parseSpec(value, source);
}

export async function loadSpecFile(path: string): Promise<PipelineSpec> {
  return parseSpecText(await readFile(path, 'utf8'), path);
}

/** Loads every *.yaml / *.yml / *.json spec in a directory; names must be unique. */
export async function loadSpecDir(dir: string): Promise<PipelineSpec[]> {
  const files = (await readdir(dir)).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
  const specs = await Promise.all(files.map((f) => loadSpecFile(join(dir, f))));
  const seen = new Set<string>();
  for (const s of specs) {
    if (seen.has(s.name))
      throw new SpecError(dir, [{ path: 'name', rule: `pipeline "${s.name}" is defined twice` }]);
    seen.add(s.name);
  }
  return specs;
}

/** Content hash of a validated spec (canonical JSON, keys sorted): the spec's version. */
export function specHash(spec: PipelineSpec): string {
  return createHash('sha256').update(canonicalJson(spec)).digest('hex');
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
