// The validators `npm run test:deploy` runs: helm (from its Go module) and the two checkers built from
// this repository's Go source, each found on PATH or in FERRY_CACHE_DIR, else built there once.
import { localToolSpec, resolveBinary } from '../local/binaries.js';
import { repoRoot } from '../local/stack.js';
import { COMPOSE_VALIDATE, HELM, K8S_VALIDATE } from '../local/versions.js';

export interface DeployTools {
  helm: string;
  k8sValidate: string;
  composeValidate: string;
}

export async function resolveDeployTools(o: {
  cacheDir: string;
  env: Record<string, string>;
  buildTimeoutMs: number;
  log: (line: string) => void;
}): Promise<DeployTools> {
  // One at a time: on two cores parallel Go builds only thrash.
  const helm = await resolveBinary(HELM, o);
  const k8s = await resolveBinary(localToolSpec(K8S_VALIDATE, repoRoot), o);
  const compose = await resolveBinary(localToolSpec(COMPOSE_VALIDATE, repoRoot), o);
  return { helm: helm.path, k8sValidate: k8s.path, composeValidate: compose.path };
}
