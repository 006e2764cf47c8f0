import * as tf from '@tensorflow/tfjs-core';
import { floatInput } from './inputs.js';
import { Involution2D } from './kernel_names.js';
import { resolveInvolutionAttrs, type Involution2DOptions } from './options.js';
import { ensureFusedKernels } from '../kernels/register_kernels.js';
import { float16KernelsActive, involution2dFloat16Kernel } from './float16_kernels.js';

/**
 * Involution (Li et al., CVPR 2021), NHWC:
 * `out[b,i,j,c] = Σ_{u,v} kernel[b,i,j,u*K+v,g(c)] · x[b, i*s+u*d−p, j*s+v*d−p, c]`, x zero outside the image.
 * Taps there still multiply, as in PyTorch: a NaN or ±Inf kernel value on one makes its group's output NaN
 * (and a NaN or ±Inf in the upstream gradient does the same to those taps' kernel gradients), on every backend.
 * On webgpu with the flag `INV_WEBGPU_FLOAT16_KERNELS` set, the kernel is stored as float16 (see
 * float16_kernels.ts): each value rounded to the nearest float16 once, sums still float32.
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
  // A scope, as tfjs's own ops have: inputs converted from arrays are freed, also when a check fails.
  return tf.tidy('involution2d', () => {
    const $x = floatInput('involution2d', 'x', x);
    const $kernel = floatInput('involution2d', 'kernel', kernel);
    const attrs = resolveInvolutionAttrs($x.shape, $kernel.shape, options);
    ensureFusedKernels(tf.getBackend(), Involution2D);
    if (float16KernelsActive())
      return involution2dFloat16Kernel($x as tf.Tensor4D, $kernel as tf.Tensor5D, attrs);
    return tf.engine().runKernel(Involution2D, { x: $x, kernel: $kernel }, attrs) as tf.Tensor4D;
  });
}
