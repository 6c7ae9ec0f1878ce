// `npm run test:deploy`: the Helm chart and the compose file, checked with real tools and nothing
// mocked — helm lint and template (helm built from its Go module), every rendered manifest decoded
// strictly into its k8s.io/api type plus cross-object checks (infra/deploy-check/k8s-validate), and
// the compose file loaded strictly by compose-go (infra/deploy-check/compose-validate). Each checker
// is also shown a broken input, so a checker that accepts anything fails here.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { baseEnv, config } from '../../core/config.js';
import { resolveDeployTools, type DeployTools } from '../../infra/deploy-check/tools.js';
import { repoRoot } from '../../infra/local/stack.js';

const chart = join(repoRoot, 'deploy/helm/ferry');
const production = join(chart, 'values-production.yaml');
const compose = join(repoRoot, 'deploy/compose/compose.yaml');
const scratch = mkdtempSync(join(tmpdir(), 'ferry-deploy-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
let tools: DeployTools;
const env = baseEnv();

before(async () => {
  const c = config();
  tools = await resolveDeployTools({
    cacheDir: c.cacheDir,
    env,
    buildTimeoutMs: c.binaryBuildTimeoutMs,
    log: (l) => console.log(`  ${l}`),
  });
});

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], input?: string): Run {
  // Helm's own settings (repositories, cache) in a scratch home, not the user's.
  const out = spawnSync(cmd, args, {
    encoding: 'utf8',
    input,
    maxBuffer: 64 * 1024 * 1024,
    env: {
      ...env,
      HELM_CACHE_HOME: join(scratch, 'helm-cache'),
      HELM_CONFIG_HOME: join(scratch, 'helm-config'),
      HELM_DATA_HOME: join(scratch, 'helm-data'),
    },
  });
  return { status: out.status, stdout: out.stdout, stderr: out.stderr };
}

const template = (...args: string[]) => run(tools.helm, ['template', 'ferry', chart, ...args]);
const validate = (manifests: string, ...allow: string[]) =>
  run(tools.k8sValidate, [...allow.flatMap((s) => ['--allow-secret', s]), '-'], manifests);

/** The fields of rendered objects these tests look at. */
interface Container {
  args?: string[];
  env?: { name: string }[];
  resources: { limits?: Record<string, unknown> };
}
interface K8sObject {
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec: {
    replicas?: number;
    metrics?: { type: string }[];
    template: {
      spec: {
        containers: Container[];
        nodeSelector?: Record<string, string>;
        tolerations?: { key: string }[];
      };
    };
  };
}

/** The rendered objects, by kind and name. */
function objects(manifests: string): Map<string, K8sObject> {
  const byId = new Map<string, K8sObject>();
  for (const doc of parseAllDocuments(manifests)) {
    const o = doc.toJS() as K8sObject | null;
    if (o) byId.set(`${o.kind}/${o.metadata.name}`, o);
  }
  return byId;
}

