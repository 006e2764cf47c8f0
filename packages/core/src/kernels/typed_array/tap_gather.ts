import type { InvolutionGeometry } from '../../op/geometry.js';
import { axisTaps, channelStrides, type AxisTaps } from './taps.js';

/** Where a {@link tapGather} reads and writes: the tap tables and the per-batch strides of its two inputs. */
export interface GatherPlan {
  rows: AxisTaps;
  cols: AxisTaps;
  /** Elements per batch item of `source` and of `weights`. */
  sourceBatchStride: number;
  weightBatchStride: number;
}

/**
 * The taps of a gather. `'forward'`: for each output pixel, its in-image input pixels (source x) and kernel
 * entries; also the kernel gradient's taps, whose output has the kernel's layout. `'input'`: for each input
 * pixel, the (output pixel, tap) pairs that read it (source dy).
 */
export function gatherPlan(direction: 'forward' | 'input', g: InvolutionGeometry): GatherPlan {
  const {
    inHeight: H,
    inWidth: W,
    outHeight: Ho,
    outWidth: Wo,
    kernelSize: K,
    taps: T,
    channels: C,
    groups: G,
  } = g;
  // The source is x [H,W,C] going forward, dy [Ho,Wo,C] going back; the weights are the kernel either way.
  const [sourceHeight, sourceWidth] = direction === 'forward' ? [H, W] : [Ho, Wo];
  return {
    rows: axisTaps(direction, H, Ho, g, {
      sourceScale: sourceWidth * C,
      outScale: Wo * T * G,
      tapScale: K * G,
    }),
    cols: axisTaps(direction, W, Wo, g, { sourceScale: C, outScale: T * G, tapScale: G }),
    sourceBatchStride: sourceHeight * sourceWidth * C,
    weightBatchStride: Ho * Wo * T * G,
  };
}

/**
 * The loop shared by the forward pass and the input gradient. For every position (b, a, e) of `out`
 * [B, rows, cols, C] and channel c: `out = Σ_taps weights[tap offset + g(c)] · source[pixel offset + c]`,
 * the taps being the row entries × column entries of (a, e), their table terms already scaled to elements. Four channels of a group go at a time in
 * registers (four independent sums, no stores inside the tap loop). A group narrower than four, or its last
 * partial block, reuses lanes (the last block overlaps the previous one; lanes past C/G repeat the last
 * channel): they recompute and rewrite identical values, so one loop serves every C/G.
 */
export function tapGather(
  source: Float32Array,
  weights: Float32Array,
  plan: GatherPlan,
  g: InvolutionGeometry,
  out: Float32Array,
): void {
  const { batch: B, channels: C, groups: G, channelsPerGroup: Cg } = g;
  const { first, step } = channelStrides(g);
  const { start: rStart, source: rSource, weight: rWeight } = plan.rows;
  const { start: cStart, source: cSource, weight: cWeight } = plan.cols;
  const nRows = rStart.length - 1;
  const nCols = cStart.length - 1;
  const lastBlock = Math.max(0, Cg - 4);
  const l1 = Math.min(1, Cg - 1) * step;
  const l2 = Math.min(2, Cg - 1) * step;
  const l3 = Math.min(3, Cg - 1) * step;
  for (let b = 0; b < B; b++) {
    const sourceBatch = b * plan.sourceBatchStride;
    const weightBatch = b * plan.weightBatchStride;
    for (let a = 0; a < nRows; a++) {
      const r0 = rStart[a]!;
      const r1 = rStart[a + 1]!;
      for (let e = 0; e < nCols; e++) {
        const q0 = cStart[e]!;
        const q1 = cStart[e + 1]!;
        const outBase = ((b * nRows + a) * nCols + e) * C;
        for (let gi = 0; gi < G; gi++) {
          for (let n = 0; n < Cg; n += 4) {
            const c = gi * first + Math.min(n, lastBlock) * step;
            let s0 = 0;
            let s1 = 0;
            let s2 = 0;
            let s3 = 0;
            for (let r = r0; r < r1; r++) {
              const sRow = sourceBatch + rSource[r]! + c;
              const wRow = weightBatch + rWeight[r]! + gi;
              for (let q = q0; q < q1; q++) {
                const w = weights[wRow + cWeight[q]!]!;
                const o = sRow + cSource[q]!;
                s0 += w * source[o]!;
                s1 += w * source[o + l1]!;
                s2 += w * source[o + l2]!;
                s3 += w * source[o + l3]!;
              }
            }
            out[outBase + c] = s0;
            out[outBase + c + l1] = s1;
            out[outBase + c + l2] = s2;
            out[outBase + c + l3] = s3;
          }
        }
      }
    }
  }
}
