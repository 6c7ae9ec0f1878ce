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

/** Helm, for `npm run test:deploy` (lint and template of deploy/helm/ferry). */
export const HELM = {
  name: 'helm',
  module: 'helm.sh/helm/v4/cmd/helm',
  version: 'v4.3.2',
  minGo: '1.25',
} as const;

/** A tool built from Go source in this repository; see localToolSpec in binaries.ts. */
export interface LocalGoTool {
  readonly name: string;
  /** Its folder, relative to the repository root. */
  readonly sourceDir: string;
  readonly minGo: string;
}

/** Strict checker of rendered Kubernetes manifests (typed k8s.io/api decoding plus cross-object checks). */
export const K8S_VALIDATE: LocalGoTool = {
  name: 'ferry-k8s-validate',
  sourceDir: 'infra/deploy-check/k8s-validate',
  minGo: '1.26',
};

/** Strict loader of compose files (compose-spec/compose-go), plus Ferry's own compose rules. */
export const COMPOSE_VALIDATE: LocalGoTool = {
  name: 'ferry-compose-validate',
  sourceDir: 'infra/deploy-check/compose-validate',
  minGo: '1.25',
};

/**
 * The local base image the container test builds the Dockerfile on (no registry is reachable here):
 * a debootstrap root file system of this Debian suite plus the machine's Node.js. Bump `revision`
 * when the recipe in infra/container/base-image.ts changes.
 */
export const BASE_IMAGE = { name: 'ferry-base', suite: 'bookworm', variant: 'minbase', revision: 1 } as const;

/** A binary built from a Go module at a pinned version (the pins above, and a small module in tests). */
export interface BinarySpec {
  readonly name: string;
  readonly module: string;
  readonly version: string;
  readonly minGo: string;
  /** Absolute path of the source folder of a tool of this repository (built with `go build` there). */
  readonly sourceDir?: string;
}
