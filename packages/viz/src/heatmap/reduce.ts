import * as tf from '@tensorflow/tfjs';
import type { Heatmaps } from './heatmaps.js';

/**
 * How a position's K·K·G kernel weights become one value: 'sum' (the Keras seed's), 'mean', 'abs' (sum of
 * absolute values: how strongly the position mixes its neighbourhood, whatever the signs) or 'max'.
 */
export const REDUCTIONS = ['sum', 'mean', 'abs', 'max'] as const;
export type Reduction = (typeof REDUCTIONS)[number];

/** Reduces an involution kernel `[B, Ho, Wo, K·K, G]` over its taps and groups to `[B, Ho, Wo]`. */
export function reduceKernel(kernel: tf.Tensor, reduce: Reduction): tf.Tensor3D {
  if (kernel.rank !== 5) {
    throw new Error(
      `reduceKernel: expected an involution kernel [batch, height, width, K*K, groups], got shape [${kernel.shape.join(', ')}]`,
    );
  }
  const axes = [3, 4];
  switch (reduce) {
    case 'sum':
      return tf.sum(kernel, axes);
    case 'mean':
      return tf.mean(kernel, axes);
    case 'abs':
      return tf.tidy(() => tf.sum(tf.abs(kernel), axes));
    case 'max':
      return tf.max(kernel, axes);
    default:
      throw new Error(
        `reduceKernel: unknown reduction '${String(reduce)}'; expected one of: ${REDUCTIONS.join(', ')}`,
      );
  }
}

/** {@link reduceKernel}, read back as plain {@link Heatmaps} (the kernel itself is left to the caller). */
export async function kernelHeatmaps(kernel: tf.Tensor, reduce: Reduction): Promise<Heatmaps> {
  const reduced = reduceKernel(kernel, reduce);
  try {
    const [count, height, width] = reduced.shape;
    return { count, height, width, data: (await reduced.data()) as Float32Array };
  } finally {
    reduced.dispose();
  }
}
