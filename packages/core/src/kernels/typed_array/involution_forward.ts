import type { InvolutionGeometry } from '../../op/geometry.js';
import { gatherPlan, tapGather } from './tap_gather.js';

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
  tapGather(x, kernel, gatherPlan('forward', g), g, out);
}
