// The cluster stack's own ports, laid out from FERRY_CLUSTER_PORT_BASE. The ports Ferry's clients
// use (Temporal frontend, UI, HTTP API, MinIO, the API) stay the usual FERRY_*_PORT settings.
import { clusterPortCount, type FerryConfig } from '../../core/config.js';

export interface ClusterPorts {
  postgres: number;
  frontendMembership: number;
  historyGrpc: number;
  historyMembership: number;
  matchingGrpc: number;
  matchingMembership: number;
  workerGrpc: number;
  workerMembership: number;
  /** Health/metrics ports of the four Ferry worker processes. */
  workers: readonly number[];
  /** The two serving replicas. */
  serving: readonly number[];
}

/** How many of the block's ports the layout below uses (the rest of the block is spare). */
const used = 14;

export function clusterPorts(c: Pick<FerryConfig, 'clusterPortBase'>): ClusterPorts {
  const b = c.clusterPortBase;
  if (used > clusterPortCount) throw new RangeError('the cluster port layout outgrew its block');
  return {
    postgres: b,
    frontendMembership: b + 1,
    historyGrpc: b + 2,
    historyMembership: b + 3,
    matchingGrpc: b + 4,
    matchingMembership: b + 5,
    workerGrpc: b + 6,
    workerMembership: b + 7,
    workers: [b + 8, b + 9, b + 10, b + 11],
    serving: [b + 12, b + 13],
  };
}
