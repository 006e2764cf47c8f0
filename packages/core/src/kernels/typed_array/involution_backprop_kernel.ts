import type { InvolutionGeometry } from '../../op/geometry.js';
import { groupChannelStrides, validTapRanges } from './taps.js';

/**
 * Gradient w.r.t. the kernel on flat NHWC float32 data: `dkernel[b,i,j,t,g] = Σ_{c in g} x[tap t of (i,j), c]
 * · dy[b,i,j,c]`, zero for taps outside the image; writes every element of `dkernel` [B,Ho,Wo,K*K,G].
 * Taps go four at a time (four independent dot products sharing each dy load), the remainder one at a time.
 */
export function involutionBackpropKernelTyped(x: Float32Array, dy: Float32Array, g: InvolutionGeometry, dkernel: Float32Array): void {
  const { batch: B, inHeight: H, inWidth: W, channels: C, outHeight: Ho, outWidth: Wo, kernelSize: K } = g;
  const { stride: s, dilation: d, pad: p, groups: G, channelsPerGroup: Cg } = g;
  const { first, step } = groupChannelStrides(g);
  const rows = validTapRanges(Ho, H, g);
  const cols = validTapRanges(Wo, W, g);
  const xOffsets = new Int32Array(g.taps);
  const kOffsets = new Int32Array(g.taps);
  dkernel.fill(0);
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < Ho; i++) {
      const uLo = rows[2 * i]!;
      const uHi = rows[2 * i + 1]!;
      for (let j = 0; j < Wo; j++) {
        const vLo = cols[2 * j]!;
        const vHi = cols[2 * j + 1]!;
        const pixel = (b * Ho + i) * Wo + j;
        let count = 0;
        for (let u = uLo; u < uHi; u++) {
          const xRow = (b * H + i * s + u * d - p) * W + j * s - p;
          for (let v = vLo; v < vHi; v++) {
            xOffsets[count] = (xRow + v * d) * C;
            kOffsets[count] = (pixel * K * K + u * K + v) * G;
            count++;
          }
        }
        const blocked = count - (count % 4);
        for (let gi = 0; gi < G; gi++) {
          const cStart = pixel * C + gi * first;
          const cEnd = cStart + Cg * step;
          let t = 0;
          for (; t < blocked; t += 4) {
            const x0 = xOffsets[t]! - pixel * C;
            const x1 = xOffsets[t + 1]! - pixel * C;
            const x2 = xOffsets[t + 2]! - pixel * C;
            const x3 = xOffsets[t + 3]! - pixel * C;
            let s0 = 0;
            let s1 = 0;
            let s2 = 0;
            let s3 = 0;
            for (let c = cStart; c < cEnd; c += step) {
              const e = dy[c]!;
              s0 += x[x0 + c]! * e;
              s1 += x[x1 + c]! * e;
              s2 += x[x2 + c]! * e;
              s3 += x[x3 + c]! * e;
            }
            dkernel[kOffsets[t]! + gi] = s0;
            dkernel[kOffsets[t + 1]! + gi] = s1;
            dkernel[kOffsets[t + 2]! + gi] = s2;
            dkernel[kOffsets[t + 3]! + gi] = s3;
          }
          for (; t < count; t++) {
            const x0 = xOffsets[t]! - pixel * C;
            let sum = 0;
            for (let c = cStart; c < cEnd; c += step) sum += x[x0 + c]! * dy[c]!;
            dkernel[kOffsets[t]! + gi] = sum;
          }
        }
      }
    }
  }
}
