import type { InvolutionGeometry } from '../../op/geometry.js';
import { groupChannelStrides } from './taps.js';

/**
 * The inner loop shared by the forward pass and the input gradient: for one pixel,
 * `out[outBase + c] = Σ_{t < count} weights[weightOffsets[t] + g(c)] · source[sourceOffsets[t] + c]`.
 * Channels go four at a time in registers (no stores inside the tap loop, four independent sums), the
 * remainder of each group one at a time.
 */
export function weightedGather(
  source: Float32Array,
  sourceOffsets: Int32Array,
  weights: Float32Array,
  weightOffsets: Int32Array,
  count: number,
  g: InvolutionGeometry,
  out: Float32Array,
  outBase: number,
): void {
  const { groups: G, channelsPerGroup: Cg } = g;
  const { first, step } = groupChannelStrides(g);
  const blocked = Cg - (Cg % 4);
  for (let gi = 0; gi < G; gi++) {
    const groupStart = gi * first;
    const blockedEnd = groupStart + blocked * step;
    const groupEnd = groupStart + Cg * step;
    let c = groupStart;
    for (; c < blockedEnd; c += 4 * step) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let t = 0; t < count; t++) {
        const w = weights[weightOffsets[t]! + gi]!;
        const o = sourceOffsets[t]! + c;
        s0 += w * source[o]!;
        s1 += w * source[o + step]!;
        s2 += w * source[o + 2 * step]!;
        s3 += w * source[o + 3 * step]!;
      }
      out[outBase + c] = s0;
      out[outBase + c + step] = s1;
      out[outBase + c + 2 * step] = s2;
      out[outBase + c + 3 * step] = s3;
    }
    for (; c < groupEnd; c += step) {
      let s = 0;
      for (let t = 0; t < count; t++) s += weights[weightOffsets[t]! + gi]! * source[sourceOffsets[t]! + c]!;
      out[outBase + c] = s;
    }
  }
}
