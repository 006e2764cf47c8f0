/**
 * Index tables shared by the typed-array involution kernels, built once per call so the pixel loops carry no
 * bounds checks and no division.
 */
import type { InvolutionGeometry } from '../../op/geometry.js';

/**
 * For each position `a` along one spatial axis, the taps that contribute to it, entries
 * `[start[a], start[a+1])`, each as two precomputed terms: `source` (index into the tensor being read, along
 * this axis, times `sourceScale`) and `weight` (output index times `outScale` plus tap times `tapScale`: this
 * axis's share of the kernel offset). Row and column terms add up to full offsets.
 */
export interface AxisTaps {
  start: Int32Array;
  source: Int32Array;
  weight: Int32Array;
}

/**
 * `'forward'`: positions are output indices i, sources the input indices i*s + u*d - p inside the image.
 * `'input'`: positions are input indices y, sources the output indices i with i*s + u*d - p = y (the gather
 * form of the input gradient).
 */
export function axisTaps(
  direction: 'forward' | 'input',
  inExtent: number,
  outExtent: number,
  g: InvolutionGeometry,
  scales: { sourceScale: number; outScale: number; tapScale: number },
): AxisTaps {
  const { kernelSize: K, stride: s, dilation: d, pad: p } = g;
  const { sourceScale, outScale, tapScale } = scales;
  const positions = direction === 'forward' ? outExtent : inExtent;
  const start = new Int32Array(positions + 1);
  const source: number[] = [];
  const weight: number[] = [];
  for (let a = 0; a < positions; a++) {
    start[a] = source.length;
    for (let u = 0; u < K; u++) {
      if (direction === 'forward') {
        const y = a * s + u * d - p;
        if (y < 0 || y >= inExtent) continue;
        source.push(y * sourceScale);
        weight.push(a * outScale + u * tapScale);
      } else {
        const q = a + p - u * d;
        if (q < 0 || q % s !== 0 || q / s >= outExtent) continue;
        source.push((q / s) * sourceScale);
        weight.push((q / s) * outScale + u * tapScale);
      }
    }
  }
  start[positions] = source.length;
  return { start, source: Int32Array.from(source), weight: Int32Array.from(weight) };
}

/**
 * Channels of group g are `first*g + step*n` for n < C/G: contiguous blocks (first C/G, step 1) or every
 * G-th channel (first 1, step G). One loop shape then serves both layouts.
 */
export function channelStrides(g: InvolutionGeometry): { first: number; step: number } {
  return g.groupLayout === 'contiguous'
    ? { first: g.channelsPerGroup, step: 1 }
    : { first: 1, step: g.groups };
}
