import * as tf from '@tensorflow/tfjs-core';

/**
 * Gradient of `FusedBatchNorm` (`tf.batchNorm`, behind tfjs-layers' BatchNormalization) by broadcasting:
 * `y = (x − mean) · scale · r + offset` with `r = 1/√(variance + ε)`. The stock gradient tiles `r` to x's full
 * shape for d/dx, one full-size Tile per BN layer and step: on wasm that Tile was the costliest kernel of a
 * RedNet-26 training step (≈ 40% of it). Per-channel factors are pulled out of the sums, so every
 * full-size op is one multiply or subtract. Saves `scale` as the stock one does, so (as there) a batchNorm
 * without a scale is not differentiable: tfjs 4.22's engine clones every saved input, and that one is absent.
 */
export const fusedBatchNormGradConfig: tf.GradConfig = {
  kernelName: tf.FusedBatchNorm,
  inputsToSave: ['x', 'mean', 'variance', 'scale'],
  gradFunc: (dy, saved, attrs) => {
    const { varianceEpsilon } = attrs as unknown as tf.FusedBatchNormAttrs;
    const [x, mean, variance, scale] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    const $dy = dy as tf.Tensor;
    // Sums dy-shaped terms over the axes `mean` is broadcast along, back to the statistics' shape.
    const axes = tf.backend_util.getReductionAxes(mean.shape, x.shape);
    const reduce = (t: tf.Tensor): tf.Tensor => tf.reshape(axes.length > 0 ? tf.sum(t, axes) : t, mean.shape);
    const invStd = () => tf.rsqrt(tf.add(variance, tf.scalar(varianceEpsilon)));
    const gain = () => tf.mul(invStd(), scale);
    const centredDot = () => reduce(tf.mul($dy, tf.sub(x, mean)));
    const toShape = (t: tf.Tensor, like: tf.Tensor) => tf.reshape(t, like.shape);
    return {
      x: () => tf.mul($dy, gain()),
      mean: () => toShape(tf.neg(tf.mul(reduce($dy), gain())), mean),
      variance: () => toShape(tf.mul(centredDot(), tf.mul(tf.pow(invStd(), 2), tf.mul(gain(), -0.5))), mean),
      scale: () => toShape(tf.mul(centredDot(), invStd()), scale),
      offset: () => reduce($dy),
    };
  },
};
