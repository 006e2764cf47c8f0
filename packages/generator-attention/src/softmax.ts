import * as tf from '@tensorflow/tfjs-core';
import {
  expectConfigKeys,
  reduceExpandMlp,
  strideAvgPool,
  toKernel,
  type KernelGeneratorFactory,
} from '@inv/core';

/**
 * `softmax`: reduce-expand's logits normalised over the K×K taps of each position and group, so every kernel
 * is a convex combination of its neighbourhood (local self-attention):
 *
 * `kernel[b,i,j,t,g] = exp(z[b,i,j,t,g]) / Σ_τ exp(z[b,i,j,τ,g])`, z = reduce-expand(x).
 *
 * Same weights as `reduce-expand` (`reduce/*`, `bn/*`, `expand/*`). Takes no config.
 */
export const softmaxGenerator: KernelGeneratorFactory = (context) => {
  expectConfigKeys(context, []);
  const mlp = reduceExpandMlp(context);
  return {
    generate: (x, training) => {
      const z = toKernel(mlp(strideAvgPool(x, context.stride), training), context);
      // exp(z − logΣexp z) is the stable form of the softmax along the tap axis (tf.softmax only takes the last).
      return tf.exp(tf.sub<tf.Tensor5D>(z, tf.logSumExp(z, 3, true)));
    },
  };
};
