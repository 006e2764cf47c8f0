import type { Conv2dGeometry } from '../../src/engine/conv_geometry.js';

/**
 * Float64 references, each returning the values and, per element, the sum of the magnitudes of the products
 * it adds (what float32 rounding error scales with), and the number of products.
 */
export interface Reference {
  readonly value: Float64Array;
  readonly magnitude: Float64Array;
  readonly terms: number;
}

/** C = op(A)·op(B) (+ C0) per batch; A stored [batch][m × k] (or [k × m] transposed), B [k × n] (or [n × k]). */
export function matMul64(
  a: Float32Array,
  b: Float32Array,
  s: {
    batch: number;
    m: number;
    n: number;
    k: number;
    transposeA: boolean;
    transposeB: boolean;
    broadcastB: boolean;
  },
  c0?: Float32Array,
): Reference {
  const { batch, m, n, k } = s;
  const value = new Float64Array(batch * m * n);
  const magnitude = new Float64Array(batch * m * n);
  for (let t = 0; t < batch; t++) {
    const aBase = t * m * k;
    const bBase = s.broadcastB ? 0 : t * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = c0 === undefined ? 0 : c0[(t * m + i) * n + j]!;
        let mag = Math.abs(sum);
        for (let q = 0; q < k; q++) {
          const av = a[aBase + (s.transposeA ? q * m + i : i * k + q)]!;
          const bv = b[bBase + (s.transposeB ? j * k + q : q * n + j)]!;
          sum += av * bv;
          mag += Math.abs(av * bv);
        }
        value[(t * m + i) * n + j] = sum;
        magnitude[(t * m + i) * n + j] = mag;
      }
    }
  }
  return { value, magnitude, terms: k };
}

/**
 * Calls visit(xIndex, filterIndex, yIndex) for every product of the convolution's definition; `depthwise`:
 * channel c to output channel c only, the filter [KH, KW, C] (channel multiplier 1).
 */
function forEachProduct(
  g: Conv2dGeometry,
  visit: (x: number, w: number, y: number) => void,
  depthwise = false,
): void {
  for (let b = 0; b < g.batch; b++)
    for (let oy = 0; oy < g.outHeight; oy++)
      for (let ox = 0; ox < g.outWidth; ox++)
        for (let u = 0; u < g.filterHeight; u++) {
          const iy = oy * g.strideHeight - g.padTop + u * g.dilationHeight;
          if (iy < 0 || iy >= g.inHeight) continue;
          for (let v = 0; v < g.filterWidth; v++) {
            const ix = ox * g.strideWidth - g.padLeft + v * g.dilationWidth;
            if (ix < 0 || ix >= g.inWidth) continue;
            for (let c = 0; c < g.inChannels; c++)
              for (let o = depthwise ? c : 0; o < (depthwise ? c + 1 : g.outChannels); o++)
                visit(
                  ((b * g.inHeight + iy) * g.inWidth + ix) * g.inChannels + c,
                  depthwise
                    ? (u * g.filterWidth + v) * g.inChannels + c
                    : ((u * g.filterWidth + v) * g.inChannels + c) * g.outChannels + o,
                  ((b * g.outHeight + oy) * g.outWidth + ox) * g.outChannels + o,
                );
          }
        }
}

function accumulate(
  length: number,
  terms: number,
  g: Conv2dGeometry,
  product: (x: number, w: number, y: number) => [number, number],
  depthwise = false,
): Reference {
  const value = new Float64Array(length);
  const magnitude = new Float64Array(length);
  forEachProduct(
    g,
    (x, w, y) => {
      const [at, p] = product(x, w, y);
      value[at] = value[at]! + p;
      magnitude[at] = magnitude[at]! + Math.abs(p);
    },
    depthwise,
  );
  return { value, magnitude, terms };
}

export function conv2d64(g: Conv2dGeometry, x: Float32Array, w: Float32Array): Reference {
  return accumulate(
    g.batch * g.outHeight * g.outWidth * g.outChannels,
    g.filterHeight * g.filterWidth * g.inChannels,
    g,
    (xi, wi, yi) => [yi, x[xi]! * w[wi]!],
  );
}

export function conv2dBackpropInput64(g: Conv2dGeometry, dy: Float32Array, w: Float32Array): Reference {
  return accumulate(
    g.batch * g.inHeight * g.inWidth * g.inChannels,
    g.filterHeight * g.filterWidth * g.outChannels,
    g,
    (xi, wi, yi) => [xi, dy[yi]! * w[wi]!],
  );
}

export function conv2dBackpropFilter64(g: Conv2dGeometry, x: Float32Array, dy: Float32Array): Reference {
  return accumulate(
    g.filterHeight * g.filterWidth * g.inChannels * g.outChannels,
    g.batch * g.outHeight * g.outWidth,
    g,
    (xi, wi, yi) => [wi, x[xi]! * dy[yi]!],
  );
}

/** The depthwise input gradient (channel multiplier 1: g.outChannels = g.inChannels, filter [KH, KW, C]). */
export function depthwiseBackpropInput64(g: Conv2dGeometry, dy: Float32Array, w: Float32Array): Reference {
  return accumulate(
    g.batch * g.inHeight * g.inWidth * g.inChannels,
    g.filterHeight * g.filterWidth,
    g,
    (xi, wi, yi) => [xi, dy[yi]! * w[wi]!],
    true,
  );
}

/** The depthwise filter gradient [KH, KW, C]. */
export function depthwiseBackpropFilter64(g: Conv2dGeometry, x: Float32Array, dy: Float32Array): Reference {
  return accumulate(
    g.filterHeight * g.filterWidth * g.inChannels,
    g.batch * g.outHeight * g.outWidth,
    g,
    (xi, wi, yi) => [wi, x[xi]! * dy[yi]!],
    true,
  );
}

/**
 * The tolerance: |got − ref| ≤ 1e-5·√K·Σ|products| + 1e-30 per element, K the number of products summed (a
 * float32 sum's error grows like √K·u·Σ|terms| for rounding errors of random sign, u ≈ 6e-8; 1e-5 leaves
 * room for a blocked or fused order). Returns the first violation as text, or undefined.
 */
export function mismatch(got: Float32Array, ref: Reference): string | undefined {
  if (got.length !== ref.value.length) return `length ${got.length}, expected ${ref.value.length}`;
  const scale = 1e-5 * Math.sqrt(Math.max(1, ref.terms));
  for (let i = 0; i < got.length; i++) {
    const error = Math.abs(got[i]! - ref.value[i]!);
    if (!(error <= scale * ref.magnitude[i]! + 1e-30)) {
      return `element ${i}: got ${got[i]}, expected ${ref.value[i]} (error ${error.toExponential(2)}, allowed ${(scale * ref.magnitude[i]!).toExponential(2)})`;
    }
  }
  return undefined;
}
