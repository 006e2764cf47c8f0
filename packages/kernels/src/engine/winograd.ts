import type { Allocations } from './allocations.js';
import type { Conv2dGeometry } from './conv_geometry.js';
import { TARGET_TASKS, ceilDiv, packPanels, packedFloats, roundUp } from './tiles.js';
import type { Engine } from './types.js';

// Winograd F(2×2, 3×3) convolutions (engine.wat's `winograd`): 4×4 source tiles 2 apart, transformed
// (Bᵀ d B), 16 independent products [tiles × C]·[C × N] with the transformed filter (G g Gᵀ, computed here
// once per call in float64 and rounded once), and the output transform (Aᵀ m A) of each tile's 2×2 outputs.
// 2.25× fewer multiplies than the direct convolution, at the cost of the transforms and a somewhat larger
// rounding error (the transforms add up to 4 × 4 terms of the products before and after the sums).

/**
 * A task's V and M blocks (16 transform elements of T tiles each) stay under this: they live in L2 with the
 * panels (96 kB to 768 kB measured within a few % of each other).
 */
const TASK_BYTES = 192 * 1024;

/**
 * Whether a 3×3 stride-1 dilation-1 convolution goes through Winograd rather than im2col + GEMM, from the `c`
 * input channels, the batch and the qh × qw output grid of the convolution run (for the input gradient: c =
 * outChannels, the grid the input); the output channels do not matter. Measured on one thread
 * (`bench-engine.mjs --winograd` and like runs, FMA variant, effective GFLOP/s direct → Winograd, 16² 'same'
 * batch 32 unless said):
 * - c: 3→32 stem 32² 22.7 → 14.7, 4→32 27.5 → 22.2, 4→64 32.7 → 22.9, 5→64 36.3 → 25.0, 6→32 36.0 → 28.8
 *   (the input transform dominates); 8→8 24.9 → 29.1, 8→16 32.7 → 35.4, 8→32 37.2 → 39.2, 16→16 36.8 → 48.9,
 *   32→8 33.8 → 49.9, 64→16 41.9 → 70.4, 64→64 49.0 → 83.3. Any output count pays: the stem's input gradient
 *   (c = 32 into 3 channels) 11.8 → 18.3, c = 32 into 4: 15.8 → 25.8.
 * - The grid: a tile's 2 × 2 outputs are all computed, so odd sizes waste some (coverage qh·qw / (4·⌈qh/2⌉·
 *   ⌈qw/2⌉)); 64→64 at 1² (coverage 0.25) 50.1 → 20.7, 3² (0.56) 50.7 → 47.0, 5² (0.69) 50.4 → 58.5,
 *   7² (0.77) 42.2 → 45.8, even sizes 2², 4², 6², 8² ≈ 50 → 80.
 * - The tiles: the filter transform (on the calling thread, about 55 ns per channel pair) needs about 100
 *   tiles to pay off: 64→64 8² b1 (16 tiles) 43 → 16, 16² b1 (64) 50 → 44, b2 (128) 50 → 61, b4 (256)
 *   51 → 74; 16→16 16² b1 (64) 33 → 38.
 */
export function winogradPays(c: number, batch: number, qh: number, qw: number): boolean {
  const tiles = batch * ceilDiv(qh, 2) * ceilDiv(qw, 2);
  const coverage = (qh * qw) / (4 * ceilDiv(qh, 2) * ceilDiv(qw, 2));
  return c >= 8 && coverage >= 0.6 && tiles >= 128;
}

/** The geometry is one Winograd F(2×2, 3×3) handles: 3×3, stride 1, dilation 1. */
export function winogradShape(g: Conv2dGeometry): boolean {
  return (
    g.filterHeight === 3 &&
    g.filterWidth === 3 &&
    g.strideHeight === 1 &&
    g.strideWidth === 1 &&
    g.dilationHeight === 1 &&
    g.dilationWidth === 1
  );
}

/** A stride-1 3×3 convolution to run: source [batch, srcH, srcW, c], output grid [batch, qh, qw, n]. */
export interface WinogradProblem {
  readonly src: number;
  readonly batch: number;
  readonly srcH: number;
  readonly srcW: number;
  readonly c: number;
  readonly qh: number;
  readonly qw: number;
  readonly n: number;
  /** Output (qy, qx) reads source pixels (baseY + qy + u, baseX + qx + v), u, v < 3. */
  readonly baseY: number;
  readonly baseX: number;
  /**
   * The 3×3 filter in engine memory: tap (u, v) from input channel ci to output channel co at element
   * base + u·su + v·sv + ci·sc + co·sn of `address` (strides possibly negative: the input gradient's flip).
   */
  readonly filter: {
    readonly address: number;
    readonly base: number;
    readonly su: number;
    readonly sv: number;
    readonly sc: number;
    readonly sn: number;
  };
  readonly out: number;
}

/** Tiles per task: a multiple of 4, V and M under TASK_BYTES, about TARGET_TASKS tasks where there are enough. */
export function winogradTileBlock(tiles: number, c: number, n: number): number {
  const perTile = 16 * (roundUp(c, 4) + roundUp(n, 4)) * 4;
  const byMemory = Math.max(4, Math.floor(TASK_BYTES / perTile / 4) * 4);
  return Math.max(4, Math.min(byMemory, roundUp(ceilDiv(tiles, TARGET_TASKS), 4), roundUp(tiles, 4)));
}

