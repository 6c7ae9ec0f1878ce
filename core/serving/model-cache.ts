// Loaded model versions, one per (model, version): the tfjs model, the preprocessing it was trained
// with, its input schema and classes, plus the compiled input decoder and forward pass serving uses.
// Concurrent requests for one key share one load; a failed load is forgotten so the next call retries.
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { loadTensorflow, type Tf } from '../model/backend.js';
import { loadModelBundle, type PreprocessingBundle } from '../model/bundle-store.js';
import type { ModelVersion, Registry } from '../registry/registry.js';
import type { ObjectStore } from '../storage/object-store.js';
import { compileForward, type Forward } from './forward.js';
import { createInputDecoder, type InputDecoder } from './input.js';

/** One version ready to answer. */
export interface LoadedVersion extends Readonly<Pick<ModelVersion, 'model' | 'version' | 'inputSchema'>> {
  readonly manifest: ModelVersion;
  readonly layers: LayersModel;
  readonly preprocessing: PreprocessingBundle;
  /** Class labels by output index; undefined for regression. */
  readonly classes: readonly string[] | undefined;
  readonly decoder: InputDecoder;
  readonly forward: Forward;
  readonly loadedAt: Date;
}

export interface ModelCache {
  /** The loaded version, loading it on first use (one load per key however many callers wait). */
  get(model: string, version: number): Promise<LoadedVersion>;
  /** The loaded version if it is ready, without loading. */
  peek(model: string, version: number): LoadedVersion | undefined;
  /** Forgets the version and frees its tensors (after an in-flight load finishes, if any). */
  evict(model: string, version: number): void;
  /** Keys currently loaded or loading, as `model@version`. */
  keys(): string[];
  /** Evicts everything. */
  close(): void;
}

export interface ModelCacheOptions {
  store: ObjectStore;
  registry: Registry;
  /** The tfjs namespace; default: the process-wide one from `loadTensorflow()`. */
  tf?: () => Promise<Tf>;
  maxRowsPerRequest?: number;
}

interface Entry {
  promise: Promise<LoadedVersion>;
  ready?: LoadedVersion;
}

export function createModelCache(options: ModelCacheOptions): ModelCache {
  const { store, registry } = options;
  const getTf = options.tf ?? (async () => (await loadTensorflow()).tf);
  const entries = new Map<string, Entry>();
  const key = (model: string, version: number) => `${model}@${version}`;

  async function load(model: string, version: number): Promise<LoadedVersion> {
    const tf = await getTf();
    const manifest = await registry.getVersion(model, version);
    const { model: layers, preprocessing } = await loadModelBundle(store, manifest.artifacts.modelPrefix, tf);
    try {
      const forward = compileForward(tf, layers);
      if (forward.inputDim !== preprocessing.preprocessor.inputDim)
        throw new Error(
          `version ${version} of "${model}": the model takes ${forward.inputDim} inputs but its preprocessing makes ${preprocessing.preprocessor.inputDim}`,
        );
      const schema = manifest.inputSchema;
      const needed = [
        ...preprocessing.preprocessor.numeric.map((s) => s.name),
        ...preprocessing.preprocessor.categorical.map((c) => c.name),
      ];
      const absent = needed.filter((f) => !schema.numeric.includes(f) && !schema.categorical.includes(f));
      if (absent.length > 0)
        throw new Error(
          `version ${version} of "${model}": its preprocessing needs ${absent.join(', ')}, which the input schema lacks`,
        );
      const labels = preprocessing.labels;
      return {
        model,
        version,
        manifest,
        layers,
        preprocessing,
        inputSchema: schema,
        classes: labels.task === 'regression' ? undefined : labels.classes,
        decoder: createInputDecoder(
          {
            numeric: schema.numeric,
            categorical: schema.categorical,
            ...(schema.nulls ? { nulls: schema.nulls } : {}),
          },
          {
            scales: new Map(preprocessing.preprocessor.numeric.map((s) => [s.name, s])),
            ...(options.maxRowsPerRequest === undefined ? {} : { maxRows: options.maxRowsPerRequest }),
          },
        ),
        forward,
        loadedAt: new Date(),
      };
    } catch (err) {
      layers.dispose();
      throw err;
    }
  }

  return {
    get(model, version) {
      const k = key(model, version);
      const existing = entries.get(k);
      if (existing) return existing.promise;
      const entry: Entry = {
        promise: load(model, version).then(
          (loaded) => {
            entry.ready = loaded;
            return loaded;
          },
          (err: unknown) => {
            if (entries.get(k) === entry) entries.delete(k);
            throw err;
          },
        ),
      };
      entries.set(k, entry);
      return entry.promise;
    },

    peek(model, version) {
      return entries.get(key(model, version))?.ready;
    },

    evict(model, version) {
      const k = key(model, version);
      const entry = entries.get(k);
      if (!entry) return;
      entries.delete(k);
      entry.promise.then(
        (loaded) => loaded.layers.dispose(),
        () => undefined,
      );
    },

    keys() {
      return [...entries.keys()];
    },

    close() {
      for (const k of [...entries.keys()]) {
        const at = k.lastIndexOf('@');
        this.evict(k.slice(0, at), Number(k.slice(at + 1)));
      }
    },
  };
}
