import * as tf from '@tensorflow/tfjs-core';
import { outputExtent } from '../op/geometry.js';

/** The geometry that places output windows on the input. */
export interface WindowGeometry {
  kernelSize: number;
  stride: number;
  dilation: number;
  pad: number;
}

interface AxisAlignment {
  padBefore: number;
  padAfter: number;
  begin: number;
  length: number;
}

/**
 * Along one axis of extent n: the window of output i is centred on input `i·s + o`, o = ⌊d(K−1)/2⌋ − p. Keep
 * from o on (zero-extending where o < 0 or the far side runs short) exactly enough pixels L that pooling by s
 * ('same') gives the Ho outputs: (Ho−1)·s + 1 ≤ L ≤ Ho·s.
 */
function alignAxis(n: number, geometry: WindowGeometry): AxisAlignment {
  const { kernelSize, stride, dilation, pad } = geometry;
  const offset = Math.floor((dilation * (kernelSize - 1)) / 2) - pad;
  const outputs = outputExtent(n, kernelSize, stride, dilation, pad);
  const available = n - offset;
  const length = Math.min(Math.max(available, (outputs - 1) * stride + 1), outputs * stride);
  return {
    padBefore: Math.max(0, -offset),
    padAfter: Math.max(0, length - available),
    begin: Math.max(0, offset),
    length,
  };
}

/**
 * The input a kernel generator sees: `x` cropped or zero-padded so that output (i, j) is centred on its pixel
 * (i·s, j·s) and pooling by the stride gives exactly the output grid. Generators then need not know the
 * padding. `x` itself for `'same'` padding (o = 0, L = H), which is what the paper and the seed do.
 */
export function alignToOutputGrid(x: tf.Tensor4D, geometry: WindowGeometry): tf.Tensor4D {
  const [, height, width] = x.shape;
  const rows = alignAxis(height, geometry);
  const cols = alignAxis(width, geometry);
  const unchanged = (a: AxisAlignment, n: number) =>
    a.padBefore === 0 && a.padAfter === 0 && a.begin === 0 && a.length === n;
  if (unchanged(rows, height) && unchanged(cols, width)) return x;
  const padded = tf.pad(x, [
    [0, 0],
    [rows.padBefore, rows.padAfter],
    [cols.padBefore, cols.padAfter],
    [0, 0],
  ]);
  return tf.slice(padded, [0, rows.begin, cols.begin, 0], [-1, rows.length, cols.length, -1]);
}
