import * as tf from '@tensorflow/tfjs-core';
import { expectConfigKeys, reduceExpandMlp, toKernel } from './blocks.js';
import type { KernelGeneratorFactory } from './types.js';

/**
 * `global`: one kernel per image, from its globally average-pooled descriptor through reduce-expand's MLP,
 * shared by every position (dynamic convolution, Chen et al. 2020, in involution form):
 *
 * `kernel[b,i,j,t,g] = (W₂·ReLU(BN(W₁·m[b] + b₁)) + b₂)[t·G + g]`, `m[b] = mean_{y,x} x[b,y,x,:]`,
 *
 * broadcast to `[B, ceil(H/s), ceil(W/s), K², G]`. The BN statistics are over the batch of descriptors.
 * Same weights as `reduce-expand`. Takes no config.
 */
export const globalGenerator: KernelGeneratorFactory = (context) => {
  expectConfigKeys(context, []);
  const mlp = reduceExpandMlp(context);
  return {
    generate: (x, training) =>
      tf.tidy(() => {
        const [batch, height, width] = x.shape;
        const descriptor = tf.mean(x, [1, 2], true) as tf.Tensor4D;
        const kernel = toKernel(mlp(descriptor, training), context);
        const taps = context.kernelSize * context.kernelSize;
        const { stride } = context;
        return tf.broadcastTo(kernel, [batch, Math.ceil(height / stride), Math.ceil(width / stride), taps, context.groups]);
      }),
  };
};