test('helm lint passes for the default and the production values', () => {
  for (const args of [[], ['-f', production]]) {
    const r = run(tools.helm, ['lint', '--strict', chart, ...args]);
    assert.equal(r.status, 0, `helm lint ${args.join(' ')}:\n${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);
  }
});

test('the default values render every component, and every manifest passes the schema check', () => {
  const r = template();
  assert.equal(r.status, 0, r.stderr);
  const v = validate(r.stdout, 'ferry-secrets');
  assert.equal(v.status, 0, v.stdout + v.stderr);
  assert.match(v.stdout, /0 problems/);
  const objs = objects(r.stdout);
  for (const id of [
    'Deployment/ferry-api',
    'Deployment/ferry-serving',
    'Deployment/ferry-worker-pipeline',
    'Deployment/ferry-worker-train',
    'HorizontalPodAutoscaler/ferry-serving',
    'PodDisruptionBudget/ferry-api',
    'PodDisruptionBudget/ferry-serving',
    'PodDisruptionBudget/ferry-worker-pipeline',
    'NetworkPolicy/ferry-http',
    'NetworkPolicy/ferry-workers',
    'ConfigMap/ferry-config',
    'Service/ferry-api',
    'Service/ferry-serving',
    'Service/ferry-workers',
  ])
    assert.ok(objs.has(id), `${id} is rendered (got ${[...objs.keys()].join(', ')})`);
  // Off by default: the chart's own Secret (an existing one is referenced) and the ServiceMonitor.
  assert.ok(![...objs.keys()].some((k) => k.startsWith('Secret/') || k.startsWith('ServiceMonitor/')));
  const pipeline = objs.get('Deployment/ferry-worker-pipeline')!.spec.template.spec.containers[0]!;
  assert.deepEqual(pipeline.args, ['worker', '--queue', 'pipeline']);
  const train = objs.get('Deployment/ferry-worker-train')!.spec.template.spec.containers[0]!;
  assert.deepEqual(train.args, ['worker', '--queue', 'train']);
  // The serving Deployment leaves its replica count to the HPA.
  assert.equal(objs.get('Deployment/ferry-serving')!.spec.replicas, undefined);
});

test('the production values render GPU training, mTLS to Temporal and a ServiceMonitor that pass the schema check', () => {
  const r = template('-f', production);
  assert.equal(r.status, 0, r.stderr);
  const v = validate(r.stdout, 'ferry-prod-secrets', 'ferry-temporal-mtls');
  assert.equal(v.status, 0, v.stdout + v.stderr);
  const objs = objects(r.stdout);
  assert.ok(objs.has('ServiceMonitor/ferry'));
  const train = objs.get('Deployment/ferry-worker-train')!.spec.template.spec;
  assert.equal(train.containers[0]!.resources.limits?.['nvidia.com/gpu'], 1);
  assert.equal(train.nodeSelector?.['node.kubernetes.io/instance-type'], 'g5.2xlarge');
  assert.equal(train.tolerations?.[0]?.key, 'nvidia.com/gpu');
  const api = objs.get('Deployment/ferry-api')!.spec.template.spec;
  const envNames = (api.containers[0]!.env ?? []).map((e) => e.name);
  for (const name of ['FERRY_TEMPORAL_TLS', 'FERRY_TEMPORAL_TLS_CERT', 'FERRY_TEMPORAL_TLS_KEY'])
    assert.ok(envNames.includes(name), `${name} is set on the API`);
  assert.equal(
    objs.get('ServiceAccount/ferry')!.metadata.annotations?.['eks.amazonaws.com/role-arn'],
    'arn:aws:iam::123456789012:role/ferry-prod',
  );
  // IRSA: the SDK's credential chain, and no S3 keys asked of the Secret.
  const cm = objs.get('ConfigMap/ferry-config') as unknown as { data: Record<string, string> };
  assert.equal(cm.data.FERRY_S3_CREDENTIALS, 'aws-default-chain');
  assert.doesNotMatch(r.stdout, /path: FERRY_S3_SECRET_KEY/);
  const hpa = objs.get('HorizontalPodAutoscaler/ferry-serving')!;
  assert.deepEqual(
    (hpa.spec.metrics ?? []).map((m) => m.type),
    ['Resource', 'Pods'],
  );
});

test('a chart-created Secret holds every key the pods mount', () => {
  const r = template(
    '--set',
    'secrets.existingSecret=',
    '--set',
    'secrets.create=true',
    '--set',
    'secrets.s3AccessKey=ferry-app',
    '--set',
    'secrets.s3SecretKey=0123456789abcdef',
    '--set',
    'secrets.apiTokens=ci:operator:0123456789abcdef0123',
  );
  assert.equal(r.status, 0, r.stderr);
  const v = validate(r.stdout);
  assert.equal(v.status, 0, v.stdout + v.stderr);
  assert.ok(objects(r.stdout).has('Secret/ferry-secrets'));
});

test('values that cannot work are refused by the chart with the field named', () => {
  const noSecrets = template('--set', 'secrets.existingSecret=');
  assert.notEqual(noSecrets.status, 0);
  assert.match(noSecrets.stderr, /secrets: set secrets\.existingSecret/);
  const halfSecrets = template('--set', 'secrets.existingSecret=', '--set', 'secrets.create=true');
  assert.notEqual(halfSecrets.status, 0);
  assert.match(halfSecrets.stderr, /secrets\.create=true needs secrets\.s3AccessKey/);
  const badScale = template(
    '--set',
    'serving.autoscaling.minReplicas=5',
    '--set',
    'serving.autoscaling.maxReplicas=2',
  );
  assert.notEqual(badScale.status, 0);
  assert.match(badScale.stderr, /minReplicas must not exceed/);
  const broken = join(scratch, 'broken-values.yaml');
  writeFileSync(broken, 's3:\n  endpoint: minio:9000\n');
  const badEndpoint = template('-f', broken);
  assert.notEqual(badEndpoint.status, 0);
  assert.match(badEndpoint.stderr, /s3\.endpoint must be an http\(s\) URL/);
});

test('the schema check refuses an unknown field, a wrong type, a dangling reference and a selector that selects nothing', () => {
  const good = template().stdout;
  const cases: { name: string; manifests: string; expect: RegExp }[] = [
    {
      name: 'unknown field',
      manifests: good.replace('revisionHistoryLimit: 5', 'revisionHistoryLimit: 5\n  replicass: 3'),
      expect: /unknown field "spec\.replicass"/,
    },
    {
      name: 'wrong type',
      manifests: good.replace('revisionHistoryLimit: 5', 'revisionHistoryLimit: "five"'),
      expect: /revisionHistoryLimit/,
    },
    {
      name: 'secret not rendered nor declared',
      manifests: good,
      expect: /refers to "ferry-secrets", which is neither rendered nor declared as existing/,
    },
    {
      name: 'service selecting nothing',
      manifests: good.replace(
        /(kind: Service\n[\s\S]*?selector:\n[\s\S]*?app\.kubernetes\.io\/component: )api/,
        '$1apii',
      ),
      expect: /selects no pod of any rendered Deployment/,
    },
    {
      name: 'a probe on a port the container does not name',
      manifests: good.replace(
        'httpGet: { path: /readyz, port: http }',
        'httpGet: { path: /readyz, port: htp }',
      ),
      expect: /probe port "htp" is not a named port/,
    },
  ];
  for (const c of cases) {
    // The dangling-secret case is the good render without declaring its existing secret.
    const dangling = c.name.startsWith('secret');
    if (!dangling) assert.ok(c.manifests !== good, `${c.name}: the manifests were changed`);
    const v = validate(c.manifests, ...(dangling ? [] : ['ferry-secrets']));
    assert.equal(v.status, 1, `${c.name}: refused\n${v.stdout}`);
    assert.match(v.stdout, c.expect, c.name);
  }
});

test('the compose file loads strictly and passes Ferry’s compose rules', () => {
  const r = run(tools.composeValidate, [compose]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(
    r.stdout,
    /9 services \(api minio minio-setup postgresql serving temporal temporal-ui worker-pipeline worker-train\), 6 secrets, 3 volumes, 0 problems/,
  );
});

test('the compose check refuses an unknown key, a missing health check and a plain-text secret', () => {
  const dir = mkdtempSync(join(scratch, 'compose-'));
  for (const f of ['minio-setup.sh', 'ferry-bucket-policy.json'])
    copyFileSync(join(repoRoot, 'deploy/compose', f), join(dir, f));
  const text = readFileSync(compose, 'utf8');
  const cases = [
    {
      name: 'unknown key',
      yaml: text.replace("    command: ['api']", "    command: ['api']\n    enviroment: {}"),
      expect: /enviroment/,
    },
    {
      name: 'no health check',
      yaml: text.replace(/(  temporal-ui:[\s\S]*?)    healthcheck:\n(      .*\n)+/, '$1'),
      expect: /service temporal-ui: has no health check/,
    },
    {
      name: 'plain-text secret',
      yaml: text.replace(
        "      FERRY_API_PORT: '8080'",
        "      FERRY_API_PORT: '8080'\n      FERRY_S3_SECRET_KEY: hunter2hunter2",
      ),
      expect: /environment FERRY_S3_SECRET_KEY holds a secret in plain text/,
    },
  ];
  for (const c of cases) {
    assert.ok(c.yaml !== text, `${c.name}: the file was changed`);
    const file = join(dir, `${c.name.replaceAll(' ', '-')}.yaml`);
    writeFileSync(file, c.yaml);
    const r = run(tools.composeValidate, [file]);
    assert.equal(r.status, 1, `${c.name}: refused\n${r.stdout}${r.stderr}`);
    assert.match(r.stdout + r.stderr, c.expect, c.name);
  }
});

test('the ferry-stack umbrella chart declares Temporal and MinIO from their official charts, off by default', () => {
  const stack = join(repoRoot, 'deploy/helm/ferry-stack');
  const meta = parseAllDocuments(readFileSync(join(stack, 'Chart.yaml'), 'utf8'))[0]!.toJS() as {
    dependencies: { name: string; repository: string; condition?: string }[];
  };
  const byName = new Map(meta.dependencies.map((d) => [d.name, d]));
  assert.equal(byName.get('ferry')?.repository, 'file://../ferry');
  assert.equal(byName.get('temporal')?.repository, 'https://go.temporal.io/helm-charts');
  assert.equal(byName.get('temporal')?.condition, 'temporal.enabled');
  assert.equal(byName.get('minio')?.repository, 'https://charts.min.io/');
  assert.equal(byName.get('minio')?.condition, 'minio.enabled');
  const values = parseAllDocuments(readFileSync(join(stack, 'values.yaml'), 'utf8'))[0]!.toJS() as {
    temporal: { enabled: boolean };
    minio: { enabled: boolean };
  };
  assert.equal(values.temporal.enabled, false);
  assert.equal(values.minio.enabled, false);
  // Their charts cannot be fetched here: lint passes, and its only warning is that they are not vendored.
  const r = run(tools.helm, ['lint', stack]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const warnings = r.stdout.split('\n').filter((l) => /\[(WARNING|ERROR)\]/.test(l));
  assert.deepEqual(
    warnings.map((l) => l.replace(/^.*\] [^:]*: /, '')),
    ['chart directory is missing these dependencies: ferry,temporal,minio'],
  );
});

test('the ferry chart follows a release name in templated endpoints, as the umbrella chart sets them', () => {
  const file = join(scratch, 'templated-endpoints.yaml');
  writeFileSync(
    file,
    's3:\n  endpoint: "http://{{ .Release.Name }}-minio:9000"\n' +
      'temporal:\n  address: "{{ .Release.Name }}-temporal-frontend:7233"\n',
  );
  const r = template('-f', file);
  assert.equal(r.status, 0, r.stderr);
  const cm = objects(r.stdout).get('ConfigMap/ferry-config') as unknown as { data: Record<string, string> };
  assert.equal(cm.data.FERRY_TEMPORAL_ADDRESS, 'ferry-temporal-frontend:7233');
  assert.equal(cm.data.FERRY_S3_ENDPOINT, 'http://ferry-minio:9000');
});
