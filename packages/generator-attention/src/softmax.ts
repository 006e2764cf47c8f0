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
      // One kernel each way along the tap axis (tf.softmax takes only the last), where exp(z − logΣexp z) in
      // stock ops runs a transpose and about ten kernels each way: 4.9× faster forward + backward on wasm at
      // [128,32,32,9,3] on one thread (packages/bench/scripts/axis-softmax.mjs).
      return axisSoftmax(
        toKernel(mlp(strideAvgPool(x, context.stride), training), context) as tf.Tensor5D,
        3,
      );
    },
  };
};
