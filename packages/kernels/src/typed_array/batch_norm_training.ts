/**
 * Batch-norm training step on typed arrays, channels last (`C` innermost), two sequential passes each way
 * where tfjs's moments + batchNorm + relu and their gradients make about twenty full-size ones. Statistics
 * are accumulated in float64. Every pass takes four rows per step, so each per-channel value (accumulator,
 * factor) is loaded and stored once per four elements, and the ReLU and its mask are branch-free: about half
 * the signs are random, and a mispredicted branch per element cost 3–5× these passes' time in V8.
 */

/** Inputs shared by both directions: `x` and its per-channel parameters. */
export interface BatchNormTensors {
  x: Float32Array;
  scale: Float32Array;
  epsilon: number;
  relu: boolean;
}

/** The rows a four-row step covers: `[0, end)` in steps of `4·C`; the remaining rows go one at a time. */
const unrolledEnd = (length: number, C: number): number => length - (length % (4 * C));

/** `Σ (x − shift)` and `Σ (x − shift)²` per channel. */
function shiftedSums(
  x: Float32Array,
  shift: Float64Array,
  sum: Float64Array,
  sumSquares: Float64Array,
): void {
  const C = shift.length;
  const end = unrolledEnd(x.length, C);
  for (let base = 0; base < end; base += 4 * C) {
    for (let c = 0; c < C; c++) {
      const i = base + c;
      const s = shift[c]!;
      const d0 = x[i]! - s;
      const d1 = x[i + C]! - s;
      const d2 = x[i + 2 * C]! - s;
      const d3 = x[i + 3 * C]! - s;
      sum[c]! += d0 + d1 + (d2 + d3);
      sumSquares[c]! += d0 * d0 + d1 * d1 + (d2 * d2 + d3 * d3);
    }
  }
  for (let base = end; base < x.length; base += C) {
    for (let c = 0; c < C; c++) {
      const d = x[base + c]! - shift[c]!;
      sum[c]! += d;
      sumSquares[c]! += d * d;
    }
  }
}

/**
 * `out = p·v + q·|v|` with `v = a·x + b` per channel: v itself for (p, q) = (1, 0), ReLU(v) for (½, ½),
 * without a branch (NaN passes through).
 */
function affine(x: Float32Array, a: Float64Array, b: Float64Array, relu: boolean, out: Float32Array): void {
  const C = a.length;
  const p = relu ? 0.5 : 1;
  const q = relu ? 0.5 : 0;
  const end = unrolledEnd(x.length, C);
  for (let base = 0; base < end; base += 4 * C) {
    for (let c = 0; c < C; c++) {
      const i = base + c;
      const ac = a[c]!;
      const bc = b[c]!;
      const v0 = x[i]! * ac + bc;
      const v1 = x[i + C]! * ac + bc;
      const v2 = x[i + 2 * C]! * ac + bc;
      const v3 = x[i + 3 * C]! * ac + bc;
      out[i] = p * v0 + q * Math.abs(v0);
      out[i + C] = p * v1 + q * Math.abs(v1);
      out[i + 2 * C] = p * v2 + q * Math.abs(v2);
      out[i + 3 * C] = p * v3 + q * Math.abs(v3);
    }
  }
  for (let base = end; base < x.length; base += C) {
    for (let c = 0; c < C; c++) {
      const v = x[base + c]! * a[c]! + b[c]!;
      out[base + c] = p * v + q * Math.abs(v);
    }
  }
}

/**
 * `y = act((x − μ)·scale/√(σ² + ε) + offset)`, with μ and the biased σ² of `x` over all rows, written to
 * `mean` and `variance`. Sums are shifted by the first row, so a large mean does not cancel the variance away.
 */
/** Per-channel factors of the normalisation: `y = act(gain·x + bias)`. */
export interface NormalizeFactors {
  gain: Float64Array;
  bias: Float64Array;
}

/**
 * Writes `mean` and the biased `variance` from the sums of x − shift and their squares over `rows` rows (see
 * `shiftedSums`), and returns the factors that normalise x with them.
 */
