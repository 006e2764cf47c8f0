import type { InvolutionGeometry } from '../../op/geometry.js';
import { gatherPlan, tapGather } from './tap_gather.js';

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
  tapGather(dy, kernel, gatherPlan('input', g), g, dx);
}
