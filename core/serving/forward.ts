// The forward pass serving runs per request. Ferry's models are stacks of Dense layers; for those a
// plain-JS pass over the weights copied out once is ~100× faster than `model.predict` on small
// batches (measured on wasm, 2-core VM: 0.25 ms vs a few µs for one churn row), because tfjs spends
// its time on tensor bookkeeping, not arithmetic. Large batches of large models, and any layer this
// file does not know, go through tfjs (`predict`, inside `tf.tidy`) so results never depend on it.
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { Tf } from '../model/backend.js';
import { predict } from '../model/trainer.js';

/** Scores `n` rows of a row-major `n × inputDim` matrix into `n × outputs` values. */
export interface Forward {
  readonly inputDim: number;
  readonly outputs: number;
  /** `js` when every layer is a Dense with a known activation, else `tfjs`. */
  readonly kind: 'js' | 'tfjs';
  run(x: Float32Array, n: number): Float32Array;
}

type Activation = 'linear' | 'relu' | 'tanh' | 'sigmoid' | 'elu' | 'softmax';
const activations: readonly string[] = ['linear', 'relu', 'tanh', 'sigmoid', 'elu', 'softmax'];

interface DenseWeights {
  inputs: number;
  units: number;
  /** Transposed kernel (`units × inputs`), so each unit reads its weights contiguously. */
  kernelT: Float64Array;
  bias: Float64Array;
  activation: Activation;
}

// Above this many multiply-adds per call, tfjs's vectorised kernels win over the JS loop.
const jsWorkLimit = 4_000_000;

/** Compiles the model's forward pass; the weights are copied, so the model may be disposed independently. */
export function compileForward(tf: Tf, model: LayersModel): Forward {
  const inputDim = model.inputs[0]?.shape[1];
  const outputs = model.outputs[0]?.shape[1];
  if (typeof inputDim !== 'number' || typeof outputs !== 'number')
    throw new Error('the model must map one 2-D input to one 2-D output');
  const stack = denseStack(model);
  const dense = stack?.[0]?.inputs === inputDim && stack.at(-1)?.units === outputs ? stack : undefined;
  const viaTfjs = (x: Float32Array, n: number) => predict(tf, model, x, n);
  if (!dense) return { inputDim, outputs, kind: 'tfjs', run: viaTfjs };
  const macsPerRow = dense.reduce((s, l) => s + l.inputs * l.units, 0);
  const widest = Math.max(...dense.map((l) => l.units));
  // Scratch rows reused across calls: serving runs one call at a time on the event loop.
  // Both hold a whole input row: they swap roles after every layer.
  let a = new Float64Array(Math.max(inputDim, widest));
  let b = new Float64Array(a.length);
  return {
    inputDim,
    outputs,
    kind: 'js',
    run(x, n) {
      if (x.length !== n * inputDim) throw new Error(`x has ${x.length} values; expected ${n} × ${inputDim}`);
      if (n * macsPerRow > jsWorkLimit) return viaTfjs(x, n);
      const out = new Float32Array(n * outputs);
      for (let r = 0; r < n; r++) {
        for (let i = 0; i < inputDim; i++) a[i] = x[r * inputDim + i]!;
        for (const layer of dense) {
          denseRow(layer, a, b);
          [a, b] = [b, a];
        }
        for (let k = 0; k < outputs; k++) out[r * outputs + k] = a[k]!;
      }
      return out;
    },
  };
}

function denseRow(layer: DenseWeights, input: Float64Array, output: Float64Array): void {
  const { inputs, units, kernelT, bias, activation } = layer;
  for (let u = 0; u < units; u++) {
    let s = bias[u]!;
    const base = u * inputs;
    for (let i = 0; i < inputs; i++) s += input[i]! * kernelT[base + i]!;
    output[u] = s;
  }
  switch (activation) {
    case 'linear':
      return;
    case 'relu':
      for (let u = 0; u < units; u++) if (output[u]! < 0) output[u] = 0;
      return;
    case 'tanh':
      for (let u = 0; u < units; u++) output[u] = Math.tanh(output[u]!);
      return;
    case 'sigmoid':
      for (let u = 0; u < units; u++) output[u] = 1 / (1 + Math.exp(-output[u]!));
      return;
    case 'elu':
      for (let u = 0; u < units; u++) if (output[u]! < 0) output[u] = Math.expm1(output[u]!);
      return;
    case 'softmax': {
      let max = -Infinity;
      for (let u = 0; u < units; u++) if (output[u]! > max) max = output[u]!;
      let sum = 0;
      for (let u = 0; u < units; u++) sum += output[u] = Math.exp(output[u]! - max);
      for (let u = 0; u < units; u++) output[u] = output[u]! / sum;
      return;
    }
  }
}

/** The model's layers as plain Dense weights, or undefined when any layer is something else. */
function denseStack(model: LayersModel): DenseWeights[] | undefined {
  const out: DenseWeights[] = [];
  for (const layer of model.layers) {
    const kind = layer.getClassName();
    if (kind === 'InputLayer') continue;
    if (kind !== 'Dense') return undefined;
    const config = layer.getConfig() as { activation?: unknown; useBias?: unknown };
    const activation = config.activation ?? 'linear';
    if (typeof activation !== 'string' || !activations.includes(activation)) return undefined;
    // getWeights returns the layer's live variables: read them, never dispose them.
    const [kernel, bias] = layer.getWeights();
    if (!kernel || kernel.shape.length !== 2) return undefined;
    const [inputs, units] = kernel.shape as [number, number];
    const k = kernel.dataSync();
    const kernelT = new Float64Array(inputs * units);
    for (let i = 0; i < inputs; i++)
      for (let u = 0; u < units; u++) kernelT[u * inputs + i] = k[i * units + u]!;
    const b =
      config.useBias === false || !bias ? new Float64Array(units) : Float64Array.from(bias.dataSync());
    if (b.length !== units) return undefined;
    const previous = out.at(-1);
    if (previous && previous.units !== inputs) return undefined;
    out.push({ inputs, units, kernelT, bias: b, activation: activation as Activation });
  }
  return out.length > 0 ? out : undefined;
}
