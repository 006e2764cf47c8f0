import * as tf from '@tensorflow/tfjs-core';
import {
  Involution2D,
  Involution2DBackpropInput,
  Involution2DBackpropKernel,
  type Involution2DAttrs,
} from './kernel_names.js';

/** d/dx is a gather over the taps that read each input pixel; d/dkernel a per-group channel reduction. */
export const involution2dGradConfig: tf.GradConfig = {
  kernelName: Involution2D,
  inputsToSave: ['x', 'kernel'],
  gradFunc: (dy, saved, attrs) => {
    const [x, kernel] = saved as [tf.Tensor4D, tf.Tensor5D];
    const forwardAttrs = attrs as unknown as Involution2DAttrs;
    const $dy = dy as tf.Tensor4D;
    return {
      x: () =>
        tf.engine().runKernel(
          Involution2DBackpropInput,
          { dy: $dy, kernel },
          {
            ...forwardAttrs,
            inputShape: x.shape,
          },
        ) as tf.Tensor,
      kernel: () =>
        tf.engine().runKernel(Involution2DBackpropKernel, { x, dy: $dy }, { ...forwardAttrs }) as tf.Tensor,
    };
  },
};
