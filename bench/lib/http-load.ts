// Shared by the HTTP benchmarks: the closed-loop load generator that runs in a forked `--client`
// process, the plumbing that hands it one phase at a time, and the summaries of what it measured.
import { fork, type ChildProcess } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Profiler } from 'node:inspector';
import { Session } from 'node:inspector/promises';
import { fileURLToPath } from 'node:url';
import { fmt, summarize, table } from './report.js';

export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}

/** One phase of load, sent from the server process to the client process. */
export interface LoadJob {
  port: number;
  headers: Record<string, string>;
  /** Sent in turn, round-robin across all lanes. */
  requests: LoadRequest[];
  concurrency: number;
  /** Requests started before this are not measured (JIT, sockets, caches). */
  warmupMs: number;
  durationMs: number;
  /** A top-level string field to collect from every 2xx answer, warm-up and tail included. */
  collect?: string;
}

/** What the client measured: requests that started after the warm-up and finished inside the window. */
export interface LoadResult {
  latenciesMs: number[];
  ok: number;
  errors: number;
  statuses: Record<string, number>;
  firstError: string | null;
  windowMs: number;
  /** Every request answered, warm-up and tail included: what the CPU figures are divided by. */
  total: number;
  clientCpuMs: number;
  /** The `collect` field of every 2xx answer; empty when the job named none. */
  collected: string[];
}

// ---------------------------------------------------------------------------------------------
// The client side. Closed loops: each of `concurrency` lanes sends its next request as soon as the
// previous one answers, over keep-alive sockets (node:http; undici is not resolvable from this
// repo, only its types are installed).

function send(agent: Agent, job: LoadJob, r: LoadRequest): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers =
      r.body === undefined
        ? job.headers
        : {
            ...job.headers,
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(r.body)),
          };
    const req = httpRequest(
      { host: '127.0.0.1', port: job.port, method: r.method, path: r.path, agent, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(r.body);
  });
}

async function runLoad(job: LoadJob): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });
  const cpuBefore = process.cpuUsage();
  const t0 = performance.now() + job.warmupMs;
  const tEnd = t0 + job.durationMs;
  const latenciesMs: number[] = [];
  const statuses: Record<string, number> = {};
  const collected: string[] = [];
  let ok = 0;
  let errors = 0;
  let firstError: string | null = null;
  let next = 0;
  let total = 0;
  await Promise.all(
    Array.from({ length: job.concurrency }, async () => {
      while (performance.now() < tEnd) {
        const r = job.requests[next++ % job.requests.length]!;
        const began = performance.now();
        let status = 0;
        let body = '';
        let failure: string | null = null;
        try {
          ({ status, body } = await send(agent, job, r));
        } catch (err) {
          failure = (err as Error).message;
        }
        const ended = performance.now();
        total++;
        const success = !failure && status >= 200 && status < 300;
        if (success && job.collect) {
          const value = (JSON.parse(body) as Record<string, unknown>)[job.collect];
          if (typeof value === 'string') collected.push(value);
        }
        // A refused connection fails at once: back off so a dead server is not a busy loop.
        if (failure) await new Promise((resolve) => setTimeout(resolve, 20));
        if (began < t0 || ended > tEnd) continue;
        const key = failure ? 'transport-error' : String(status);
        statuses[key] = (statuses[key] ?? 0) + 1;
        if (success) {
          ok++;
          latenciesMs.push(ended - began);
        } else {
          errors++;
          firstError ??= failure ?? `${status} ${body.slice(0, 300)}`;
        }
      }
    }),
  );
  agent.destroy();
  const cpu = process.cpuUsage(cpuBefore);
  return {
    latenciesMs,
    ok,
    errors,
    statuses,
    firstError,
    windowMs: job.durationMs,
    total,
    clientCpuMs: (cpu.user + cpu.system) / 1000,
    collected,
  };
}

/**
 * A bench's entry point: forked with `--client` (see forkLoadClient) it runs each job the parent
 * sends and answers with its result until disconnected; otherwise it runs `server`. Call it last in
 * the script, so every module-level declaration there is initialised before either role starts.
 */
export async function runRole(server: () => Promise<void>): Promise<void> {
  if (!process.argv.includes('--client')) return server();
  process.on('message', (job: LoadJob) => {
    void runLoad(job).then((result) => process.send!(result));
  });
  process.on('disconnect', () => process.exit(0));
}

// ---------------------------------------------------------------------------------------------
// The server side.

/**
 * Forks `scriptUrl` (the calling bench's `import.meta.url`) with `--client` as the load generator,
 * so the server under test has its event loop to itself.
 */
