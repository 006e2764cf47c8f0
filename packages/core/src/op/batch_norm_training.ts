import {
  BATCH_NORM_ACTIVATIONS,
  BatchNormTraining,
  type BatchNormActivation,
  type BatchNormTrainingAttrs,
} from '@inv/kernels';
import * as tf from '@tensorflow/tfjs-core';
import { ensureFusedKernels } from '../kernels/register_kernels.js';

/** Options of {@link batchNormTraining}. */
export interface BatchNormTrainingOptions {
  /** Added to the variance before its square root. Default 1e-3 (Keras'). */
  epsilon?: number;
  /** Applied after the affine step, fused into the same pass. Default 'linear' (none). */
  activation?: BatchNormActivation;
}

/** The normalised output and the batch statistics it used. */
export interface BatchNormTrainingResult<T extends tf.Tensor> {
  y: T;
  /** Per-channel mean over all other axes. */
  mean: tf.Tensor1D;
  /** Per-channel biased variance (divided by the count, as Keras and tfjs-layers use it). */
  variance: tf.Tensor1D;
}

/**
 * Batch normalisation as in training, channels last: `y = act((x − μ)·scale/√(σ² + ε) + offset)` with the
 * batch's own μ and σ² over every axis but the last. One fused kernel each way (two passes over x, where
 * tfjs's moments + batchNorm + relu run about ten, and their gradients ten more); differentiable w.r.t. x,
 * scale and offset, through μ and σ² as well.
 *
 * @param x float32 `[..., C]`, rank ≥ 2
 * @param scale `[C]` (γ)
 * @param offset `[C]` (β)
 */
export function batchNormTraining<T extends tf.Tensor>(
  x: T,
  scale: tf.Tensor1D,
  offset: tf.Tensor1D,
  options: BatchNormTrainingOptions = {},
): BatchNormTrainingResult<T> {
  const { epsilon = 1e-3, activation = 'linear' } = options;
  const where = 'batchNormTraining';
  if (x.dtype !== 'float32') throw new Error(`${where}: x must be float32, got ${x.dtype}`);
  if (x.rank < 2) {
    throw new Error(`${where}: x must have rank >= 2 ([..., channels]), got shape [${x.shape.join(', ')}]`);
  }
  const channels = x.shape[x.rank - 1]!;
  for (const [name, t] of [
    ['scale', scale],
    ['offset', offset],
  ] as const) {
    if (t.dtype !== 'float32' || t.rank !== 1 || t.shape[0] !== channels) {
      throw new Error(
        `${where}: ${name} must be float32 of shape [${channels}] (x's channels), got ${t.dtype} [${t.shape.join(', ')}]`,
      );
    }
  }
  if (!(epsilon > 0)) throw new Error(`${where}: epsilon must be > 0, got ${epsilon}`);
  if (!BATCH_NORM_ACTIVATIONS.includes(activation)) {
    throw new Error(
      `${where}: activation must be one of ${BATCH_NORM_ACTIVATIONS.join(', ')}, got '${activation}'`,
    );
  }
  ensureFusedKernels(tf.getBackend(), BatchNormTraining);
  const attrs: BatchNormTrainingAttrs = { epsilon, activation };
  const [y, mean, variance] = tf
    .engine()
    .runKernel(BatchNormTraining, { x, scale, offset }, attrs) as unknown as [T, tf.Tensor1D, tf.Tensor1D];
  return { y, mean, variance };
}
