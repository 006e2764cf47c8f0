import type { InvolutionGeometry } from '../../op/geometry.js';
import { gatherPlan } from './tap_gather.js';
import { channelStrides } from './taps.js';

/**
 * Gradient w.r.t. the kernel on flat NHWC float32 data: `dkernel[b,i,j,t,g] = Σ_{c in g} x[tap t of (i,j), c]
 * · dy[b,i,j,c]`, zero for taps outside the image; writes every element of `dkernel` [B,Ho,Wo,K*K,G].
 * Four taps of a kernel row go at a time (four independent dot products sharing each dy load); a row with
 * fewer than four in-image taps, or its last partial block, reuses lanes, rewriting identical values.
 */
export function involutionBackpropKernelTyped(
  x: Float32Array,
  dy: Float32Array,
  g: InvolutionGeometry,
  dkernel: Float32Array,
): void {
  const { batch: B, channels: C, outHeight: Ho, outWidth: Wo, groups: G, channelsPerGroup: Cg } = g;
  const { first, step } = channelStrides(g);
  const { rows, cols, sourceBatchStride, weightBatchStride } = gatherPlan('forward', g);
  const { start: rStart, source: rSource, weight: rWeight } = rows;
  const { start: cStart, source: cSource, weight: cWeight } = cols;
  dkernel.fill(0);
  for (let b = 0; b < B; b++) {
    const xBatch = b * sourceBatchStride;
    const kBatch = b * weightBatchStride;
    for (let i = 0; i < Ho; i++) {
      for (let j = 0; j < Wo; j++) {
        const q0 = cStart[j]!;
        const q1 = cStart[j + 1]!;
        const count = q1 - q0;
        if (count === 0) continue;
        const lastBlock = q0 + Math.max(0, count - 4);
        const t1 = Math.min(1, count - 1);
        const t2 = Math.min(2, count - 1);
        const t3 = Math.min(3, count - 1);
        const dyPixel = ((b * Ho + i) * Wo + j) * C;
        for (let r = rStart[i]!; r < rStart[i + 1]!; r++) {
          const xRow = xBatch + rSource[r]!;
          const kRow = kBatch + rWeight[r]!;
          for (let q = q0; q < q1; q += 4) {
            const qb = Math.min(q, lastBlock);
            // x offsets relative to dy's, so one channel index c walks both.
            const x0 = xRow + cSource[qb]! - dyPixel;
            const x1 = xRow + cSource[qb + t1]! - dyPixel;
            const x2 = xRow + cSource[qb + t2]! - dyPixel;
            const x3 = xRow + cSource[qb + t3]! - dyPixel;
            for (let gi = 0; gi < G; gi++) {
              const cBegin = dyPixel + gi * first;
              const cEnd = cBegin + Cg * step;
              let s0 = 0;
              let s1 = 0;
              let s2 = 0;
              let s3 = 0;
              for (let c = cBegin; c < cEnd; c += step) {
                const e = dy[c]!;
                s0 += x[x0 + c]! * e;
                s1 += x[x1 + c]! * e;
                s2 += x[x2 + c]! * e;
                s3 += x[x3 + c]! * e;
              }
              dkernel[kRow + cWeight[qb]! + gi] = s0;
              dkernel[kRow + cWeight[qb + t1]! + gi] = s1;
              dkernel[kRow + cWeight[qb + t2]! + gi] = s2;
              dkernel[kRow + cWeight[qb + t3]! + gi] = s3;
            }
          }
        }
      }
    }
  }
}
