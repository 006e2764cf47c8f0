import * as tf from '@tensorflow/tfjs-core';

/** A reduction over the leading axes of a tensor: `rows` rows of `inner` contiguous values, summed row-wise. */
export interface LeadingAxesReduction {
  rows: number;
  inner: number;
  outShape: number[];
}

/**
 * The reduction of float32 `x` over `axis` when those are its leading axes (a bias or BatchNorm gradient over
 * [0,1,2] of NHWC); `undefined` for any other. The stock cpu and wasm Sum/Mean first transpose the reduced
 * axes innermost, a full generic copy that costs more than the sum.
 */
export function leadingAxesReduction(
  x: tf.TensorInfo,
  axis: number | number[],
  keepDims: boolean,
): LeadingAxesReduction | undefined {
  const axes = tf.util.parseAxisParam(axis, x.shape).sort((p, q) => p - q);
  if (x.dtype !== 'float32' || axes.length === 0 || axes.some((a, k) => a !== k)) return undefined;
  const rest = x.shape.slice(axes.length);
  return {
    rows: tf.util.sizeFromShape(x.shape.slice(0, axes.length)),
    inner: tf.util.sizeFromShape(rest),
    outShape: keepDims ? [...axes.map(() => 1), ...rest] : rest,
  };
}

/** `out[n] = scale · Σ_r src[r·inner + n]`, accumulated in float64 over whole rows (sequential reads). */
export function sumRows(src: Float32Array, r: LeadingAxesReduction, scale: number, out: Float32Array): void {
  const acc = new Float64Array(r.inner);
  for (let row = 0; row < r.rows; row++) {
    const base = row * r.inner;
    for (let n = 0; n < r.inner; n++) acc[n]! += src[base + n]!;
  }
  for (let n = 0; n < r.inner; n++) out[n] = acc[n]! * scale;
}

/** The factor `sumRows` applies: 1 for Sum, 1/rows for Mean. */
export function reductionScale(kernelName: typeof tf.Sum | typeof tf.Mean, r: LeadingAxesReduction): number {
  return kernelName === tf.Mean ? 1 / r.rows : 1;
}
