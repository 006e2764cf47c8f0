/**
 * What the out-of-image taps contribute. The op's math (and the composite's, and PyTorch's) multiplies every
 * tap by the zero-padded input, so such a tap adds k·0: zero, except NaN when a factor is NaN or ±Inf. The fused
 * kernels skip those taps in their inner loops; these passes over the border pixels then write exactly the NaNs
 * those products would have made, so every backend agrees with the composite while the interior pays nothing.
 * The input gradient needs no pass: what the taps send to padding positions is discarded.
 */
import type { InvolutionGeometry } from '../../op/geometry.js';
import { channelStrides } from './taps.js';

/** Whether tap offset `u` of output position `a` falls outside an input axis of `extent` pixels. */
function outside(a: number, u: number, extent: number, g: InvolutionGeometry): boolean {
  const y = a * g.stride + u * g.dilation - g.pad;
  return y < 0 || y >= extent;
}

/**
 * The output pixels (i·Wo + j) that have out-of-image taps, and those taps: pixel n's are
 * `taps[start[n]..start[n+1])`. Pixels whose taps all lie in the image cost one test each.
 */
function borderPixels(g: InvolutionGeometry): { pixels: Int32Array; start: Int32Array; taps: Int32Array } {
  const K = g.kernelSize;
  const inside = (a: number, extent: number): boolean =>
    !outside(a, 0, extent, g) && !outside(a, K - 1, extent, g);
  const pixels: number[] = [];
  const start: number[] = [0];
  const taps: number[] = [];
  for (let i = 0; i < g.outHeight; i++) {
    const fullRow = inside(i, g.inHeight);
    for (let j = 0; j < g.outWidth; j++) {
      if (fullRow && inside(j, g.inWidth)) continue;
      for (let u = 0; u < K; u++) {
        const rowOut = outside(i, u, g.inHeight, g);
        for (let v = 0; v < K; v++) if (rowOut || outside(j, v, g.inWidth, g)) taps.push(u * K + v);
      }
      pixels.push(i * g.outWidth + j);
      start.push(taps.length);
    }
  }
  return { pixels: Int32Array.from(pixels), start: Int32Array.from(start), taps: Int32Array.from(taps) };
}

// Both passes test values as `v * 0`, summed: 0 for finite values, NaN as soon as one is NaN or ±Inf (the
// very product the composite forms), in a branch-free loop.

/** Forward: an out-of-image tap whose kernel value is NaN or ±Inf makes its group's outputs NaN. */
export function forwardPaddingTaps(
  _x: Float32Array,
  kernel: Float32Array,
  g: InvolutionGeometry,
  out: Float32Array,
): void {
  const { outHeight: Ho, outWidth: Wo, taps: T, groups: G, channels: C, channelsPerGroup: Cg } = g;
  const { first, step } = channelStrides(g);
  const { pixels, start, taps } = borderPixels(g);
  for (let b = 0; b < g.batch; b++) {
    for (let n = 0; n < pixels.length; n++) {
      const pixel = b * Ho * Wo + pixels[n]!;
      const row = pixel * T * G;
      // All groups of the pixel's out-of-image taps at once (each tap's G values are adjacent); the rare pixel
      // with a NaN or ±Inf among them is then resolved per group.
      let products = 0;
      for (let q = start[n]!; q < start[n + 1]!; q++) {
        const tap = row + taps[q]! * G;
        for (let gi = 0; gi < G; gi++) products += kernel[tap + gi]! * 0;
      }
      if (products === 0) continue;
      for (let gi = 0; gi < G; gi++) {
        let groupProducts = 0;
        for (let q = start[n]!; q < start[n + 1]!; q++) groupProducts += kernel[row + taps[q]! * G + gi]! * 0;
        if (groupProducts === 0) continue;
        for (let c = 0; c < Cg; c++) out[pixel * C + gi * first + c * step] = NaN;
      }
    }
  }
}

/** Kernel gradient: Σ_c 0·dy[c] over a group is NaN at every out-of-image tap when one of its dy is NaN or ±Inf. */
export function kernelGradientPaddingTaps(
  _x: Float32Array,
  dy: Float32Array,
  g: InvolutionGeometry,
  dkernel: Float32Array,
): void {
  const { outHeight: Ho, outWidth: Wo, taps: T, groups: G, channels: C, channelsPerGroup: Cg } = g;
  const { first, step } = channelStrides(g);
  const { pixels, start, taps } = borderPixels(g);
  for (let b = 0; b < g.batch; b++) {
    for (let n = 0; n < pixels.length; n++) {
      const pixel = b * Ho * Wo + pixels[n]!;
      // The pixel's C values of dy are adjacent: one pass over them, per group only when one is not finite.
      let products = 0;
      for (let c = pixel * C; c < (pixel + 1) * C; c++) products += dy[c]! * 0;
      if (products === 0) continue;
      for (let gi = 0; gi < G; gi++) {
        const base = pixel * C + gi * first;
        let groupProducts = 0;
        for (let c = 0; c < Cg; c++) groupProducts += dy[base + c * step]! * 0;
        if (groupProducts === 0) continue;
        for (let q = start[n]!; q < start[n + 1]!; q++) dkernel[(pixel * T + taps[q]!) * G + gi] = NaN;
      }
    }
  }
}
