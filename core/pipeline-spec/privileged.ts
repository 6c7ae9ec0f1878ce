// The spec fields that decide whether a model reaches production, and the diff of them between two
// specs: only approvers and admins may set or change them (the API and the spec store enforce it).
import { FailureType, FerryError } from '../errors.js';
import type { ApiRole } from '../config.js';
import { parseSpec } from './load.js';
import { primaryMetric, type PipelineSpec } from './schema.js';

/** Roles that may set or change privileged fields. */
export const privilegedRoles: readonly ApiRole[] = ['approver', 'admin'];

/** One privileged field that differs, by dotted path (`approval.policy`); null = absent. */
export interface PrivilegedChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** The spec paths `privilegedView` covers (a field is privileged when its path is one of these or under one), for the spec reference. */
export const privilegedPaths: readonly string[] = [
  'approval',
  'evaluation.primaryMetric',
  'evaluation.thresholds',
  'evaluation.maxRegression',
  'rollout.strategy',
  'rollout.steps',
  'rollout.bake',
  'rollout.guards',
  'monitoring.webhookUrl',
];

/** Whether the field at dotted `path` is privileged. */
export const isPrivilegedPath = (path: string): boolean =>
  privilegedPaths.some((p) => path === p || path.startsWith(`${p}.`));

/**
 * The privileged part of a spec. Besides the fields the issue names (approval, evaluation thresholds
 * and maxRegression, rollout strategy and guards, webhooks), it holds the primary metric (which metric
 * maxRegression and auto-if-better compare) and rollout steps and bake (a 0 ms bake or a single 100 %
 * step skips the guards): changing any of these relaxes a gate just as well.
 */
function privilegedView(spec: PipelineSpec): Record<string, unknown> {
  return {
    approval: spec.approval,
    evaluation: {
      primaryMetric: primaryMetric(spec),
      thresholds: spec.evaluation.thresholds,
      maxRegression: spec.evaluation.maxRegression,
    },
    rollout: {
      strategy: spec.rollout.strategy,
      steps: spec.rollout.steps,
      bake: spec.rollout.bake,
      guards: spec.rollout.guards,
    },
    monitoring: { webhookUrl: spec.monitoring?.webhookUrl ?? null },
  };
}

/** Leaves by dotted path; arrays are one leaf (steps change as a whole). */
function flatten(value: unknown, prefix: string, out: Map<string, unknown>): Map<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (value !== undefined) {
    out.set(prefix, value);
  }
  return out;
}

/** The same spec with every privileged field at its default: what "not set" means on creation. */
export function withPrivilegedDefaults(spec: PipelineSpec): PipelineSpec {
  return parseSpec(
    {
      ...spec,
      approval: undefined,
      evaluation: { slices: spec.evaluation.slices },
      rollout: undefined,
      monitoring: spec.monitoring ? { ...spec.monitoring, webhookUrl: undefined } : undefined,
    },
    'privileged defaults',
  );
}

/** Privileged fields that differ from `before` (a new pipeline is compared with the defaults). */
export function privilegedChanges(before: PipelineSpec | undefined, after: PipelineSpec): PrivilegedChange[] {
  const a = flatten(privilegedView(before ?? withPrivilegedDefaults(after)), '', new Map());
  const b = flatten(privilegedView(after), '', new Map());
  const changes: PrivilegedChange[] = [];
  for (const field of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const x = a.get(field) ?? null;
    const y = b.get(field) ?? null;
    if (JSON.stringify(x) !== JSON.stringify(y)) changes.push({ field, before: x, after: y });
  }
  return changes;
}

/** Thrown when a caller without an approver's role sets or changes privileged spec fields. */
export class PrivilegedFieldError extends FerryError {
  override readonly name = 'PrivilegedFieldError';
  readonly type = FailureType.PrivilegedField;
  override readonly code = 'privileged-field';
  constructor(
    readonly role: ApiRole,
    readonly changes: readonly PrivilegedChange[],
  ) {
    super(
      `role "${role}" may not set or change ${changes.map((c) => c.field).join(', ')}: ` +
        `it needs role "${privilegedRoles.join('" or "')}"`,
    );
  }
}

/** Throws PrivilegedFieldError unless `role` may make these changes. */
export function assertMayChangePrivileged(role: ApiRole, changes: readonly PrivilegedChange[]): void {
  if (changes.length > 0 && !privilegedRoles.includes(role)) throw new PrivilegedFieldError(role, changes);
}
