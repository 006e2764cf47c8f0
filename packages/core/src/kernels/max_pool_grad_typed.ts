import * as tf from '@tensorflow/tfjs-core';

/** The pooling geometry of a MaxPoolGrad call (NHWC, the only layout tfjs pools). */
export function maxPoolGradInfo(
  input: tf.TensorInfo,
  attrs: tf.MaxPoolGradAttrs,
): tf.backend_util.Conv2DInfo {
  const { filterSize, strides, pad, dimRoundingMode } = attrs;
  const shape = input.shape as [number, number, number, number];
  return tf.backend_util.computePool2DInfo(shape, filterSize, strides, 1, pad, dimRoundingMode);
}

/**
 * Routes dy to the first maximum of each window (row-major, as the stock cpu kernel does), all channels of a
 * window at once so x and dx are walked in NHWC order; the stock kernels walk windows per channel, strided by
 * C. Writes every element of `dx`.
 */
export function maxPoolGradTyped(
  x: Float32Array,
  dy: Float32Array,
  info: tf.backend_util.Conv2DInfo,
  dx: Float32Array,
): void {
  const { batchSize, inHeight: h, inWidth: w, inChannels: c, outHeight: ho, outWidth: wo, padInfo } = info;
  const { strideHeight: sh, strideWidth: sw, effectiveFilterHeight: kh, effectiveFilterWidth: kw } = info;
  const best = new Float32Array(c);
  const arg = new Int32Array(c);
  dx.fill(0);
  for (let b = 0; b < batchSize; b++)
    for (let i = 0; i < ho; i++)
      for (let j = 0; j < wo; j++) {
        best.fill(-Infinity);
        arg.fill(-1);
        for (let u = 0; u < kh; u++) {
          const y = i * sh + u - padInfo.top;
          if (y < 0 || y >= h) continue;
          for (let v = 0; v < kw; v++) {
            const xx = j * sw + v - padInfo.left;
            if (xx < 0 || xx >= w) continue;
            const base = ((b * h + y) * w + xx) * c;
            for (let k = 0; k < c; k++) {
              const value = x[base + k]!;
              if (value > best[k]!) {
                best[k] = value;
                arg[k] = base + k;
              }
            }
          }
        }
        const o = ((b * ho + i) * wo + j) * c;
        for (let k = 0; k < c; k++) if (arg[k]! >= 0) dx[arg[k]!]! += dy[o + k]!;
      }
}
