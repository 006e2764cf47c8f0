import type { InvolutionGeometry } from '../../op/geometry.js';
import { validTapRanges } from './taps.js';
import { weightedGather } from './weighted_gather.js';

/**
 * Forward involution on flat NHWC float32 data; writes every element of `out` [B,Ho,Wo,C]. Per output pixel
 * it lists the offsets of its in-image taps (in x and in kernel), then gathers them channel by channel.
 */
export function involutionForwardTyped(x: Float32Array, kernel: Float32Array, g: InvolutionGeometry, out: Float32Array): void {
  const { batch: B, inHeight: H, inWidth: W, channels: C, outHeight: Ho, outWidth: Wo, kernelSize: K } = g;
  const { stride: s, dilation: d, pad: p, groups: G } = g;
  const rows = validTapRanges(Ho, H, g);
  const cols = validTapRanges(Wo, W, g);
  const xOffsets = new Int32Array(g.taps);
  const kOffsets = new Int32Array(g.taps);
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
        weightedGather(x, xOffsets, kernel, kOffsets, count, g, out, pixel * C);
      }
    }
  }
}
