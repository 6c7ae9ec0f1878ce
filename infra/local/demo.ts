// The main job `npm start` runs once the stack is up: generate the synthetic churn snapshot,
// ingest it, run the `churn` pipeline end to end (auto approval) and say where to look.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { FerryConfig } from '../../core/config.js';
import { createDatasetCatalog } from '../../core/datasets/catalog.js';
import { generateChurnRows, writeChurnCsv } from '../../core/datasets/synthetic-churn.js';
import { startTrainingRun } from '../../core/runs/start-run.js';
import { loadSpecFile, specHash } from '../../core/pipeline-spec/load.js';
import { createObjectStore } from '../../core/storage/object-store.js';
import { repoRoot } from './stack.js';
import { primaryMetricByVersion } from '../../core/warehouse/queries.js';
import { createWarehouse } from '../../core/warehouse/store.js';

/** A token to call the API with: the first configured one, else the generated local viewer token. */
async function demoToken(config: FerryConfig): Promise<string | undefined> {
  if (config.api.tokens[0]) return config.api.tokens[0].secret;
  const file = join(config.home, 'api-tokens.txt');
  if (!existsSync(file)) return undefined;
  return (await readFile(file, 'utf8'))
    .split('\n')
    .find((l) => l.startsWith('viewer'))
    ?.trim()
    .split(/\s+/)[2];
}

/** Three predictions through the API: the promoted version now serves. */
async function demoPredictions(config: FerryConfig, model: string): Promise<void> {
  const token = await demoToken(config);
  if (!token) return;
  const rows = [...generateChurnRows({ rows: 3, seed: 99 })].map(
    ({ churned: _label, ...features }) => features,
  );
  const res = await fetch(`${config.api.url}/v1/models/${model}/predict`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ rows, requestKey: 'demo-user' }),
  });
  if (!res.ok) {
    console.log(`predict answered ${res.status}: ${await res.text()}`);
    return;
  }
  const body = (await res.json()) as {
    version: number;
    predictions: { label?: string; probabilities?: Record<string, number> }[];
  };
  const shown = body.predictions.map(
    (p) =>
      `${p.label} (${Object.entries(p.probabilities ?? {})
        .map(([k, v]) => `${k}: ${v.toFixed(2)}`)
        .join(', ')})`,
  );
  console.log(`POST /v1/models/${model}/predict → v${body.version}: ${shown.join(' · ')}`);
}

export async function runDemo(config: FerryConfig): Promise<void> {
  const store = createObjectStore(config.s3);
  const cacheDir = join(config.home, 'cache', 'demo');
  const spec = await loadSpecFile(join(repoRoot, 'pipelines', 'churn.yaml'));

  // A fixed seed: the same bytes every time, so re-running the demo re-uses the snapshot.
  const dir = await mkdtemp(join(tmpdir(), 'ferry-demo-'));
  let snapshot: string;
  try {
    const csv = join(dir, 'churn.csv');
    await writeChurnCsv(csv, { rows: 20_000, seed: 2026 });
    const { manifest, created } = await createDatasetCatalog({ store, cacheDir }).ingestFile(
      spec.dataset.name,
      csv,
      { source: 'synthetic churn generator, seed 2026, 20000 rows' },
    );
    snapshot = manifest.sha256;
    console.log(
      `dataset ${manifest.name}@${snapshot.slice(0, 12)}: ${manifest.rowCount} rows (${created ? 'ingested' : 'already ingested'})`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  const connection = await Connection.connect({ address: config.temporal.address });
  try {
    const client = new Client({ connection, namespace: config.temporal.namespace });
    const handle = await startTrainingRun({
      client,
      taskQueue: config.temporal.taskQueue,
      trainTaskQueue: config.temporal.trainTaskQueue,
      input: {
        spec,
        specHash: specHash(spec),
        datasetSnapshot: snapshot,
        trigger: 'demo',
        triggeredBy: 'npm-start',
        reason: 'demo run',
        approvalPolicy: 'auto',
      },
    });
    console.log(
      `run ${handle.workflowId} started: ${config.temporal.uiUrl}/namespaces/${config.temporal.namespace}/workflows/${handle.workflowId}`,
    );
    const result = await handle.result();
    const metrics = Object.entries(result.evaluation.metrics)
      .map(([k, v]) => `${k}=${Number(v).toFixed(3)}`)
      .join(' ');
    console.log(`run finished: ${result.outcome}, ${result.model} v${result.version} (${metrics})`);
    for (const reason of result.evaluation.reasons) console.log(`  ${reason}`);
    const history = await primaryMetricByVersion(
      createWarehouse({ store, cacheDir }),
      spec.model,
      result.evaluation.primaryMetric,
    );
    console.log(
      `${result.evaluation.primaryMetric} by version (DuckDB over the metrics Parquet): ${history.map((h) => `v${h.version}=${h.value.toFixed(3)}`).join(', ')}`,
    );
    console.log(
      `model card: ${config.s3.consoleUrl}/browser/${config.s3.bucket} → ${result.evaluation.cardKey}`,
    );
    await demoPredictions(config, spec.model);
  } finally {
    await connection.close();
  }
}
