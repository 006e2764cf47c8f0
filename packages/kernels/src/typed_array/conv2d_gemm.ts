/**
 * The cpu convolution math over NHWC typed arrays, as per-tap GEMM updates driven by {@link convTapTable}: each
 * (output pixel, tap) pair multiplies one input row by the tap's [Ci, Co] filter block. Sums are carried in
 * float64 (JS arithmetic is double anyway) and rounded to float32 once.
 */
import type { Conv2DInfo } from './conv2d_info.js';

/** `out[o+n] += a0*b[i0+n] + a1*b[i1+n] + a2*b[i2+n] + a3*b[i3+n]` for n < len: four terms per pass over out. */
function axpy4(
  out: Float64Array,
  o: number,
  len: number,
  b: Float32Array,
  a0: number,
  i0: number,
  a1: number,
  i1: number,
  a2: number,
  i2: number,
  a3: number,
  i3: number,
): void {
  for (let n = 0; n < len; n++) {
    out[o + n]! += a0 * b[i0 + n]! + a1 * b[i1 + n]! + a2 * b[i2 + n]! + a3 * b[i3 + n]!;
  }
}

function axpy1(out: Float64Array, o: number, len: number, b: Float32Array, a: number, i: number): void {
  for (let n = 0; n < len; n++) out[o + n]! += a * b[i + n]!;
}

/** `out[o .. o+n) += a[ai .. ai+k) · B`, B the row-major k×n block of `b` at `bi`. */
function rowTimesBlock(
  out: Float64Array,
  o: number,
  n: number,
  a: Float32Array,
  ai: number,
  b: Float32Array,
  bi: number,
  k: number,
): void {
  let c = 0;
  for (; c + 4 <= k; c += 4) {
    const at = ai + c;
    const bt = bi + c * n;
    axpy4(out, o, n, b, a[at]!, bt, a[at + 1]!, bt + n, a[at + 2]!, bt + 2 * n, a[at + 3]!, bt + 3 * n);
  }
  for (; c < k; c++) axpy1(out, o, n, b, a[ai + c]!, bi + c * n);
}

const pixels = (info: Conv2DInfo): number => info.batchSize * info.outHeight * info.outWidth;
const tapsOf = (info: Conv2DInfo): number => info.filterHeight * info.filterWidth;

/** Forward: `y[m, :] = Σ_t x[p(m,t), :] · w[t]`, w `[T, Ci, Co]`. */
export function conv2dForwardTyped(
  x: Float32Array,
  w: Float32Array,
  info: Conv2DInfo,
  table: Int32Array,
): Float32Array {
  const { inChannels: ci, outChannels: co } = info;
  const taps = tapsOf(info);
  const y = new Float32Array(pixels(info) * co);
  const acc = new Float64Array(co);
  for (let m = 0; m < pixels(info); m++) {
    acc.fill(0);
    for (let t = 0; t < taps; t++) {
      const p = table[m * taps + t]!;
      if (p >= 0) rowTimesBlock(acc, 0, co, x, p * ci, w, t * ci * co, ci);
    }
    y.set(acc, m * co);
  }
  return y;
}

/**
 * Input gradient: `dx[p(m,t), :] += dy[m, :] · w[t]ᵀ`. The filter is transposed once to `[T, Co, Ci]` (it is
 * small) so the update is the same contiguous row-times-block as the forward pass.
 */
export function conv2dBackpropInputTyped(
  dy: Float32Array,
  w: Float32Array,
  info: Conv2DInfo,
  table: Int32Array,
): Float32Array {
  const { inChannels: ci, outChannels: co, batchSize, inHeight, inWidth } = info;
  const taps = tapsOf(info);
  const wT = new Float32Array(w.length);
  for (let t = 0; t < taps; t++)
    for (let c = 0; c < ci; c++)
      for (let k = 0; k < co; k++) wT[(t * co + k) * ci + c] = w[(t * ci + c) * co + k]!;
  const dx = new Float64Array(batchSize * inHeight * inWidth * ci);
  for (let m = 0; m < pixels(info); m++) {
    for (let t = 0; t < taps; t++) {
      const p = table[m * taps + t]!;
      if (p >= 0) rowTimesBlock(dx, p * ci, ci, dy, m * co, wT, t * co * ci, co);
    }
  }
  return Float32Array.from(dx);
}

/**
 * Filter gradient: `dw[t] = Σ_m x[p(m,t), :]ᵀ ⊗ dy[m, :]`, four pixels per pass over the `[Ci, Co]` block of
 * tap t (which stays in L1 while all pixels stream through).
 */
export function conv2dBackpropFilterTyped(
  x: Float32Array,
  dy: Float32Array,
  info: Conv2DInfo,
  table: Int32Array,
): Float32Array {
  const { inChannels: ci, outChannels: co } = info;
  const taps = tapsOf(info);
  const dw = new Float64Array(taps * ci * co);
  const ms = new Int32Array(4);
  const ps = new Int32Array(4);
  for (let t = 0; t < taps; t++) {
    const block = t * ci * co;
    let n = 0;
    for (let m = 0; m < pixels(info); m++) {
      const p = table[m * taps + t]!;
      if (p < 0) continue;
      ms[n] = m * co;
      ps[n] = p * ci;
      if (++n < 4) continue;
      n = 0;
      for (let c = 0; c < ci; c++) {
        axpy4(
          dw,
          block + c * co,
          co,
          dy,
          x[ps[0]! + c]!,
          ms[0]!,
          x[ps[1]! + c]!,
          ms[1]!,
          x[ps[2]! + c]!,
          ms[2]!,
          x[ps[3]! + c]!,
          ms[3]!,
        );
      }
    }
    for (let r = 0; r < n; r++)
      for (let c = 0; c < ci; c++) axpy1(dw, block + c * co, co, dy, x[ps[r]! + c]!, ms[r]!);
  }
  return Float32Array.from(dw);
}
