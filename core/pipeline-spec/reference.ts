// The pipeline spec reference (docs/pipeline-spec.md) rendered from the zod schema itself: every field
// with its type, default and rule, so the page cannot drift from what the API and the loader accept.
// `npm run docs:spec` writes it; a unit test fails when the checked-in page is stale.
import { z } from 'zod';
import { isPrivilegedPath } from './privileged.js';
import { crossFieldRules, pipelineSpecSchema } from './schema.js';

/** The subset of JSON Schema that zod emits for the spec. */
interface Json {
  type?: string;
  description?: string;
  default?: unknown;
  const?: unknown;
  enum?: unknown[];
  anyOf?: Json[];
  properties?: Record<string, Json>;
  required?: string[];
  additionalProperties?: Json | boolean;
  propertyNames?: Json;
  items?: Json;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
}

interface Row {
  path: string;
  type: string;
  required: boolean;
  default?: unknown;
  rule: string;
  description?: string;
}

const code = (v: unknown) => `\`${typeof v === 'string' ? v : JSON.stringify(v)}\``;

function typeOf(s: Json): string {
  if (s.const !== undefined) return code(s.const);
  if (s.enum) return `one of ${s.enum.map(code).join(', ')}`;
  if (s.anyOf) return s.anyOf.map(typeOf).join(' or ');
  if (s.type === 'array') return `list of ${s.items ? typeOf(s.items) : 'values'}`;
  if (s.type === 'object' && s.additionalProperties && typeof s.additionalProperties === 'object')
    return `map of column → ${s.additionalProperties.properties ? 'object' : typeOf(s.additionalProperties)}`;
  return s.type ?? 'value';
}

function ruleOf(s: Json): string {
  const r: string[] = [];
  if (s.pattern) r.push(`matches ${code(s.pattern)}`);
  if (s.format === 'uri') r.push('an http(s) URL');
  if (s.minimum !== undefined) r.push(`≥ ${s.minimum}`);
  if (s.exclusiveMinimum !== undefined) r.push(`> ${s.exclusiveMinimum}`);
  if (s.maximum !== undefined) r.push(`≤ ${s.maximum}`);
  if (s.exclusiveMaximum !== undefined) r.push(`< ${s.exclusiveMaximum}`);
  if (s.minLength === 1) r.push('not empty');
  else if (s.minLength !== undefined && s.minLength > 1) r.push(`at least ${s.minLength} characters`);
  if (s.maxLength !== undefined) r.push(`at most ${s.maxLength} characters`);
  if (s.minItems !== undefined) r.push(`at least ${s.minItems} item${s.minItems === 1 ? '' : 's'}`);
  if (s.maxItems !== undefined) r.push(`at most ${s.maxItems} items`);
  if (s.items) {
    const inner = ruleOf(s.items);
    if (inner) r.push(`each ${inner}`);
  }
  if (s.anyOf) r.push(...s.anyOf.map(ruleOf).filter(Boolean));
  if (s.propertyNames) {
    const keys = ruleOf(s.propertyNames);
    if (keys) r.push(`keys ${keys}`);
  }
  return r.join('; ');
}

function walk(s: Json, path: string, required: boolean, rows: Row[]): void {
  const isObject = s.type === 'object' && s.properties;
  rows.push({
    path,
    type: isObject ? 'object' : typeOf(s),
    required,
    ...(s.default !== undefined && !isObject ? { default: s.default } : {}),
    rule: ruleOf(s),
    ...(s.description ? { description: s.description } : {}),
  });
  if (isObject)
    for (const [k, v] of Object.entries(s.properties!))
      walk(v, `${path}.${k}`, s.required?.includes(k) ?? false, rows);
  if (
    s.type === 'object' &&
    s.additionalProperties &&
    typeof s.additionalProperties === 'object' &&
    s.additionalProperties.properties
  )
    for (const [k, v] of Object.entries(s.additionalProperties.properties))
      walk(v, `${path}.<column>.${k}`, false, rows);
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The reference page as Markdown (before Prettier's formatting). */
export function renderSpecReference(): string {
  const schema = z.toJSONSchema(pipelineSpecSchema, { io: 'input', unrepresentable: 'any' }) as Json;
  const sections: string[] = [
    '<!-- Generated from core/pipeline-spec/schema.ts by `npm run docs:spec`; do not edit by hand. -->',
    '',
    '# Pipeline spec reference',
    '',
    'A pipeline spec says what a pipeline trains, on which data, and how the result is checked, approved and rolled out. ' +
      'Write it as YAML (files in `pipelines/`, or `PUT /v1/pipelines/{name}` with `Content-Type: application/yaml`) or JSON. ' +
      'Fields left out take their default. Unknown fields are refused.',
    '',
    'Fields marked 🔒 are privileged: only the roles `approver` and `admin` may set or change them (see docs/security.md).',
    '',
  ];
  const header = ['| field | type | default | rule | notes |', '| --- | --- | --- | --- | --- |'];
  const line = (r: Row) =>
    `| \`${r.path}\`${isPrivilegedPath(r.path) ? ' 🔒' : ''} | ${cell(r.type)} | ${r.required ? 'required' : r.default !== undefined ? cell(code(r.default)) : '—'} | ${cell(r.rule || '—')} | ${cell(r.description ?? '')} |`;
  const tables: { title: string; rows: Row[] }[] = [{ title: 'Top-level fields', rows: [] }];
  for (const [top, sub] of Object.entries(schema.properties!)) {
    const rows: Row[] = [];
    walk(sub, top, schema.required?.includes(top) ?? false, rows);
    // Scalars share the first table; each object section gets its own.
    if (rows.length === 1) tables[0]!.rows.push(...rows);
    else tables.push({ title: `\`${top}\``, rows });
  }
  for (const t of tables) sections.push(`## ${t.title}`, '', ...header, ...t.rows.map(line), '');
  sections.push('## Rules across fields', '', ...crossFieldRules.map((r) => `- ${r}`), '');
  sections.push(
    '## Checked against the dataset when applied',
    '',
    "`PUT /v1/pipelines/{name}` (dry run included) also checks the spec against its dataset's snapshot (pinned, else the latest): " +
      'every column named must exist (the answer suggests the closest), thresholds must be on metrics the task produces, ' +
      'a `binary` label must have exactly 2 distinct values and a `regression` label must be numeric. ' +
      'A dataset with no snapshot yet is accepted with a warning; the run checks it when it starts.',
    '',
  );
  return sections.join('\n');
}
