import type { InvolutionGeometry } from '../../op/geometry.js';
import { tapGather, type GatherPlan } from './tap_gather.js';
import { axisTaps } from './taps.js';

/**
 * The forward taps: for each output pixel, its in-image input pixels (source x) and kernel entries. Also the
 * taps of the kernel gradient, whose output has the kernel's layout.
 */
export function forwardGatherPlan(g: InvolutionGeometry): GatherPlan {
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
    rows: axisTaps('forward', H, Ho, g, { sourceScale: W * C, outScale: Wo * T * G, tapScale: K * G }),
    cols: axisTaps('forward', W, Wo, g, { sourceScale: C, outScale: T * G, tapScale: G }),
    sourceBatchStride: H * W * C,
    weightBatchStride: Ho * Wo * T * G,
  };
}

/**
 * Forward involution on flat NHWC float32 data; writes every element of `out` [B,Ho,Wo,C]: each output pixel
 * gathers its in-image taps of x, weighted by its own kernel.
 */
export function involutionForwardTyped(
  x: Float32Array,
  kernel: Float32Array,
  g: InvolutionGeometry,
  out: Float32Array,
): void {
  tapGather(x, kernel, forwardGatherPlan(g), g, out);
}
