/**
 * Index tables shared by the typed-array involution kernels, built once per call so the inner loops carry no
 * bounds checks and no division.
 */
import type { InvolutionGeometry } from '../../op/geometry.js';

/**
 * For each output index i along one axis, the taps u in [lo, hi) whose input index i*s + u*d - p lies inside
 * [0, n): entries 2i (lo) and 2i+1 (hi); hi <= lo means no tap reads the image.
 */
export function validTapRanges(outExtent: number, inExtent: number, g: InvolutionGeometry): Int32Array {
  const { kernelSize: K, stride: s, dilation: d, pad: p } = g;
  const ranges = new Int32Array(2 * outExtent);
  for (let i = 0; i < outExtent; i++) {
    const start = i * s - p;
    ranges[2 * i] = Math.max(0, Math.ceil(-start / d));
    ranges[2 * i + 1] = Math.min(K, Math.floor((inExtent - 1 - start) / d) + 1);
  }
  return ranges;
}

/**
 * The inverse map, for the gather form of the input gradient: for each input index y along one axis, the
 * (tap u, output i) pairs with i*s + u*d - p = y. Pairs of y are `tap/out[start[y] .. start[y+1])`.
 */
export interface TapReaders {
  start: Int32Array;
  tap: Int32Array;
  out: Int32Array;
}

export function tapReaders(inExtent: number, outExtent: number, g: InvolutionGeometry): TapReaders {
  const { kernelSize: K, stride: s, dilation: d, pad: p } = g;
  const start = new Int32Array(inExtent + 1);
  const tap: number[] = [];
  const out: number[] = [];
  for (let y = 0; y < inExtent; y++) {
    start[y] = tap.length;
    for (let u = 0; u < K; u++) {
      const q = y + p - u * d;
      if (q >= 0 && q % s === 0 && q / s < outExtent) {
        tap.push(u);
        out.push(q / s);
      }
    }
  }
  start[inExtent] = tap.length;
  return { start, tap: Int32Array.from(tap), out: Int32Array.from(out) };
}

/**
 * Channels of group g are `first*g + step*n` for n < C/G: contiguous blocks (first C/G, step 1) or every
 * G-th channel (first 1, step G). One loop shape then serves both layouts.
 */
export function groupChannelStrides(g: InvolutionGeometry): { first: number; step: number } {
  return g.groupLayout === 'contiguous' ? { first: g.channelsPerGroup, step: 1 } : { first: 1, step: g.groups };
}
