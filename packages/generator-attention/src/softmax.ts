import type * as tf from '@tensorflow/tfjs-core';
import {
  axisSoftmax,
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
      // One kernel each way along the tap axis (tf.softmax takes only the last): exp(z − logΣexp z) in stock
      // ops ran a transpose and about ten kernels, and their gradients; a resinv training step took 2.5×
      // reduce-expand's (100 against 250 images/s on one thread).
      return axisSoftmax(
        toKernel(mlp(strideAvgPool(x, context.stride), training), context) as tf.Tensor5D,
        3,
      );
    },
  };
};
