// Builds and compiles the multilayer perceptron every Ferry pipeline trains, from the spec's `training` block.
import { FailureType, typedError } from '../errors.js';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { Tf } from './backend.js';

/** Shape and hyper-parameters of the MLP; `numClasses` is ignored for regression. */
export interface MlpOptions {
  inputDim: number;
  task: 'binary' | 'multiclass' | 'regression';
  numClasses: number;
  hiddenLayers: number[];
  activation: 'relu' | 'tanh' | 'sigmoid' | 'elu';
  learningRate: number;
  seed: number;
}

/** Thrown when model options or training arrays have impossible shapes or sizes. */
export class ModelInputError extends typedError(FailureType.InvalidInput) {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A compiled Sequential MLP. Classification (binary = 2 classes) ends in a softmax trained with
 * sparse categorical crossentropy on class indices and reports accuracy; regression ends in one
 * linear unit trained on mean squared error. Kernels use glorotUniform seeded with `seed + layer
 * index`, so the same options give the same initial weights.
 */
export function buildMlp(tf: Tf, options: MlpOptions): LayersModel {
  const { inputDim, task, numClasses, hiddenLayers, activation, learningRate, seed } = options;
  positiveInteger('inputDim', inputDim);
  hiddenLayers.forEach((units, i) => positiveInteger(`hiddenLayers[${i}]`, units));
  if (!Number.isInteger(seed)) throw new ModelInputError('seed', `seed must be an integer, got ${seed}`);
  if (!(learningRate > 0))
    throw new ModelInputError('learningRate', `learningRate must be > 0, got ${learningRate}`);
  const classification = task !== 'regression';
  if (task === 'binary' && numClasses !== 2)
    throw new ModelInputError('numClasses', `a binary task has 2 classes, got numClasses ${numClasses}`);
  if (task === 'multiclass' && !(Number.isInteger(numClasses) && numClasses >= 2))
    throw new ModelInputError(
      'numClasses',
      `a multiclass task needs an integer numClasses ≥ 2, got ${numClasses}`,
    );

  const model = tf.sequential();
  hiddenLayers.forEach((units, i) => {
    model.add(
      tf.layers.dense({
        // Fixed names keep weight names stable across processes, which checkpoints and diffs rely on.
        name: `hidden_${i + 1}`,
        units,
        activation,
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed + i }),
        biasInitializer: 'zeros',
        ...(i === 0 ? { inputShape: [inputDim] } : {}),
      }),
    );
  });
  model.add(
    tf.layers.dense({
      name: 'output',
      units: classification ? numClasses : 1,
      activation: classification ? 'softmax' : 'linear',
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + hiddenLayers.length }),
      biasInitializer: 'zeros',
      ...(hiddenLayers.length === 0 ? { inputShape: [inputDim] } : {}),
    }),
  );
  // The sparse loss takes class indices directly, sparing a one-hot copy of the labels per batch.
  model.compile({
    optimizer: tf.train.adam(learningRate),
    loss: classification ? 'sparseCategoricalCrossentropy' : 'meanSquaredError',
    metrics: classification ? ['accuracy'] : [],
  });
  return model;
}

/** Throws ModelInputError naming `field` unless `value` is an integer ≥ 1. */
export function positiveInteger(field: string, value: number): void {
  if (!Number.isInteger(value) || value < 1)
    throw new ModelInputError(field, `${field} must be an integer ≥ 1, got ${value}`);
}
