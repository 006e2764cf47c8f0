import * as tf from '@tensorflow/tfjs-core';
import { Involution2D } from './kernel_names.js';
import { resolveInvolutionAttrs, type Involution2DOptions } from './options.js';
import { ensureFusedKernels } from '../kernels/register_kernels.js';

/**
 * Involution (Li et al., CVPR 2021), NHWC:
 * `out[b,i,j,c] = Σ_{u,v} kernel[b,i,j,u*K+v,g(c)] · x[b, i*s+u*d−p, j*s+v*d−p, c]`, zero outside the image.
 *
 * @param x input `[B,H,W,C]`
 * @param kernel per-position kernels `[B,Ho,Wo,K*K,G]` (taps row-major, groups last)
 * @returns `[B,Ho,Wo,C]`; differentiable w.r.t. both inputs.
 */
export function involution2d(
  x: tf.Tensor4D | tf.TensorLike,
  kernel: tf.Tensor5D | tf.TensorLike,
  options: Involution2DOptions,
): tf.Tensor4D {
  const $x = x instanceof tf.Tensor ? x : tf.tensor(x as tf.TensorLike);
  const $kernel = kernel instanceof tf.Tensor ? kernel : tf.tensor(kernel as tf.TensorLike);
  for (const [name, t] of [
    ['x', $x],
    ['kernel', $kernel],
  ] as const) {
    if (t.dtype !== 'float32') throw new Error(`involution2d: ${name} must be float32, got ${t.dtype}`);
  }
  const attrs = resolveInvolutionAttrs($x.shape, $kernel.shape, options);
  ensureFusedKernels(tf.getBackend(), Involution2D);
  return tf.engine().runKernel(Involution2D, { x: $x, kernel: $kernel }, attrs) as tf.Tensor4D;
}
