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

/**
 * The Temporal server of the cluster stack (`FERRY_STACK=cluster`), its SQL schema tool and its UI
 * server. v1.32.1 is the newest server release that builds with this machine's Go 1.26.8 (v1.32.2
 * and the later patch releases of 1.30 and 1.31 ask for go ≥ 1.26.10). The PostgreSQL schema
 * folders ship in the server module's source and are copied next to the binaries.
 */
export const TEMPORAL_SERVER = {
  name: 'temporal-server',
  module: 'go.temporal.io/server',
  package: 'go.temporal.io/server/cmd/server',
  version: 'v1.32.1',
  minGo: '1.26.8',
  files: ['schema/postgresql/v12'],
} as const;

export const TEMPORAL_SQL_TOOL = {
  name: 'temporal-sql-tool',
  module: 'go.temporal.io/server',
  package: 'go.temporal.io/server/cmd/tools/sql',
  version: TEMPORAL_SERVER.version,
  minGo: TEMPORAL_SERVER.minGo,
} as const;

/** The UI server embeds its web assets (ui/assets, `go:embed`); v2.55.0 is the newest that builds with Go 1.26.8. */
export const TEMPORAL_UI_SERVER = {
  name: 'temporal-ui-server',
  module: 'github.com/temporalio/ui-server/v2',
  package: 'github.com/temporalio/ui-server/v2/cmd/server',
  version: 'v2.55.0',
  minGo: '1.26.5',
} as const;

/** The Temporal server versions Ferry is tested against (docs/cluster.md): the CLI's dev server and the cluster pin. */
export const SUPPORTED_TEMPORAL_SERVERS = { min: '1.29.1', max: '1.32.1' } as const;

/** A binary built from a Go module at a pinned version (the pins above, and a small module in tests). */
export interface BinarySpec {
  readonly name: string;
  readonly module: string;
  readonly version: string;
  readonly minGo: string;
  /** Absolute path of the source folder of a tool of this repository (built with `go build` there). */
  readonly sourceDir?: string;
  /** The Go package to install when it is not the module's root; the binary is renamed to `name`. */
  readonly package?: string;
  /** Folders of the module's source copied next to the binary (schema files a tool reads at run time). */
  readonly files?: readonly string[];
}
