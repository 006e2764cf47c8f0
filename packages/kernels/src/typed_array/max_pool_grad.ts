import * as tf from '@tensorflow/tfjs-core';

/** The pooling geometry of a MaxPoolGrad or AvgPoolGrad call (NHWC, the only layout tfjs pools). */
export function maxPoolGradInfo(
  input: tf.TensorInfo,
  attrs: tf.MaxPoolGradAttrs | tf.AvgPoolGradAttrs,
): tf.backend_util.Conv2DInfo {
  const { filterSize, strides, pad } = attrs;
  const dimRoundingMode = 'dimRoundingMode' in attrs ? attrs.dimRoundingMode : undefined;
  const shape = input.shape as [number, number, number, number];
  return tf.backend_util.computePool2DInfo(shape, filterSize, strides, 1, pad, dimRoundingMode);
}

/**
 * The common 2×2, stride-2 pooling with every window inside the input: windows tile it, so every input element is written once
 * (no zero fill, no scatter) and the first maximum of four is picked with three comparisons per channel,
 * about twice as fast as the general loop.
 */
function maxPoolGrad2x2(
  x: Float32Array,
  dy: Float32Array,
  info: tf.backend_util.Conv2DInfo,
  dx: Float32Array,
): void {
  const { batchSize, inHeight: h, inWidth: w, inChannels: c, outHeight: ho, outWidth: wo } = info;
  const row = w * c;
  // An odd last row or column belongs to no window.
  if (2 * ho !== h || 2 * wo !== w) dx.fill(0);
  for (let b = 0; b < batchSize; b++)
    for (let i = 0; i < ho; i++)
      for (let j = 0; j < wo; j++) {
        const p = ((b * h + 2 * i) * w + 2 * j) * c;
        const o = ((b * ho + i) * wo + j) * c;
        for (let k = 0; k < c; k++) {
          const i0 = p + k;
          const i1 = i0 + c;
          const i2 = i0 + row;
          const i3 = i2 + c;
          const g = dy[o + k]!;
          // Strict comparisons: a tie goes to the earlier element in row-major order, as in the stock kernel.
          const right = x[i1]! > x[i0]!;
          const top = right ? x[i1]! : x[i0]!;
          const bottomRight = x[i3]! > x[i2]!;
          const bottom = bottomRight ? x[i3]! : x[i2]!;
          const lower = bottom > top;
          dx[i0] = !lower && !right ? g : 0;
          dx[i1] = !lower && right ? g : 0;
          dx[i2] = lower && !bottomRight ? g : 0;
          dx[i3] = lower && bottomRight ? g : 0;
        }
      }
}

/**
 * Whether `info` is the 2×2, stride-2 pooling with every window inside the input (an odd last row or column
 * belongs to no window): effective sizes of 2 mean no dilation; 'same' on an odd side pads past the end,
 * where windows leave the input.
 */
export function isInside2x2(info: tf.backend_util.Conv2DInfo): boolean {
  const { inHeight: h, inWidth: w, outHeight: ho, outWidth: wo, padInfo } = info;
  const { strideHeight: sh, strideWidth: sw, effectiveFilterHeight: kh, effectiveFilterWidth: kw } = info;
  const is2x2 = kh === 2 && kw === 2 && sh === 2 && sw === 2 && padInfo.top === 0 && padInfo.left === 0;
  return is2x2 && 2 * ho <= h && 2 * wo <= w;
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
  if (isInside2x2(info)) return maxPoolGrad2x2(x, dy, info, dx);
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
