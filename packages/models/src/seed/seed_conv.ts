import * as tf from '@tensorflow/tfjs';
import type { ClassifierOptions } from './options.js';

/**
 * The Keras seed's CIFAR-10 conv baseline, layer for layer: three 3×3 'same' convs (32, 64, 64) with ReLU,
 * max-pools after the first two, Dense 64 + ReLU, Dense 10 logits. 319,178 parameters.
 */
export function seedConvModel(options: ClassifierOptions = {}): tf.Sequential {
  // Callers holding InvolutionClassifierOptions (createModel, JavaScript) can pass one; ignoring it would
  // silently train a conv model where an involution variant was asked for.
  if ('generator' in options && options.generator !== undefined) {
    throw new Error(
      `seedConvModel: the conv baseline has no involution layers, so it takes no generator (got ${JSON.stringify(options.generator)}); use seed-inv or rednet`,
    );
  }
  const { inputShape = [32, 32, 3], numClasses = 10, seed = 0 } = options;
  // Seeded initialisers make a run reproducible from its seed (and resumable to the same result).
  const init = (i: number) => ({
    kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 1000 + i }),
  });
  return tf.sequential({
    name: 'seed_conv',
    layers: [
      tf.layers.conv2d({
        inputShape,
        filters: 32,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        ...init(1),
      }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu', ...init(2) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu', ...init(3) }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 64, activation: 'relu', ...init(4) }),
      tf.layers.dense({ units: numClasses, ...init(5) }),
    ],
  });
}
