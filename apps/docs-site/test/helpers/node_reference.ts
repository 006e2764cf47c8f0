// The demos' computations redone in Node with @inv/core on the cpu backend, from what the pages published.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@inv/core';
// The playground lists every registered generator, softmax included.
import '@inv/generator-attention';
import { classProbabilities } from '../../src/classifier/classify.js';
import { applyPlayground, playgroundLayer } from '../../src/playground/layer.js';
import type { PlaygroundSnapshot } from '../../src/playground/snapshot.js';
import type { TensorData } from '../../src/site/tensor_data.js';

export async function useCpu(): Promise<void> {
  await initBackend('cpu');
}

function toTensor({ shape, values }: TensorData): tf.Tensor {
  return tf.tensor(values, shape, 'float32');
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

/** The playground's layer rebuilt in Node with the page's weights, applied to the page's input. */
export function playgroundInNode(snapshot: PlaygroundSnapshot): { shape: number[]; values: Float32Array } {
  return tf.tidy(() => {
    const layer = playgroundLayer(snapshot.settings);
    const x = toTensor(snapshot.input) as tf.Tensor4D;
    applyPlayground(layer, x); // builds the weights
    const byName = new Map(snapshot.weights.map((w) => [w.name, w]));
    layer.setWeights(
      layer.weights.map((w) => {
        const published = byName.get(w.originalName);
        if (!published) throw new Error(`the page published no weight '${w.originalName}'`);
        return toTensor(published);
      }),
    );
    const [output] = applyPlayground(layer, x);
    const result = { shape: [...output.shape], values: output.dataSync() as Float32Array };
    layer.dispose();
    return result;
  });
}

/** The site's model files (`model.json` + `weights.bin` as built into `dist/`), loaded from their bytes. */
export async function loadSiteModel(modelDir: string): Promise<tf.LayersModel> {
  const json = JSON.parse(readFileSync(join(modelDir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
  const weights = readFileSync(join(modelDir, 'weights.bin'));
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    }),
  );
}

/** Class probabilities for one published input, computed as the page does. */
export async function probabilitiesInNode(model: tf.LayersModel, input: TensorData): Promise<Float32Array> {
  const image = toTensor(input) as tf.Tensor4D;
  try {
    return await classProbabilities(model, image);
  } finally {
    image.dispose();
  }
}