/** (t0, t1, t2) Gᵀ = (t0, ½(t0 + t1 + t2), ½(t0 − t1 + t2), t2) into out[at + k·step]. */
function transformRow(out: Float32Array, at: number, step: number, t0: number, t1: number, t2: number): void {
  out[at] = t0;
  out[at + step] = 0.5 * (t0 + t1 + t2);
  out[at + 2 * step] = 0.5 * (t0 - t1 + t2);
  out[at + 3 * step] = t2;
}

/** U[e] = (G g Gᵀ)[e] for every (ci, co), [16][c][n], written to fresh memory of `scope`. */
function transformFilter(engine: Engine, scope: Allocations, p: WinogradProblem): number {
  const { c, n } = p;
  const { base, su, sv, sc, sn } = p.filter;
  const u = scope.floats(16 * c * n);
  const w = engine.memory.f32(p.filter.address, 9 * c * n);
  const out = engine.memory.f32(u, 16 * c * n);
  const plane = c * n;
  for (let ci = 0; ci < c; ci++) {
    for (let co = 0; co < n; co++) {
      const at = base + ci * sc + co * sn;
      // G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1].
      const g00 = w[at]!;
      const g01 = w[at + sv]!;
      const g02 = w[at + 2 * sv]!;
      const g10 = w[at + su]!;
      const g11 = w[at + su + sv]!;
      const g12 = w[at + su + 2 * sv]!;
      const g20 = w[at + 2 * su]!;
      const g21 = w[at + 2 * su + sv]!;
      const g22 = w[at + 2 * su + 2 * sv]!;
      // Rows of t = G g: g0·, ½(g0· + g1· + g2·), ½(g0· − g1· + g2·), g2·; then each row r ↦ r Gᵀ.
      const e = ci * n + co;
      transformRow(out, e, plane, g00, g01, g02);
      transformRow(
        out,
        e + 4 * plane,
        plane,
        0.5 * (g00 + g10 + g20),
        0.5 * (g01 + g11 + g21),
        0.5 * (g02 + g12 + g22),
      );
      transformRow(
        out,
        e + 8 * plane,
        plane,
        0.5 * (g00 - g10 + g20),
        0.5 * (g01 - g11 + g21),
        0.5 * (g02 - g12 + g22),
      );
      transformRow(out, e + 12 * plane, plane, g20, g21, g22);
    }
  }
  return u;
}

/** Runs the convolution: the filter transformed and packed (16 C × N panels), then one task per tile block. */
export function winogradConv(engine: Engine, scope: Allocations, p: WinogradProblem): void {
  const th = ceilDiv(p.qh, 2);
  const tw = ceilDiv(p.qw, 2);
  const tiles = p.batch * th * tw;
  if (tiles === 0) return;
  const u = transformFilter(engine, scope, p);
  const packed = packPanels(engine, scope, {
    address: u,
    rows: p.c,
    cols: p.n,
    colStride: 1,
    n0: p.c,
    s0: p.n,
    n1: 1,
    s1: 0,
    s2: 0,
    batchStride: p.c * p.n,
    batches: 16,
  });
  const t = winogradTileBlock(tiles, p.c, p.n);
  const c4 = roundUp(p.c, 4);
  const n4 = roundUp(p.n, 4);
  const args = scope.args([
    p.src,
    p.srcH,
    p.srcW,
    p.c,
    packed,
    p.qh,
    p.qw,
    p.baseY,
    p.baseX,
    packedFloats(p.c, p.n) * 4,
    p.n,
    p.out,
    th,
    tw,
    t,
    tiles,
    c4,
    n4,
  ]);
  engine.runner.run('winograd', ceilDiv(tiles, t), args, (16 * t * (c4 + n4) + 2 * t + 80 + c4) * 4);
}

/** The forward pass of a Winograd-shaped convolution. */
export function winogradForward(
  engine: Engine,
  scope: Allocations,
  g: Conv2dGeometry,
  x: number,
  filter: number,
  y: number,
): void {
  const ci = g.inChannels;
  const co = g.outChannels;
  winogradConv(engine, scope, {
    src: x,
    batch: g.batch,
    srcH: g.inHeight,
    srcW: g.inWidth,
    c: ci,
    qh: g.outHeight,
    qw: g.outWidth,
    n: co,
    baseY: -g.padTop,
    baseX: -g.padLeft,
    filter: { address: filter, base: 0, su: 3 * ci * co, sv: ci * co, sc: co, sn: 1 },
    out: y,
  });
}

/**
 * The input gradient of a Winograd-shaped convolution: the forward convolution of dy with the filter flipped
 * and io-transposed, input pixel (iy, ix) reading dy rows iy + padTop − 2 + u.
 */
export function winogradBackpropInput(
  engine: Engine,
  scope: Allocations,
  g: Conv2dGeometry,
  dy: number,
  filter: number,
  dx: number,
): void {
  const ci = g.inChannels;
  const co = g.outChannels;
  winogradConv(engine, scope, {
    src: dy,
    batch: g.batch,
    srcH: g.outHeight,
    srcW: g.outWidth,
    c: co,
    qh: g.inHeight,
    qw: g.inWidth,
    n: ci,
    baseY: g.padTop - 2,
    baseX: g.padLeft - 2,
    // Tap (u, v) from channel o to channel i: filter[2 − u, 2 − v, i, o].
    filter: { address: filter, base: 8 * ci * co, su: -3 * ci * co, sv: -ci * co, sc: 1, sn: co },
    out: dx,
  });
}
