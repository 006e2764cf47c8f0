/**
 * Depthwise convolution gradients on flat NHWC float32 data, for backends whose stock kernels lack them (wasm):
 * filter [Kh, Kw, C, M], output channel `c·M + m`. Pixels come from the convolution's tap table (strides,
 * dilations and padding live there), so both loops are plain multiply-adds.
 */
import type { Conv2DInfo } from './conv2d_info.js';

/** `dx[p, c] = Σ_{m, taps t of output pixel o reading p} dy[o, c·M + m] · w[t, c, m]` (scatter: one thread, no races). */
export function depthwiseBackpropInputTyped(
  dy: Float32Array,
  w: Float32Array,
  info: Conv2DInfo,
  table: Int32Array,
): Float32Array {
  const {
    batchSize,
    inHeight,
    inWidth,
    inChannels: C,
    outHeight,
    outWidth,
    outChannels,
    filterHeight,
    filterWidth,
  } = info;
  const M = outChannels / C;
  const T = filterHeight * filterWidth;
  const dx = new Float32Array(batchSize * inHeight * inWidth * C);
  for (let o = 0; o < batchSize * outHeight * outWidth; o++) {
    const dyPixel = o * outChannels;
    for (let t = 0; t < T; t++) {
      const p = table[o * T + t]!;
      if (p < 0) continue;
      const dxPixel = p * C;
      const wTap = t * C * M;
      for (let c = 0; c < C; c++) {
        let sum = 0;
        for (let m = 0; m < M; m++) sum += dy[dyPixel + c * M + m]! * w[wTap + c * M + m]!;
        dx[dxPixel + c]! += sum;
      }
    }
  }
  return dx;
}

/** `dw[t, c, m] = Σ_{output pixels o} x[tap t of o, c] · dy[o, c·M + m]`, accumulated in float64. */
export function depthwiseBackpropFilterTyped(
  x: Float32Array,
  dy: Float32Array,
  info: Conv2DInfo,
  table: Int32Array,
): Float32Array {
  const { batchSize, inChannels: C, outHeight, outWidth, outChannels, filterHeight, filterWidth } = info;
  const M = outChannels / C;
  const T = filterHeight * filterWidth;
  const dw = new Float64Array(T * C * M);
  for (let o = 0; o < batchSize * outHeight * outWidth; o++) {
    const dyPixel = o * outChannels;
    for (let t = 0; t < T; t++) {
      const p = table[o * T + t]!;
      if (p < 0) continue;
      const xPixel = p * C;
      const wTap = t * C * M;
      for (let c = 0; c < C; c++) {
        const xv = x[xPixel + c]!;
        for (let m = 0; m < M; m++) dw[wTap + c * M + m]! += xv * dy[dyPixel + c * M + m]!;
      }
    }
  }
  return Float32Array.from(dw);
}
