/**
 * The fused batch-norm kernels written with stock tfjs ops, for backends without a fused one (webgpu,
 * tensorflow, ...): the same math as the typed-array kernels, in broadcasting ops.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BatchNormTrainingAttrs } from '@inv/kernels';

/** `t` as [rows, C]: one statistics axis, whatever the rank (some webgpu kernels stop at rank 4). */
const rowsByChannels = (t: tf.Tensor): tf.Tensor2D => tf.reshape(t, [-1, t.shape[t.rank - 1]!]);

const invStdOf = (variance: tf.Tensor, epsilon: number): tf.Tensor => tf.rsqrt(tf.add(variance, epsilon));

export function batchNormTrainingComposite(
  x: tf.Tensor,
  scale: tf.Tensor1D,
  offset: tf.Tensor1D,
  { epsilon, activation }: BatchNormTrainingAttrs,
): tf.Tensor[] {
  return tf.tidy(() => {
    const x2 = rowsByChannels(x);
    const { mean, variance } = tf.moments(x2, 0);
    const gain = tf.mul(scale, invStdOf(variance, epsilon));
    const affine = tf.add(tf.mul(x2, gain), tf.sub(offset, tf.mul(mean, gain)));
    return [tf.reshape(activation === 'relu' ? tf.relu(affine) : affine, x.shape), mean, variance];
  });
}

/** Inputs of the gradient kernel, by the names it registers. */
export interface BatchNormGradTensors {
  dy: tf.Tensor;
  x: tf.Tensor;
  y: tf.Tensor;
  scale: tf.Tensor1D;
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
  dMean: tf.Tensor1D;
  dVariance: tf.Tensor1D;
}

/** `dx = a·g + k₁·(x − μ) + k₀`, `dScale = Σg·x̂`, `dOffset = Σg`, as `batchNormTrainingBackward` derives them. */
export function batchNormTrainingGradComposite(
  { dy, x, y, scale, mean, variance, dMean, dVariance }: BatchNormGradTensors,
  { epsilon, activation }: BatchNormTrainingAttrs,
): tf.Tensor[] {
  return tf.tidy(() => {
    const rows = x.size / scale.size;
    const g = rowsByChannels(activation === 'relu' ? tf.mul(dy, tf.step(y)) : dy);
    const centred = tf.sub(rowsByChannels(x), mean);
    const sumG = tf.sum(g, 0);
    const sumGCentred = tf.sum(tf.mul(g, centred), 0);
    const invStd = invStdOf(variance, epsilon);
    const gain = tf.mul(scale, invStd);
    const k1 = tf.div(
      tf.sub(tf.mul(dVariance, 2), tf.mul(tf.mul(gain, tf.square(invStd)), sumGCentred)),
      rows,
    );
    const k0 = tf.div(tf.sub(dMean, tf.mul(gain, sumG)), rows);
    const dx = tf.add(tf.add(tf.mul(g, gain), tf.mul(centred, k1)), k0);
    return [tf.reshape(dx, x.shape), tf.mul(sumGCentred, invStd), sumG];
  });
}