export function normalizeFactors(
  shift: ArrayLike<number>,
  sum: Float64Array,
  sumSquares: Float64Array,
  rows: number,
  { scale, epsilon }: Pick<BatchNormTensors, 'scale' | 'epsilon'>,
  offset: Float32Array,
  mean: Float32Array,
  variance: Float32Array,
): NormalizeFactors {
  const C = scale.length;
  const gain = new Float64Array(C);
  const bias = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    const shiftedMean = sum[c]! / rows;
    const m = shift[c]! + shiftedMean;
    const v = Math.max(0, sumSquares[c]! / rows - shiftedMean * shiftedMean);
    mean[c] = m;
    variance[c] = v;
    gain[c] = scale[c]! / Math.sqrt(v + epsilon);
    bias[c] = offset[c]! - m * gain[c]!;
  }
  return { gain, bias };
}

/**
 * `y = act((x − μ)·scale/√(σ² + ε) + offset)`, with μ and the biased σ² of `x` over all rows, written to
 * `mean` and `variance`. Sums are shifted by the first row, so a large mean does not cancel the variance away.
 */
export function batchNormTrainingForward(
  tensors: BatchNormTensors,
  offset: Float32Array,
  y: Float32Array,
  mean: Float32Array,
  variance: Float32Array,
): void {
  const { x, scale, relu } = tensors;
  const C = scale.length;
  const shift = Float64Array.from(x.subarray(0, C));
  const sum = new Float64Array(C);
  const sumSquares = new Float64Array(C);
  shiftedSums(x, shift, sum, sumSquares);
  const { gain, bias } = normalizeFactors(
    shift,
    sum,
    sumSquares,
    x.length / C,
    tensors,
    offset,
    mean,
    variance,
  );
  affine(x, gain, bias, relu, y);
}

/** What the backward pass reads besides {@link BatchNormTensors}. */
export interface BatchNormGradInputs {
  dy: Float32Array;
  /** The forward output; with `relu`, `y > 0` masks dy (y is a ReLU's output: ≥ 0, or NaN, which passes). */
  y: Float32Array;
  mean: Float32Array;
  variance: Float32Array;
  /** Gradients reaching the `mean` and `variance` outputs (zeros when nothing used them). */
  dMean: Float32Array;
  dVariance: Float32Array;
}

/**
 * The gate of dy per element, 1 or 0 without a branch: with ReLU, whether y ≠ 0 (y ≥ 0 there: `bits` are y's
 * float32 bits, and `(b | −b) >>> 31` is 1 for any non-zero b); without, `pass` = 1 makes it always 1.
 */
const gate = (bits: number, pass: number): number => ((bits | -bits) >>> 31) | pass;

/** `Σg` and `Σg·(x − μ)` per channel, `g = dy·gate`. */
function gradientSums(
  x: Float32Array,
  dy: Float32Array,
  yBits: Int32Array,
  pass: number,
  mean: Float64Array,
  sumG: Float64Array,
  sumGCentred: Float64Array,
): void {
  const C = mean.length;
  const end = unrolledEnd(x.length, C);
  for (let base = 0; base < end; base += 4 * C) {
    for (let c = 0; c < C; c++) {
      const i = base + c;
      const m = mean[c]!;
      const g0 = dy[i]! * gate(yBits[i]!, pass);
      const g1 = dy[i + C]! * gate(yBits[i + C]!, pass);
      const g2 = dy[i + 2 * C]! * gate(yBits[i + 2 * C]!, pass);
      const g3 = dy[i + 3 * C]! * gate(yBits[i + 3 * C]!, pass);
      sumG[c]! += g0 + g1 + (g2 + g3);
      sumGCentred[c]! +=
        g0 * (x[i]! - m) + g1 * (x[i + C]! - m) + (g2 * (x[i + 2 * C]! - m) + g3 * (x[i + 3 * C]! - m));
    }
  }
  for (let base = end; base < x.length; base += C) {
    for (let c = 0; c < C; c++) {
      const g = dy[base + c]! * gate(yBits[base + c]!, pass);
      sumG[c]! += g;
      sumGCentred[c]! += g * (x[base + c]! - mean[c]!);
    }
  }
}

