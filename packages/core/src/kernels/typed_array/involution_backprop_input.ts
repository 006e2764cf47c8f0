import type { InvolutionGeometry } from '../../op/geometry.js';
import { tapGather, type GatherPlan } from './tap_gather.js';
import { axisTaps } from './taps.js';

/** The input gradient's taps: for each input pixel, the (output pixel, tap) pairs that read it (source dy). */
export function inputGatherPlan(g: InvolutionGeometry): GatherPlan {
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
  return {
    rows: axisTaps('input', H, Ho, g, { sourceScale: Wo * C, outScale: Wo * T * G, tapScale: K * G }),
    cols: axisTaps('input', W, Wo, g, { sourceScale: C, outScale: T * G, tapScale: G }),
    sourceBatchStride: Ho * Wo * C,
    weightBatchStride: Ho * Wo * T * G,
  };
}

/**
 * Gradient w.r.t. x on flat NHWC float32 data, as a gather: each input pixel sums, over the (tap, output
 * pixel) pairs that read it, `kernel[b,i,j,t,g(c)] · dy[b,i,j,c]`. No scatter, so every element of `dx` is
 * written exactly once (the model for the parallel GPU kernels); pixels no tap reads get 0.
 */
export function involutionBackpropInputTyped(
  dy: Float32Array,
  kernel: Float32Array,
  g: InvolutionGeometry,
  dx: Float32Array,
): void {
  tapGather(dy, kernel, inputGatherPlan(g), g, dx);
}
