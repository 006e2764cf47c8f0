import * as tf from '@tensorflow/tfjs';
import { involution } from '@inv/core';
import type { InvolutionClassifierOptions } from './options.js';

/**
 * The Keras seed's involution classifier, layer for layer: three `Involution(channel 3, group 1, K 3,
 * stride 1, reduction 2)` each followed by ReLU, max-pools after the first two, Dense 64 + ReLU, Dense 10
 * logits. 13,080 parameters, 13,074 trainable (each layer's BN moving mean and variance are not).
 *
 * The involution layers are named `inv_1..3` and also output their generated kernels (unused by the
 * classifier), so `kernelModel` can expose them for heatmaps as the seed does.
 *
 * `generator` swaps the kernel generator of all three (the seed's is the default, 'reduce-expand'); the
 * parameter count then is that generator's.
 */
export function seedInvolutionModel(options: InvolutionClassifierOptions = {}): tf.LayersModel {
  const { inputShape = [32, 32, 3], numClasses = 10, seed = 0, generator } = options;
  const channels = inputShape[2];
  const glorot = (i: number) => ({
    kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 1000 + i }),
  });
  const input = tf.input({ shape: inputShape });
  let x: tf.SymbolicTensor = input;
  for (let i = 1; i <= 3; i++) {
    const layer = involution({
      name: `inv_${i}`,
      channels,
      groups: 1,
      kernelSize: 3,
      stride: 1,
      reductionRatio: 2,
      generator,
      // The seed maps channel c to group c mod G (irrelevant for G = 1, kept for fidelity).
      groupLayout: 'interleaved',
      returnKernel: true,
      seed: seed * 1000 + i,
    });
    const [output] = layer.apply(x) as tf.SymbolicTensor[];
    x = tf.layers.reLU().apply(output!) as tf.SymbolicTensor;
    if (i < 3) x = tf.layers.maxPooling2d({ poolSize: 2 }).apply(x) as tf.SymbolicTensor;
  }
  x = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
  x = tf.layers.dense({ units: 64, activation: 'relu', ...glorot(4) }).apply(x) as tf.SymbolicTensor;
  const logits = tf.layers.dense({ units: numClasses, ...glorot(5) }).apply(x) as tf.SymbolicTensor;
  return tf.model({ name: 'seed_involution', inputs: input, outputs: logits });
}
