// The orchestration benchmark against both local modes, side by side: a throwaway dev server
// (SQLite) and a throwaway cluster (PostgreSQL, Temporal's services as separate processes), each on
// free ports with a state dir of its own, measured one after the other by the very same
// orchestration-overhead.ts run as a child process. Prints each mode's gap and its ratio to the bare
// baseline measured in the same run, then the cluster/dev gap.
//
//   npm run bench:orchestration:modes -- [--n 20] [--concurrency 8] [--warmup 3]
import { spawn } from 'node:child_process';
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baseEnv, clusterPortCount, configEnv, loadConfig } from '../core/config.js';
import { findFreePortBlock, stackPortCount, stackPortEnv } from '../infra/local/free-ports.js';
import { temporalServices } from '../infra/local/cluster-stack.js';
import { createStack, repoRoot } from '../infra/local/stack.js';
import { fmt, intOptions, printResult, tableOf } from './lib/report.js';

type Mode = 'dev' | 'cluster';
interface ScenarioResult {
  scenario: string;
  gapMs: { p50: number; p99: number };
  baselineGapMs: { p50: number; p99: number };
  gapP50Ratio: number;
  e2eMs: { p50: number };
  ferryPipelinesPerSecond: number;
}
interface ModeResult {
  mode: Mode;
  scenarios: ScenarioResult[];
  server: { getSystemInfoP50Ms: number; startWorkflowP50Ms: number };
}

const opts = intOptions({ n: 20, concurrency: 8, warmup: 3 });
const base = baseEnv();

/** Brings up only what the benchmark needs (Temporal; the cluster's PostgreSQL too), runs it, tears down. */
async function measure(mode: Mode): Promise<ModeResult> {
  const host = loadConfig(base).bindHost;
  const home = await mkdtemp(join(tmpdir(), `ferry-bench-${mode}-`));
  const portBase = await findFreePortBlock({ host, count: stackPortCount + clusterPortCount });
  const config = loadConfig({
    ...base,
    FERRY_HOME: home,
    ...stackPortEnv(portBase),
    FERRY_CLUSTER_PORT_BASE: String(portBase + stackPortCount),
    FERRY_STACK: mode,
    FERRY_LOG_LEVEL: 'warn',
  });
  const stack = createStack({ config, env: base, log: (l) => console.log(`[${mode}] ${l}`) });
  const parts = mode === 'dev' ? ['temporal'] : ['postgres', ...temporalServices.map((s) => `temporal-${s}`)];
  try {
    await stack.up(parts);
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          join(repoRoot, 'bench/orchestration-overhead.ts'),
          ...Object.entries(opts).flatMap(([k, v]) => [`--${k}`, String(v)]),
        ],
        { cwd: repoRoot, env: { ...base, ...configEnv(config) }, stdio: ['ignore', 'pipe', 'inherit'] },
      );
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        process.stdout.write(d);
      });
      child.on('close', (code) =>
        code === 0 ? resolve(out) : reject(new Error(`${mode} bench exited ${code}`)),
      );
    });
    const line = output.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
    if (!line) throw new Error(`${mode}: the bench printed no result`);
    return { mode, ...(JSON.parse(line.slice('BENCH_RESULT '.length)) as Omit<ModeResult, 'mode'>) };
  } finally {
    await stack.down(parts);
    const pg = join(home, 'cluster', 'postgres');
    const target = await realpath(pg).catch(() => undefined);
    if (target && target !== pg) await rm(target, { recursive: true, force: true });
    await rm(home, { recursive: true, force: true });
  }
}

const dev = await measure('dev');
const cluster = await measure('cluster');

const rows = dev.scenarios.map((d, i) => ({ d, c: cluster.scenarios[i]! }));
console.log(`\nOrchestration overhead, dev server vs cluster · ${opts.n} pipelines per kind\n`);
console.log(
  tableOf(rows, [
    ['scenario', (r) => r.d.scenario],
    ['dev gap p50/p99 ms', (r) => `${fmt(r.d.gapMs.p50)} / ${fmt(r.d.gapMs.p99)}`],
    ['dev ratio to bare', (r) => fmt(r.d.gapP50Ratio, 2)],
    ['cluster gap p50/p99 ms', (r) => `${fmt(r.c.gapMs.p50)} / ${fmt(r.c.gapMs.p99)}`],
    ['cluster ratio to bare', (r) => fmt(r.c.gapP50Ratio, 2)],
    ['bare gap p50 ms dev / cluster', (r) => `${fmt(r.d.baselineGapMs.p50)} / ${fmt(r.c.baselineGapMs.p50)}`],
    ['cluster/dev gap p50', (r) => fmt(r.c.gapMs.p50 / r.d.gapMs.p50, 2)],
    ['e2e p50 ms dev / cluster', (r) => `${fmt(r.d.e2eMs.p50)} / ${fmt(r.c.e2eMs.p50)}`],
    [
      'pipelines/s dev / cluster',
      (r) => `${fmt(r.d.ferryPipelinesPerSecond, 2)} / ${fmt(r.c.ferryPipelinesPerSecond, 2)}`,
    ],
  ]),
);
console.log(
  `\nStartWorkflowExecution p50: dev ${fmt(dev.server.startWorkflowP50Ms)} ms, cluster ${fmt(cluster.server.startWorkflowP50Ms)} ms.`,
);
printResult({ bench: 'orchestration-modes', n: opts.n, concurrency: opts.concurrency, dev, cluster });