export function forkLoadClient(scriptUrl: string) {
  const child: ChildProcess = fork(fileURLToPath(scriptUrl), ['--client'], {
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return {
    /**
     * Sends one phase, waits for its result and prints its progress line; `name` is also for the
     * error if the client dies. The server's CPU and event-loop use are measured meanwhile.
     */
    async run(name: string, job: LoadJob, rateDecimals: number): Promise<Phase> {
      const died = (code: number | null) =>
        new Error(`the load client exited (code ${code}) during "${name}"`);
      // 'exit' has already fired if the client died between phases; waiting for it would hang.
      if (child.exitCode !== null || child.signalCode !== null) throw died(child.exitCode);
      const reply = new Promise<LoadResult>((resolve, reject) => {
        const onExit = (code: number | null) => reject(died(code));
        child.once('exit', onExit);
        child.once('message', (m: LoadResult) => {
          child.off('exit', onExit);
          resolve(m);
        });
      });
      const cpuBefore = process.cpuUsage();
      const eluBefore = performance.eventLoopUtilization();
      child.send(job);
      const result = await reply;
      const cpu = process.cpuUsage(cpuBefore);
      const loopBusy = performance.eventLoopUtilization(eluBefore).utilization;
      console.log(phaseLine(name, result, rateDecimals));
      return {
        name,
        concurrency: job.concurrency,
        result,
        serverCpuMs: (cpu.user + cpu.system) / 1000,
        loopBusy,
      };
    },
    /** Lets the client exit (it does on disconnect); safe to call more than once. */
    disconnect(): void {
      if (child.connected) child.disconnect();
    },
  };
}

/** Measured requests per second of a phase's window. */
export function perSecond(result: LoadResult): number {
  return result.ok / (result.windowMs / 1000);
}

/** One phase as the server saw it: the client's result plus this process's CPU and event-loop use. */
export interface Phase {
  name: string;
  concurrency: number;
  result: LoadResult;
  serverCpuMs: number;
  /** Share of the phase the server's event loop was busy (1 = saturated main thread). */
  loopBusy: number;
}

/** The figures every phase reports, in the BENCH_RESULT line and (formatted) in the phase table. */
export function phaseFigures(p: Phase) {
  const s = summarize(p.result.latenciesMs);
  const perRequest = (ms: number) => ms / Math.max(1, p.result.total);
  return {
    requests: p.result.ok,
    errors: p.result.errors,
    requestsPerSecond: perSecond(p.result),
    p50Ms: s.p50,
    p99Ms: s.p99,
    maxMs: s.max,
    serverCpuMsPerRequest: perRequest(p.serverCpuMs),
    clientCpuMsPerRequest: perRequest(p.result.clientCpuMs),
  };
}

/** Starts a Fastify app on an ephemeral loopback port and returns the port. */
export async function listenOnFreePort(app: {
  listen(o: { host: string; port: number }): Promise<unknown>;
  server: { address(): unknown };
}): Promise<number> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return (app.server.address() as AddressInfo).port;
}

/** The progress line each phase prints as it ends, so a long run shows how it is going. */
function phaseLine(name: string, result: LoadResult, rateDecimals: number): string {
  const s = summarize(result.latenciesMs);
  return `  ${name}: ${fmt(perSecond(result), rateDecimals)} req/s, p50 ${fmt(s.p50, 2)} ms, p99 ${fmt(s.p99, 2)} ms, errors ${result.errors}${result.firstError ? ` (first: ${result.firstError})` : ''}`;
}

/**
 * Runs `fn` under the inspector's sampling profiler (every 0.5 ms) and returns its value with where
 * this process's main thread spent its CPU meanwhile; worker threads are not in the profile.
 */
export async function profileWhile<T>(
  fn: () => Promise<T>,
): Promise<{ value: T; byArea: [string, number][]; byFunction: [string, number][] }> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 500 });
    await session.post('Profiler.start');
    const value = await fn();
    const { profile } = await session.post('Profiler.stop');
    return { value, ...selfTime(profile) };
  } finally {
    session.disconnect();
  }
}

/** A profile's two self-time tables, by area then by function, with a blank line between. */
export function profileTables(p: { byArea: [string, number][]; byFunction: [string, number][] }): string {
  const rows = (entries: [string, number][]) => entries.map(([k, v]) => [k, fmt(v, 1)]);
  return `${table(['where', '% self'], rows(p.byArea))}\n\n${table(['function', '% self'], rows(p.byFunction))}`;
}

/** Self time of a CPU profile's samples by where the code lives and by function, as % of all samples. */
function selfTime(profile: Profiler.Profile): {
  byArea: [string, number][];
  byFunction: [string, number][];
} {
  const total = profile.nodes.reduce((sum, n) => sum + (n.hitCount ?? 0), 0);
  const byArea = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const areaOf = (url: string, fn: string): string => {
    if (!url) return fn.startsWith('(') ? fn : '(native / builtin)';
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
    if (pkg) return pkg;
    if (url.startsWith('node:')) return 'node internals';
    const repo = /\/(api|core|bench|test|worker)\/(.+)$/.exec(url);
    return repo ? `${repo[1]}/${repo[2]}` : url;
  };
  for (const n of profile.nodes) {
    const hits = n.hitCount ?? 0;
    if (hits === 0) continue;
    const { functionName, url, lineNumber } = n.callFrame;
    const area = areaOf(url, functionName);
    const key = `${functionName || '(anonymous)'} ${area}${url ? `:${lineNumber + 1}` : ''}`;
    byArea.set(area, (byArea.get(area) ?? 0) + hits);
    byFunction.set(key, (byFunction.get(key) ?? 0) + hits);
  }
  const top = (m: Map<string, number>, k: number): [string, number][] =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([name, hits]) => [name, (100 * hits) / total]);
  return { byArea: top(byArea, 12), byFunction: top(byFunction, 15) };
}
