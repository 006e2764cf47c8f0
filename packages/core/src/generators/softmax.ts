import * as tf from '@tensorflow/tfjs-core';
import { reduceExpandGenerator } from './reduce_expand.js';
import type { KernelGeneratorFactory } from './types.js';

/**
 * `softmax`: reduce-expand's logits normalised over the K×K taps of each position and group, so every kernel
 * is a convex combination of its neighbourhood (local self-attention):
 *
 * `kernel[b,i,j,t,g] = exp(z[b,i,j,t,g]) / Σ_τ exp(z[b,i,j,τ,g])`, z = reduce-expand(x).
 *
 * Same weights as `reduce-expand`. Takes no config.
 */
export const softmaxGenerator: KernelGeneratorFactory = (context) => {
  const logits = reduceExpandGenerator(context);
  return {
    generate: (x, training) => {
      const z = logits.generate(x, training);
      // exp(z − logΣexp z) is the stable form of the softmax along the tap axis (tf.softmax only takes the last).
      return tf.exp(tf.sub<tf.Tensor5D>(z, tf.logSumExp(z, 3, true)));
    },
  };
};
