import * as tf from '@tensorflow/tfjs-core';
import { InvReluGrad } from '../kernel_names.js';

/**
 * Gradient of `Relu` as one {@link InvReluGrad} kernel where the backend has it, instead of the stock
 * `mul(dy, cast(step(x)))`: three full-size passes and two temporaries per ReLU (Step, Cast, Multiply: ≈ 8% of
 * a seed-conv training step on wasm). Elsewhere, or for other dtypes, the stock formula.
 */
export const reluGradConfig: tf.GradConfig = {
  kernelName: tf.Relu,
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => {
    const [x] = saved as [tf.Tensor];
    const $dy = dy as tf.Tensor;
    const fused =
      $dy.dtype === 'float32' && x.dtype === 'float32' && tf.getKernel(InvReluGrad, tf.getBackend());
    return {
      x: () =>
        fused
          ? (tf.engine().runKernel(InvReluGrad, { dy: $dy, x }) as tf.Tensor)
          : tf.mul($dy, tf.cast(tf.step(x), 'float32')),
    };
  },
};

/**
 * Gradient of {@link InvReluGrad} itself (second derivatives through a ReLU, as the stock formula has them):
 * `dx = dy·step(x)` is linear in dy, and step's own gradient is 0.
 */
export const invReluGradGradConfig: tf.GradConfig = {
  kernelName: InvReluGrad,
  inputsToSave: ['x'],
  gradFunc: (ddx, saved) => {
    const [x] = saved as [tf.Tensor];
    return {
      dy: () => tf.engine().runKernel(InvReluGrad, { dy: ddx as tf.Tensor, x }) as tf.Tensor,
      x: () => tf.zerosLike(x),
    };
  },
};
