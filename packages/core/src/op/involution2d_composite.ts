import * as tf from '@tensorflow/tfjs-core';
import { involutionGeometry } from './geometry.js';
import { floatInput } from './inputs.js';
import { resolveInvolutionAttrs, type Involution2DOptions } from './options.js';
import {
  involutionBackpropInputComposite,
  involutionBackpropKernelComposite,
  involutionForwardComposite,
} from './involution_composite.js';

/**
 * {@link involution2d} computed with stock tfjs ops only (the composite kernels), whatever the backend: the
 * baseline the fused kernels are benchmarked and cross-checked against. Same contract, same gradients.
 */
export function involution2dComposite(
  x: tf.Tensor4D,
  kernel: tf.Tensor5D,
  options: Involution2DOptions,
): tf.Tensor4D {
  const where = 'involution2dComposite';
  // A scope, as in involution2d: inputs converted from arrays are freed, also when a check fails.
  return tf.tidy(where, () => {
    const $x = floatInput(where, 'x', x);
    const $kernel = floatInput(where, 'kernel', kernel);
    const geometry = involutionGeometry(
      $x.shape,
      resolveInvolutionAttrs($x.shape, $kernel.shape, options, where),
    );
    const op = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => {
      // customGrad passes the tensors, then the save function.
      const [$x, $kernel, save] = inputs as [tf.Tensor4D, tf.Tensor5D, tf.GradSaveFunc];
      save([$x, $kernel]);
      return {
        value: involutionForwardComposite($x, $kernel, geometry),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [sx, sk] = saved as [tf.Tensor4D, tf.Tensor5D];
          const $dy = dy as tf.Tensor4D;
          return [
            involutionBackpropInputComposite($dy, sk, geometry),
            involutionBackpropKernelComposite(sx, $dy, geometry),
          ];
        },
      };
    });
    return op($x, $kernel) as tf.Tensor4D;
  });
}
