import * as tf from '@tensorflow/tfjs-core';
import { expectConfigKeys, kernelInit, reduceExpandMlp, toKernel } from './blocks.js';
import type { KernelGeneratorFactory } from './types.js';

/**
 * `global`: one kernel per image, from its globally average-pooled descriptor through reduce-expand's MLP,
 * shared by every position (dynamic convolution, Chen et al. 2020, in involution form):
 *
 * `kernel[b,i,j,t,g] = (W₂·ReLU(BN(W₁·m[b] + b₁)) + b₂)[t·G + g]`, `m[b] = mean_{y,x} x[b,y,x,:]`,
 *
 * broadcast to `[B, ceil(H/s), ceil(W/s), K², G]`. The BN statistics are over the batch of descriptors.
 * Same weights and config (`init`) as `reduce-expand`.
 */
export const globalGenerator: KernelGeneratorFactory = (context) => {
  expectConfigKeys(context, ['init']);
  const mlp = reduceExpandMlp(context, kernelInit(context));
  return {
    generate: (x, training) => {
      const [, height, width] = x.shape;
      const logits = mlp(tf.mean(x, [1, 2], true) as tf.Tensor4D, training);
      // Tiled while still rank 4: tfjs has no rank-5 Tile (or BroadcastTo) gradient.
      const grid = [1, Math.ceil(height / context.stride), Math.ceil(width / context.stride), 1];
      return toKernel(tf.tile(logits, grid), context);
    },
  };
};
