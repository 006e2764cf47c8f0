/**
 * Float64 reference implementation of involution and its gradients, written straight from the formula with
 * no shared code from the kernels: the ground truth the tests compare every backend against.
 */
import type { ReferenceArray } from '@inv/kernels/testing';
import { involutionGeometry, groupOfChannel, type InvolutionGeometry } from '../op/geometry.js';
import { resolveInvolutionAttrs, type Involution2DOptions } from '../op/options.js';

function geometryOf(
  xShape: number[],
  kernelShape: number[],
  options: Involution2DOptions,
): InvolutionGeometry {
  return involutionGeometry(xShape, resolveInvolutionAttrs(xShape, kernelShape, options, 'reference'));
}

/** Visits every (b,i,j,c,u,v) term with the flat indices of x (or -1 when outside the image), kernel and out. */
function forEachTerm(
  g: InvolutionGeometry,
  visit: (xIndex: number, kIndex: number, oIndex: number) => void,
): void {
  const K = g.kernelSize;
  for (let b = 0; b < g.batch; b++)
    for (let i = 0; i < g.outHeight; i++)
      for (let j = 0; j < g.outWidth; j++)
        for (let c = 0; c < g.channels; c++) {
          const group = groupOfChannel(c, g);
          const oIndex = ((b * g.outHeight + i) * g.outWidth + j) * g.channels + c;
          for (let u = 0; u < K; u++)
            for (let v = 0; v < K; v++) {
              const y = i * g.stride + u * g.dilation - g.pad;
              const x = j * g.stride + v * g.dilation - g.pad;
              const inside = y >= 0 && y < g.inHeight && x >= 0 && x < g.inWidth;
              const xIndex = inside ? ((b * g.inHeight + y) * g.inWidth + x) * g.channels + c : -1;
              const kIndex =
                (((b * g.outHeight + i) * g.outWidth + j) * g.taps + u * K + v) * g.groups + group;
              visit(xIndex, kIndex, oIndex);
            }
        }
}

/**
 * x zero-padded: an out-of-image tap still multiplies, as in the formula (and PyTorch), so its term is 0, or
 * NaN when the other factor is NaN or ±Inf.
 */
function paddedX(x: ReferenceArray, xIndex: number): number {
  return xIndex >= 0 ? x.data[xIndex]! : 0;
}

export function involution2dReference(
  x: ReferenceArray,
  kernel: ReferenceArray,
  options: Involution2DOptions,
): ReferenceArray {
  const g = geometryOf(x.shape, kernel.shape, options);
  const out = new Float64Array(g.batch * g.outHeight * g.outWidth * g.channels);
  forEachTerm(g, (xi, ki, oi) => {
    out[oi]! += kernel.data[ki]! * paddedX(x, xi);
  });
  return { data: out, shape: [g.batch, g.outHeight, g.outWidth, g.channels] };
}

/** Gradients of `sum(out * dy)` w.r.t. x and kernel. */
export function involution2dGradReference(
  x: ReferenceArray,
  kernel: ReferenceArray,
  dy: ReferenceArray,
  options: Involution2DOptions,
): { dx: ReferenceArray; dkernel: ReferenceArray } {
  const g = geometryOf(x.shape, kernel.shape, options);
  const dx = new Float64Array(x.data.length);
  const dk = new Float64Array(kernel.data.length);
  forEachTerm(g, (xi, ki, oi) => {
    dk[ki]! += paddedX(x, xi) * dy.data[oi]!;
    if (xi >= 0) dx[xi]! += kernel.data[ki]! * dy.data[oi]!;
  });
  return { dx: { data: dx, shape: [...x.shape] }, dkernel: { data: dk, shape: [...kernel.shape] } };
}
