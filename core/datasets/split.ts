// Deterministic train/validation/test assignment: a row's split depends only on its index in the
// snapshot and the seed, so every stage (and every retry) sees the same rows in the same split.
export type SplitName = 'train' | 'validation' | 'test';

/** A well-mixed 32-bit hash of (index, seed) → [0, 1). */
export function unitHash(index: number, seed: number): number {
  let h = (Math.imul(index ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(seed + 0x632be5ab, 0xc2b2ae35)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  h = (h ^ (h >>> 16)) >>> 0;
  return h / 4294967296;
}

export function splitOf(index: number, split: { test: number; validation: number; seed: number }): SplitName {
  const u = unitHash(index, split.seed);
  if (u < split.test) return 'test';
  if (u < split.test + split.validation) return 'validation';
  return 'train';
}
