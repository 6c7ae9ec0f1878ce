// Loads TensorFlow.js once per process and picks the fastest backend that works here:
// tfjs-node (native libtensorflow) when installed, else WebAssembly, else pure-JS cpu.
import { FailureType, firstLine, typedError } from '../errors.js';
import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';
import type * as TfCore from '@tensorflow/tfjs-core';
import type * as TfLayers from '@tensorflow/tfjs-layers';

/**
 * tfjs-core and tfjs-layers as one namespace sharing one engine. Ops are functional only
 * (`tf.add(a, b)`): the Node bundle of tfjs-core does not register chained ops like `a.add(b)`.
 */
export type Tf = typeof TfCore & typeof TfLayers;

/** Backends Ferry knows how to load, fastest first when all are present. */
export const BackendName = { Tensorflow: 'tensorflow', Wasm: 'wasm', Cpu: 'cpu' } as const;
export type BackendName = (typeof BackendName)[keyof typeof BackendName];
const backendNames: readonly string[] = Object.values(BackendName);

/** The loaded namespace, the backend now active, and why that one was chosen. */
export interface LoadedTensorflow {
  tf: Tf;
  backend: BackendName;
  reason: string;
}

/** Thrown when a backend name is unknown or the requested backend cannot start here. */
export class TfBackendError extends typedError(FailureType.Internal) {
  constructor(
    readonly backend: string,
    message: string,
  ) {
    super(message);
  }
}

// Automatic order after tfjs-node, measured with trainEpochs on a 20 000 × 15 binary MLP
// ([32, 16] relu, batch 128, Adam, 2 000 validation rows), Node 20, 2-core x86-64 VM,
// median epoch after one warm-up, two interleaved runs each:
//   wasm (SIMD, 1 thread)  253 / 285 ms per epoch
//   cpu  (pure JS)         570 / 578 ms per epoch
// wasm wins by about 2×, so it goes first.
const fallbackOrder = [BackendName.Wasm, BackendName.Cpu] as const;

let current: Promise<LoadedTensorflow> | undefined;
let jsNamespace: Promise<Tf> | undefined;

/**
 * The process-wide TensorFlow.js namespace. The first call chooses a backend (tfjs-node → wasm →
 * cpu) and later calls return the same result; pass `backend` to switch explicitly instead.
 */
export function loadTensorflow(options: { backend?: string } = {}): Promise<LoadedTensorflow> {
  if (options.backend !== undefined) return forceBackend(options.backend);
  current ??= autoSelect().catch((err: unknown) => {
    current = undefined;
    throw err;
  });
  return current;
}

/**
 * Makes `name` the active backend for the whole process (the tfjs engine is global), for
 * benchmarks and tests that need one backend's numbers. Later `loadTensorflow()` calls return it.
 */
export async function forceBackend(name: string): Promise<LoadedTensorflow> {
  if (!backendNames.includes(name))
    throw new TfBackendError(
      name,
      `unknown TensorFlow.js backend "${name}"; expected one of: ${backendNames.join(', ')}`,
    );
  const backend = name as BackendName;
  const attempt = backend === BackendName.Tensorflow ? await tryTfjsNode() : await tryJsBackend(backend);
  if (!attempt.ok)
    throw new TfBackendError(backend, `TensorFlow.js backend "${backend}" is unavailable: ${attempt.error}`);
  const loaded: LoadedTensorflow = { tf: attempt.tf, backend, reason: 'requested explicitly' };
  current = Promise.resolve(loaded);
  return loaded;
}

async function autoSelect(): Promise<LoadedTensorflow> {
  const native = await tryTfjsNode();
  if (native.ok) return { tf: native.tf, backend: BackendName.Tensorflow, reason: 'tfjs-node is installed' };
  const skipped = [`tfjs-node not installed: ${native.error}`];
  for (const backend of fallbackOrder) {
    const attempt = await tryJsBackend(backend);
    if (attempt.ok) return { tf: attempt.tf, backend, reason: skipped.join('; ') };
    skipped.push(`${backend} failed: ${attempt.error}`);
  }
  throw new TfBackendError('cpu', `no TensorFlow.js backend could start: ${skipped.join('; ')}`);
}

type Attempt = { ok: true; tf: Tf } | { ok: false; error: string };

async function tryTfjsNode(): Promise<Attempt> {
  // A variable specifier keeps tsc from requiring the optional package's types.
  const specifier = '@tensorflow/tfjs-node';
  try {
    const tf = (await import(specifier)) as Tf;
    if (!(await tf.setBackend(BackendName.Tensorflow)))
      return { ok: false, error: 'setBackend("tensorflow") returned false' };
    return smokeTest(tf);
  } catch (err) {
    return { ok: false, error: firstLine(err) };
  }
}

async function tryJsBackend(backend: 'wasm' | 'cpu'): Promise<Attempt> {
  try {
    const tf = await loadJsNamespace();
    if (backend === BackendName.Wasm) {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      // In Node the wasm loader cannot infer where its .wasm files live; point it at the package's dist folder.
      const entry = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
      wasm.setWasmPaths(dirname(entry) + sep);
    } else {
      await import('@tensorflow/tfjs-backend-cpu');
    }
    if (!(await tf.setBackend(backend)))
      return { ok: false, error: `setBackend("${backend}") returned false` };
    if (backend === BackendName.Cpu) {
      // The cpu backend prints a banner urging tfjs-node on first use; `reason` already records that.
      const engineBackend = tf.backend() as unknown as { firstUse?: boolean };
      engineBackend.firstUse = false;
    }
    return smokeTest(tf);
  } catch (err) {
    return { ok: false, error: firstLine(err) };
  }
}

function loadJsNamespace(): Promise<Tf> {
  // Both packages resolve to the same CommonJS tfjs-core, so layers and ops share one engine.
  jsNamespace ??= Promise.all([import('@tensorflow/tfjs-core'), import('@tensorflow/tfjs-layers')]).then(
    ([core, layers]) => ({ ...core.default, ...layers.default }) as Tf,
  );
  return jsNamespace;
}

function smokeTest(tf: Tf): Attempt {
  // setBackend can report success while kernels are missing; one real op proves the backend computes.
  const value = tf.tidy(() => tf.add(tf.tensor1d([1, 2]), tf.scalar(3)).dataSync());
  if (value[0] !== 4 || value[1] !== 5)
    return { ok: false, error: `smoke test computed [${Array.from(value).join(', ')}] instead of [4, 5]` };
  return { ok: true, tf };
}