/** `dx = a·g + k₁·x + k₀` per channel (k₀ here already holds −k₁·μ). */
function gradientApply(
  x: Float32Array,
  dy: Float32Array,
  yBits: Int32Array,
  pass: number,
  a: Float64Array,
  k1: Float64Array,
  k0: Float64Array,
  dx: Float32Array,
): void {
  const C = a.length;
  const end = unrolledEnd(x.length, C);
  for (let base = 0; base < end; base += 4 * C) {
    for (let c = 0; c < C; c++) {
      const i = base + c;
      const ac = a[c]!;
      const k1c = k1[c]!;
      const k0c = k0[c]!;
      dx[i] = ac * dy[i]! * gate(yBits[i]!, pass) + k1c * x[i]! + k0c;
      dx[i + C] = ac * dy[i + C]! * gate(yBits[i + C]!, pass) + k1c * x[i + C]! + k0c;
      dx[i + 2 * C] = ac * dy[i + 2 * C]! * gate(yBits[i + 2 * C]!, pass) + k1c * x[i + 2 * C]! + k0c;
      dx[i + 3 * C] = ac * dy[i + 3 * C]! * gate(yBits[i + 3 * C]!, pass) + k1c * x[i + 3 * C]! + k0c;
    }
  }
  for (let base = end; base < x.length; base += C) {
    for (let c = 0; c < C; c++) {
      dx[base + c] = a[c]! * dy[base + c]! * gate(yBits[base + c]!, pass) + k1[c]! * x[base + c]! + k0[c]!;
    }
  }
}

/** Per-channel factors of the input gradient: `dx = gain·g + k1·(x − μ) + k0`. */
export interface GradientFactors {
  gain: Float64Array;
  k1: Float64Array;
  k0: Float64Array;
}

/**
 * With g = dy (masked by y > 0 under relu), a = scale/√(σ² + ε), N rows: writes `dOffset = Σg` and
 * `dScale = Σg·x̂`, and returns the factors of `dx = a·g + k₁·(x − μ) + k₀`, where
 * `k₁ = (2·dσ² − a·Σg·x̂/√(σ² + ε))/N` and `k₀ = (dμ − a·Σg)/N` gather the paths through μ and σ².
 */
export function gradientFactors(
  sumG: Float64Array,
  sumGCentred: Float64Array,
  rows: number,
  { scale, epsilon }: Pick<BatchNormTensors, 'scale' | 'epsilon'>,
  { variance, dMean, dVariance }: Pick<BatchNormGradInputs, 'variance' | 'dMean' | 'dVariance'>,
  dScale: Float32Array,
  dOffset: Float32Array,
): GradientFactors {
  const C = scale.length;
  const gain = new Float64Array(C);
  const k1 = new Float64Array(C);
  const k0 = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    const invStd = 1 / Math.sqrt(variance[c]! + epsilon);
    gain[c] = scale[c]! * invStd;
    dOffset[c] = sumG[c]!;
    dScale[c] = sumGCentred[c]! * invStd;
    k1[c] = (2 * dVariance[c]! - gain[c]! * invStd * invStd * sumGCentred[c]!) / rows;
    k0[c] = (dMean[c]! - gain[c]! * sumG[c]!) / rows;
  }
  return { gain, k1, k0 };
}

/** The batch-norm gradient: `dx`, `dScale`, `dOffset` (see {@link gradientFactors}). */
export function batchNormTrainingBackward(
  tensors: BatchNormTensors,
  inputs: BatchNormGradInputs,
  dx: Float32Array,
  dScale: Float32Array,
  dOffset: Float32Array,
): void {
  const { x, scale, relu } = tensors;
  const { dy, y, mean } = inputs;
  const C = scale.length;
  const m = Float64Array.from(mean);
  const sumG = new Float64Array(C);
  const sumGCentred = new Float64Array(C);
  const yBits = new Int32Array(y.buffer, y.byteOffset, y.length);
  const pass = relu ? 0 : 1;
  gradientSums(x, dy, yBits, pass, m, sumG, sumGCentred);
  const { gain, k1, k0 } = gradientFactors(sumG, sumGCentred, x.length / C, tensors, inputs, dScale, dOffset);
  // k1·x + (k0 − k1·μ): one multiply-add per element.
  for (let c = 0; c < C; c++) k0[c]! -= k1[c]! * m[c]!;
  gradientApply(x, dy, yBits, pass, gain, k1, k0, dx);
}
