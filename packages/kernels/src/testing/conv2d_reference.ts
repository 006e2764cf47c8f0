/**
 * Float64 reference of NHWC Conv2D and its gradients, written from the definition with its own TensorFlow
 * padding rules and no code shared with the kernels: the ground truth for the fast convolution kernels.
 */
import type { ReferenceArray } from './reference_array.js';

export interface Conv2DReferenceOptions {
  stride: number;
  pad: 'same' | 'valid';
  dilation?: number;
}

interface Geometry {
  outHeight: number;
  outWidth: number;
  top: number;
  left: number;
}

/** TensorFlow's rule: 'same' keeps ceil(n/s) outputs and puts the odd padding element at the end. */
function axis(n: number, k: number, s: number, d: number, pad: 'same' | 'valid'): [number, number] {
  const span = (k - 1) * d + 1;
  if (pad === 'valid') return [Math.ceil((n - span + 1) / s), 0];
  const out = Math.ceil(n / s);
  return [out, Math.floor(Math.max((out - 1) * s + span - n, 0) / 2)];
}

function geometry(xShape: number[], wShape: number[], o: Conv2DReferenceOptions): Geometry {
  const d = o.dilation ?? 1;
  const [outHeight, top] = axis(xShape[1]!, wShape[0]!, o.stride, d, o.pad);
  const [outWidth, left] = axis(xShape[2]!, wShape[1]!, o.stride, d, o.pad);
  return { outHeight, outWidth, top, left };
}

/** Visits every (x, w, y) index triple of the convolution sum, skipping padding. */
function forEachTerm(
  xShape: number[],
  wShape: number[],
  o: Conv2DReferenceOptions,
  visit: (xi: number, wi: number, yi: number) => void,
): Geometry {
  const [batch, h, w, ci] = xShape as [number, number, number, number];
  const [kh, kw, , co] = wShape as [number, number, number, number];
  const g = geometry(xShape, wShape, o);
  const d = o.dilation ?? 1;
  for (let b = 0; b < batch; b++)
    for (let i = 0; i < g.outHeight; i++)
      for (let j = 0; j < g.outWidth; j++)
        for (let u = 0; u < kh; u++)
          for (let v = 0; v < kw; v++) {
            const y = i * o.stride + u * d - g.top;
            const x = j * o.stride + v * d - g.left;
            if (y < 0 || y >= h || x < 0 || x >= w) continue;
            for (let c = 0; c < ci; c++)
              for (let k = 0; k < co; k++) {
                visit(
                  ((b * h + y) * w + x) * ci + c,
                  ((u * kw + v) * ci + c) * co + k,
                  ((b * g.outHeight + i) * g.outWidth + j) * co + k,
                );
              }
          }
  return g;
}

export function conv2dReference(
  x: ReferenceArray,
  w: ReferenceArray,
  options: Conv2DReferenceOptions,
): ReferenceArray {
  const g = geometry(x.shape, w.shape, options);
  const out = new Float64Array(x.shape[0]! * g.outHeight * g.outWidth * w.shape[3]!);
  forEachTerm(x.shape, w.shape, options, (xi, wi, yi) => {
    out[yi]! += x.data[xi]! * w.data[wi]!;
  });
  return { data: out, shape: [x.shape[0]!, g.outHeight, g.outWidth, w.shape[3]!] };
}

/** Gradients of `sum(conv2d(x, w) * dy)` w.r.t. x and w. */
export function conv2dGradReference(
  x: ReferenceArray,
  w: ReferenceArray,
  dy: ReferenceArray,
  options: Conv2DReferenceOptions,
): { dx: ReferenceArray; dw: ReferenceArray } {
  const dx = new Float64Array(x.data.length);
  const dw = new Float64Array(w.data.length);
  forEachTerm(x.shape, w.shape, options, (xi, wi, yi) => {
    dx[xi]! += w.data[wi]! * dy.data[yi]!;
    dw[wi]! += x.data[xi]! * dy.data[yi]!;
  });
  return { dx: { data: dx, shape: [...x.shape] }, dw: { data: dw, shape: [...w.shape] } };
}
