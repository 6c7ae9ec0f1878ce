// A trained model as files in object storage: tfjs topology + weights, and the preprocessing and
// label mapping it was trained with. Training checkpoints, registered versions and serving all use it.
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { modelBundleKeys } from '../storage/keys.js';
import type { ObjectStore } from '../storage/object-store.js';
import type { Tf } from './backend.js';
import type { LabelEncoderState, PreprocessorState } from './preprocessing.js';
import { deserializeModel, serializeModel, type ModelArtifacts } from './trainer.js';

/** What the model needs besides its weights to turn raw rows into predictions. */
export interface PreprocessingBundle {
  preprocessor: PreprocessorState;
  labels: LabelEncoderState;
  label: string;
}

/** Writes the model and its preprocessing under `prefix` (which ends with "/"). */
export async function saveModelBundle(
  store: ObjectStore,
  prefix: string,
  tf: Tf,
  model: LayersModel,
  preprocessing: PreprocessingBundle,
): Promise<void> {
  const artifacts = await serializeModel(tf, model);
  const keys = modelBundleKeys(prefix);
  const { weightData, ...json } = artifacts;
  await Promise.all([
    store.put(keys.weights, weightData, { contentType: 'application/octet-stream' }),
    store.putJson(keys.preprocessing, preprocessing),
  ]);
  // model.json last: a reader that finds it finds the rest too.
  await store.putJson(keys.model, json);
}

export async function loadModelBundle(
  store: ObjectStore,
  prefix: string,
  tf: Tf,
): Promise<{ model: LayersModel; preprocessing: PreprocessingBundle }> {
  const keys = modelBundleKeys(prefix);
  const [json, weights, preprocessing] = await Promise.all([
    store.getJson<Omit<ModelArtifacts, 'weightData'>>(keys.model),
    store.get(keys.weights),
    store.getJson<PreprocessingBundle>(keys.preprocessing),
  ]);
  const model = await deserializeModel(tf, { ...json, weightData: new Uint8Array(weights) });
  return { model, preprocessing };
}
