// Finds a block of consecutive free loopback ports, so several test stacks (two clones, two helpers)
// can run on one machine at once without sharing a single port.
import { FailureType, typedError } from '../../core/errors.js';
import { isPortFree } from './processes.js';

export interface PortBlockOptions {
  host: string;
  /** How many consecutive ports the block needs. */
  count: number;
  /** Lowest and highest base port to try (kept below the kernel's ephemeral range, 32768+). */
  min?: number;
  max?: number;
  attempts?: number;
}

/** Thrown when no block of free ports was found in the given number of attempts. */
export class NoFreePortsError extends typedError(FailureType.Internal) {
  constructor(
    readonly count: number,
    readonly attempts: number,
  ) {
    super(`found no ${count} consecutive free ports after ${attempts} attempts`);
  }
}

/** Returns the first port of a block whose every port was free when checked. */
export async function findFreePortBlock(o: PortBlockOptions): Promise<number> {
  const min = o.min ?? 20_000;
  const max = o.max ?? 32_000;
  const attempts = o.attempts ?? 50;
  for (let i = 0; i < attempts; i++) {
    // Bases aligned to the block size: two runs that pick different bases never overlap.
    const slots = Math.floor((max - min) / o.count);
    const base = min + Math.floor(Math.random() * slots) * o.count;
    let free = true;
    for (let p = base; p < base + o.count && free; p++) free = await isPortFree(o.host, p);
    if (free) return base;
  }
  throw new NoFreePortsError(o.count, attempts);
}

/** FERRY_* port variables of a whole stack, laid out from one base port. */
export function stackPortEnv(base: number): Record<string, string> {
  return {
    FERRY_TEMPORAL_PORT: String(base),
    FERRY_TEMPORAL_UI_PORT: String(base + 1),
    FERRY_TEMPORAL_HTTP_PORT: String(base + 2),
    FERRY_MINIO_PORT: String(base + 3),
    FERRY_MINIO_CONSOLE_PORT: String(base + 4),
    FERRY_API_PORT: String(base + 5),
    FERRY_WORKER_PORT: String(base + 6),
  };
}

/** How many ports `stackPortEnv` uses. */
export const stackPortCount = 7;
