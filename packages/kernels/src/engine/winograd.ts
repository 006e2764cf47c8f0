import type { Allocations } from './allocations.js';
import type { Conv2dGeometry } from './conv_geometry.js';
import { TARGET_TASKS, ceilDiv, packPanels, packedFloats, roundUp } from './tiles.js';
import type { Engine } from './types.js';

// Winograd F(2×2, 3×3) convolutions (engine.wat's `winograd`): 4×4 source tiles 2 apart, transformed
// (Bᵀ d B), 16 independent products [tiles × C]·[C × N] with the transformed filter (G g Gᵀ, computed here
// once per call in float64 and rounded once), and the output transform (Aᵀ m A) of each tile's 2×2 outputs.
// 2.25× fewer multiplies than the direct convolution, at the cost of the transforms and a somewhat larger
// rounding error (the transforms add up to 4 × 4 terms of the products before and after the sums).

/** A task's V and M blocks (16 matrices each of T tiles) stay under this: they live in L2 with the panels. */
const TASK_BYTES = 192 * 1024;

/**
 * Whether a 3×3 stride-1 dilation-1 convolution with C input and N output channels (of the convolution run:
 * for the input gradient, C = outChannels and N = inChannels) goes through Winograd rather than im2col + GEMM.
 * Measured on one thread (scripts/bench-engine.mjs, see the report in WINOGRAD numbers below).
 */
export function winogradPays(c: number, n: number): boolean {
  return c >= 16 && n >= 16;
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
  /** The 3×3 filter's tap (u, v) from input channel ci to output channel co, read from engine memory. */
  readonly filter: (view: Float32Array, u: number, v: number, ci: number, co: number) => number;
  readonly filterAddress: number;
  readonly out: number;
}

/** Tiles per task: a multiple of 4, V and M under TASK_BYTES, about TARGET_TASKS tasks where there are enough. */
export function winogradTileBlock(tiles: number, c: number, n: number): number {
  const perTile = 16 * (roundUp(c, 4) + roundUp(n, 4)) * 4;
  const byMemory = Math.max(4, Math.floor(TASK_BYTES / perTile / 4) * 4);
  return Math.max(4, Math.min(byMemory, roundUp(ceilDiv(tiles, TARGET_TASKS), 4), roundUp(tiles, 4)));
}

/** U[e] = (G g Gᵀ)[e] for every (ci, co), [16][c][n], written to fresh memory of `scope`. */
function transformFilter(engine: Engine, scope: Allocations, p: WinogradProblem): number {
  const { c, n } = p;
  const u = scope.floats(16 * c * n);
  const view = engine.memory.f32(p.filterAddress, 9 * c * n);
  const out = engine.memory.f32(u, 16 * c * n);
  const t = new Float64Array(12);
  for (let ci = 0; ci < c; ci++) {
    for (let co = 0; co < n; co++) {
      // t = G g (4 × 3), then (G g) Gᵀ (4 × 4); G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1].
      for (let v = 0; v < 3; v++) {
        const g0 = p.filter(view, 0, v, ci, co);
        const g1 = p.filter(view, 1, v, ci, co);
        const g2 = p.filter(view, 2, v, ci, co);
        t[v] = g0;
        t[3 + v] = 0.5 * (g0 + g1 + g2);
        t[6 + v] = 0.5 * (g0 - g1 + g2);
        t[9 + v] = g2;
      }
      for (let i = 0; i < 4; i++) {
        const g0 = t[3 * i]!;
        const g1 = t[3 * i + 1]!;
        const g2 = t[3 * i + 2]!;
        const at = (e: number): number => (e * c + ci) * n + co;
        out[at(4 * i)] = g0;
        out[at(4 * i + 1)] = 0.5 * (g0 + g1 + g2);
        out[at(4 * i + 2)] = 0.5 * (g0 - g1 + g2);
        out[at(4 * i + 3)] = g2;
      }
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
  engine.runner.run('winograd', ceilDiv(tiles, t), args, (16 * t * (c4 + n4) + 2 * t + 64) * 4);
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
    filterAddress: filter,
    filter: (view, u, v, i, o) => view[((u * 3 + v) * ci + i) * co + o]!,
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
    filterAddress: filter,
    filter: (view, u, v, o, i) => view[(((2 - u) * 3 + 2 - v) * ci + i) * co + o]!,
    out: dx,
  });
}
