import type { InvolutionGeometry } from '../../op/geometry.js';
import { tapReaders } from './taps.js';
import { weightedGather } from './weighted_gather.js';

/**
 * Gradient w.r.t. x on flat NHWC float32 data, as a gather: each input pixel sums, over the (tap, output
 * pixel) pairs that read it, `kernel[b,i,j,t,g(c)] · dy[b,i,j,c]`. No scatter, so every element of `dx` is
 * written exactly once (the model for the parallel GPU kernels); pixels no tap reads get 0.
 */
export function involutionBackpropInputTyped(dy: Float32Array, kernel: Float32Array, g: InvolutionGeometry, dx: Float32Array): void {
  const { batch: B, inHeight: H, inWidth: W, channels: C, outHeight: Ho, outWidth: Wo, kernelSize: K, groups: G } = g;
  const rows = tapReaders(H, Ho, g);
  const cols = tapReaders(W, Wo, g);
  const dyOffsets = new Int32Array(g.taps);
  const kOffsets = new Int32Array(g.taps);
  for (let b = 0; b < B; b++) {
    for (let y = 0; y < H; y++) {
      const rEnd = rows.start[y + 1]!;
      for (let xi = 0; xi < W; xi++) {
        const cEnd = cols.start[xi + 1]!;
        let count = 0;
        for (let r = rows.start[y]!; r < rEnd; r++) {
          const outRow = (b * Ho + rows.out[r]!) * Wo;
          const tapRow = rows.tap[r]! * K;
          for (let q = cols.start[xi]!; q < cEnd; q++) {
            const pixel = outRow + cols.out[q]!;
            dyOffsets[count] = pixel * C;
            kOffsets[count] = (pixel * K * K + tapRow + cols.tap[q]!) * G;
            count++;
          }
        }
        weightedGather(dy, dyOffsets, kernel, kOffsets, count, g, dx, ((b * H + y) * W + xi) * C);
      }
    }
  }
}
