// Which fields of a pipeline spec differ between two versions, by dotted path: the plan an apply prints.
import type { PipelineSpec } from './schema.js';

/** Leaves by dotted path; an array is one leaf (a list changes as a whole). */
function leaves(value: unknown, prefix: string, out: Map<string, string>): Map<string, string> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) leaves(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (value !== undefined) {
    out.set(prefix, JSON.stringify(value));
  }
  return out;
}

/** Dotted paths (sorted) of the fields set, removed or changed from `before` to `after` (defaults filled in). */
export function changedFields(before: PipelineSpec, after: PipelineSpec): string[] {
  const a = leaves(before, '', new Map());
  const b = leaves(after, '', new Map());
  return [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k)).sort();
}
