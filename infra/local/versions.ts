// The one place where the local stack's server versions are pinned.

/** Temporal CLI (embeds server 1.29.1 and UI 2.42.1). Later tags cannot be `go install`ed. */
export const TEMPORAL_CLI = {
  name: 'temporal',
  module: 'github.com/temporalio/cli/cmd/temporal',
  version: 'v1.5.1',
  minGo: '1.25',
} as const;

/**
 * MinIO community edition is distributed as source only. The pin is the newest commit the Go module
 * proxy serves (RELEASE.2025-10-15T17-29-55Z's commit 9e49d5e7a648 is not served by it).
 */
export const MINIO = {
  name: 'minio',
  module: 'github.com/minio/minio',
  version: 'v0.0.0-20260212201848-7aac2a2c5b7c',
  minGo: '1.24',
} as const;

/** A binary built from a Go module at a pinned version (the pins above, and a small module in tests). */
export interface BinarySpec {
  readonly name: string;
  readonly module: string;
  readonly version: string;
  readonly minGo: string;
}
