import * as tf from '@tensorflow/tfjs-core';
import {
  Involution2D,
  Involution2DBackpropInput,
  Involution2DBackpropKernel,
  type Involution2DAttrs,
} from './kernel_names.js';

/**
 * d/dx is a gather over the taps that read each input pixel; d/dkernel a per-group channel reduction.
 * `kernel` is what the forward pass read: the float32 kernel, or on webgpu its float16 words.
 */
export function involution2dGradients(
  dy: tf.Tensor4D,
  x: tf.Tensor4D,
  kernel: tf.Tensor,
  attrs: Involution2DAttrs,
): { x: () => tf.Tensor; kernel: () => tf.Tensor } {
  return {
    x: () =>
      tf
        .engine()
        .runKernel(Involution2DBackpropInput, { dy, kernel }, { ...attrs, inputShape: x.shape }) as tf.Tensor,
    kernel: () => tf.engine().runKernel(Involution2DBackpropKernel, { x, dy }, { ...attrs }) as tf.Tensor,
  };
}

export const involution2dGradConfig: tf.GradConfig = {
  kernelName: Involution2D,
  inputsToSave: ['x', 'kernel'],
  gradFunc: (dy, saved, attrs) => {
    const [x, kernel] = saved as [tf.Tensor4D, tf.Tensor5D];
    return involution2dGradients(dy as tf.Tensor4D, x, kernel, attrs as unknown as Involution2DAttrs);
  },
};
