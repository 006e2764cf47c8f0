/**
 * Involution written with stock tfjs ops, for any backend without a fused kernel (tensorflow included).
 * It never materialises the B·Ho·Wo·K²·C patch tensor: each of the K² taps is a shifted, strided view of
 * the padded input, multiplied by its kernel tap and accumulated, so memory stays O(B·Ho·Wo·C).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { InvolutionGeometry } from './geometry.js';

/** Zero-pads x so every tap's strided window [u*d, u*d + Ho*s) is inside it. */
function padForTaps(x: tf.Tensor4D, g: InvolutionGeometry): tf.Tensor4D {
  const needH = (g.kernelSize - 1) * g.dilation + g.outHeight * g.stride;
  const needW = (g.kernelSize - 1) * g.dilation + g.outWidth * g.stride;
  const cropped = tf.slice(
    x,
    [0, 0, 0, 0],
    [g.batch, Math.min(g.inHeight, needH - g.pad), Math.min(g.inWidth, needW - g.pad), g.channels],
  );
  const bottom = Math.max(0, needH - g.pad - g.inHeight);
  const right = Math.max(0, needW - g.pad - g.inWidth);
  return tf.pad(cropped, [
    [0, 0],
    [g.pad, bottom],
    [g.pad, right],
    [0, 0],
  ]);
}

/** The [B,Ho,Wo,C] view x_pad[b, i*s + u*d, j*s + v*d, c] (slice + reshape: both have stock gradients). */
function tapWindow(xPadded: tf.Tensor4D, g: InvolutionGeometry, u: number, v: number): tf.Tensor4D {
  const { batch: B, outHeight: Ho, outWidth: Wo, stride: s, channels: C } = g;
  const window = tf.slice(xPadded, [0, u * g.dilation, v * g.dilation, 0], [B, Ho * s, Wo * s, C]);
  if (s === 1) return window;
  // Every s-th row and column, kept at rank 4 ([B·Ho, s, Wo, s·C], then the first row and the first C of each
  // s·C): some backends (webgpu) cannot slice rank-6 tensors.
  return tf.reshape(tf.slice(tf.reshape(window, [B * Ho, s, Wo, s * C]), [0, 0, 0, 0], [B * Ho, 1, Wo, C]), [
    B,
    Ho,
    Wo,
    C,
  ]);
}

/** Shapes that make a [B,Ho,Wo,C] tensor and a [B,Ho,Wo,G] tap broadcast per group. */
function groupShapes(g: InvolutionGeometry): { channelView: number[]; tapView: number[] } {
  const { batch: B, outHeight: Ho, outWidth: Wo, groups: G, channelsPerGroup: Cg } = g;
  return g.groupLayout === 'contiguous'
    ? { channelView: [B, Ho, Wo, G, Cg], tapView: [B, Ho, Wo, G, 1] }
    : { channelView: [B, Ho, Wo, Cg, G], tapView: [B, Ho, Wo, 1, G] };
}

function kernelTap(kernel: tf.Tensor5D, g: InvolutionGeometry, t: number, tapView: number[]): tf.Tensor {
  return tf.reshape(
    tf.slice(kernel, [0, 0, 0, t, 0], [g.batch, g.outHeight, g.outWidth, 1, g.groups]),
    tapView,
  );
}

/** Accumulates one term per tap, disposing partial sums as it goes (forward memory stays O(output)). */
function accumulateTaps(
  g: InvolutionGeometry,
  term: (u: number, v: number, t: number) => tf.Tensor,
): tf.Tensor {
  let acc: tf.Tensor | null = null;
  for (let u = 0; u < g.kernelSize; u++) {
    for (let v = 0; v < g.kernelSize; v++) {
      const previous: tf.Tensor | null = acc;
      acc = tf.tidy(() =>
        previous === null
          ? term(u, v, u * g.kernelSize + v)
          : tf.add(previous, term(u, v, u * g.kernelSize + v)),
      );
      previous?.dispose();
    }
  }
  return acc as tf.Tensor;
}

export function involutionForwardComposite(
  x: tf.Tensor4D,
  kernel: tf.Tensor5D,
  g: InvolutionGeometry,
): tf.Tensor4D {
  const { channelView, tapView } = groupShapes(g);
  const xPadded = padForTaps(x, g);
  const out = accumulateTaps(g, (u, v, t) =>
    tf.mul(tf.reshape(tapWindow(xPadded, g, u, v), channelView), kernelTap(kernel, g, t, tapView)),
  );
  xPadded.dispose();
  const result = tf.reshape(out, [g.batch, g.outHeight, g.outWidth, g.channels]) as tf.Tensor4D;
  out.dispose();
  return result;
}

export function involutionBackpropKernelComposite(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  g: InvolutionGeometry,
): tf.Tensor5D {
  return tf.tidy(() => {
    const { channelView } = groupShapes(g);
    const channelAxis = g.groupLayout === 'contiguous' ? 4 : 3;
    const xPadded = padForTaps(x, g);
    const dyGrouped = tf.reshape(dy, channelView);
    const taps: tf.Tensor[] = [];
    for (let u = 0; u < g.kernelSize; u++) {
      for (let v = 0; v < g.kernelSize; v++) {
        taps.push(
          tf.sum(tf.mul(tf.reshape(tapWindow(xPadded, g, u, v), channelView), dyGrouped), channelAxis),
        );
      }
    }
    return tf.stack(taps, 3) as tf.Tensor5D;
  });
}

export function involutionBackpropInputComposite(
  dy: tf.Tensor4D,
  kernel: tf.Tensor5D,
  g: InvolutionGeometry,
): tf.Tensor4D {
  const { batch: B, outHeight: Ho, outWidth: Wo, stride: s, channels: C, dilation: d } = g;
  const { channelView, tapView } = groupShapes(g);
  const paddedH = (g.kernelSize - 1) * d + Ho * s;
  const paddedW = (g.kernelSize - 1) * d + Wo * s;
  // Each tap scatters dy·k_t back onto the padded grid at rows u*d + i*s: spread by the stride, then shift.
  const dxPadded = accumulateTaps(g, (u, v, t) => {
    const term = tf.reshape(tf.mul(tf.reshape(dy, channelView), kernelTap(kernel, g, t, tapView)), [
      B,
      Ho,
      Wo,
      C,
    ]);
    // The inverse of tapWindow's stride, at rank 4: zeros after each row and after each pixel's C channels.
    const spread =
      s === 1
        ? term
        : tf.reshape(
            tf.pad(tf.reshape(term, [B * Ho, 1, Wo, C]), [
              [0, 0],
              [0, s - 1],
              [0, 0],
              [0, (s - 1) * C],
            ]),
            [B, Ho * s, Wo * s, C],
          );
    return tf.pad(spread, [
      [0, 0],
      [u * d, paddedH - u * d - Ho * s],
      [v * d, paddedW - v * d - Wo * s],
      [0, 0],
    ]);
  });
  return tf.tidy(() => {
    // Undo the padding: rows [pad, pad+H) of the padded grid are x's rows; rows past the grid got no gradient.
    const h = Math.min(g.inHeight, paddedH - g.pad);
    const w = Math.min(g.inWidth, paddedW - g.pad);
    const inner = tf.slice(dxPadded, [0, g.pad, g.pad, 0], [B, h, w, C]);
    dxPadded.dispose();
    return tf.pad(inner, [
      [0, 0],
      [0, g.inHeight - h],
      [0, g.inWidth - w],
      [0, 0],
    ]) as tf.Tensor4D;
  });
}
