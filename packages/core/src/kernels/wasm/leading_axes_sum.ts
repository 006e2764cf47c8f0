import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { heapTensor } from './wasm_heap.js';

/**
 * `scale · Σ` of a float32 tensor over `axis` when those are its leading axes (a bias or BatchNorm gradient
 * over [0,1,2] of NHWC), summing whole rows in float64; `undefined` for any other reduction. The stock wasm
 * Sum/Mean first transpose the reduced axes innermost with a generic, slow Transpose.
 */
export function leadingAxesSum(
  wasm: BackendWasm,
  x: tf.TensorInfo,
  axis: number | number[],
  keepDims: boolean,
  scale: (rows: number) => number,
): tf.TensorInfo | undefined {
  const axes = tf.util.parseAxisParam(axis, x.shape).sort((p, q) => p - q);
  if (x.dtype !== 'float32' || axes.length === 0 || axes.some((a, k) => a !== k)) return undefined;
  const rows = tf.util.sizeFromShape(x.shape.slice(0, axes.length));
  const rest = x.shape.slice(axes.length);
  const inner = tf.util.sizeFromShape(rest);
  const shape = keepDims ? [...axes.map(() => 1), ...rest] : rest;
  const acc = new Float64Array(inner);
  const factor = scale(rows);
  return heapTensor(wasm, shape, [x], (out, src) => {
    for (let r = 0; r < rows; r++) {
      const base = r * inner;
      for (let n = 0; n < inner; n++) acc[n]! += src![base + n]!;
    }
    for (let n = 0; n < inner; n++) out[n] = acc[n]! * factor;
  });
}
