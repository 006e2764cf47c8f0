import * as tf from '@tensorflow/tfjs';
import type { TensorData } from '../site/tensor_data.js';

export interface Prediction {
  readonly index: number;
  readonly label: string;
  readonly probability: number;
}

/** The `k` most probable classes, best first. */
export function topK(
  probabilities: ArrayLike<number>,
  classNames: readonly string[],
  k: number,
): Prediction[] {
  return Array.from(probabilities, (probability, index) => ({
    index,
    label: classNames[index] ?? `class ${index}`,
    probability,
  }))
    .sort((a, b) => b.probability - a.probability)
    .slice(0, k);
}

/** Class probabilities for one `[1, 32, 32, 3]` image in [0, 1]: the seed models output logits. */
export async function classProbabilities(model: tf.LayersModel, image: tf.Tensor4D): Promise<Float32Array> {
  const probabilities = tf.tidy(() => tf.softmax(model.predict(image) as tf.Tensor2D));
  try {
    return (await probabilities.data()) as Float32Array;
  } finally {
    probabilities.dispose();
  }
}

/** What the classifier publishes after each image: its exact input and the model's answer. */
export interface ClassifierSnapshot {
  /** Counts classified images, so a reader can wait for the next one. */
  readonly run: number;
  /** The image fed to the model, `[1, 32, 32, 3]` in [0, 1]. */
  readonly input: TensorData;
  readonly probabilities: number[];
  readonly top: Prediction[];
}
