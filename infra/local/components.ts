// What a local stack is made of: components (a process each, with ports, a command, a health check
// and an optional set-up), the context the dev and cluster component sets share, and small helpers.
import type { FerryConfig } from '../../core/config.js';
import type { BinarySpec } from './versions.js';

export interface Component {
  name: string;
  ports: { port: number; what: string }[];
  urls: Record<string, string>;
  command(): Promise<{
    command: string;
    args: string[];
    env: Record<string, string>;
    user?: { uid: number; gid: number };
  }>;
  /** Resolves true once healthy; may also finish set-up (search attributes). */
  healthy(): Promise<boolean>;
  /** Idempotent set-up once healthy (MinIO's bucket and Ferry's user); run on every `up`. */
  setUp?(): Promise<void>;
  /** The signal that asks it to stop (default SIGTERM; PostgreSQL's fast shutdown is SIGINT). */
  stopSignal?: NodeJS.Signals;
  /** Pinned binaries it needs, built (at once with the others) before the first component starts. */
  binaries?: readonly BinarySpec[];
}

/** What the dev and cluster component sets share: secrets, environments and binaries. */
export interface StackContext {
  config: FerryConfig;
  env: Record<string, string>;
  log: (line: string) => void;
  /** FERRY_* of the configuration (no API tokens) plus the caller's environment. */
  childEnv: Record<string, string>;
  /** `childEnv` without the API tokens: what workers get. */
  workerEnv: Record<string, string>;
  stackSecret(configured: string | undefined, fileName: string, variable: string): Promise<string>;
  webhookSecret(): Promise<string>;
  minioRootPassword(): Promise<string>;
  nodeArgs(entry: string): string[];
  binary(spec: BinarySpec): Promise<string>;
}

export function httpOk(url: string): Promise<boolean> {
  return fetch(url, { signal: AbortSignal.timeout(2000) }).then(
    (res) => res.ok,
    () => false,
  );
}

/** `--name value` pairs of a server's command line. */
export function flags(values: Record<string, string | number>): string[] {
  return Object.entries(values).flatMap(([name, value]) => [`--${name}`, String(value)]);
}
