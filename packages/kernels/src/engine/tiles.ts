import type { Allocations } from './allocations.js';
import type { Engine } from './types.js';

/** The micro-kernel's tile (engine.wat): MR rows of A by NR columns of a packed B panel. */
export const MR = 4;
export const NR = 8;
/** Jobs aim at this many tasks (4 per thread of a 16-thread pool) where the work allows. */
export const TARGET_TASKS = 64;
/** A task does at least this much (about 70 µs at 14 GFLOP/s) so that handing it out is cheap. */
export const MIN_TASK_FLOPS = 1e6;

export const ceilDiv = (a: number, b: number): number => Math.ceil(a / b);
export const roundUp = (a: number, b: number): number => Math.ceil(a / b) * b;

/** Floats of B (k × n) packed into NR panels. */
export const packedFloats = (k: number, n: number): number => k * roundUp(n, NR);

/**
 * Where packPanels reads B: row r = (r2·n1 + r1)·n0 + r0 at `address + r0·s0 + r1·s1 + r2·s2`, column c at
 * `+ c·colStride` (element strides, possibly negative; n1 = 1 and s1 = s2 = 0 for a plain matrix).
 */
export interface PanelSource {
  readonly address: number;
  readonly rows: number;
  readonly cols: number;
  readonly colStride: number;
  readonly n0: number;
  readonly s0: number;
  readonly n1: number;
  readonly s1: number;
  readonly s2: number;
  /** Between the batches' matrices (elements); with `batches` > 1. */
  readonly batchStride: number;
  readonly batches: number;
}

/** A plain row-strided matrix as a PanelSource. */
export function matrixSource(
  address: number,
  rows: number,
  cols: number,
  rowStride: number,
  colStride: number,
  batches = 1,
  batchStride = 0,
): PanelSource {
  return {
    address,
    rows,
    cols,
    colStride,
    n0: rows,
    s0: rowStride,
    n1: 1,
    s1: 0,
    s2: 0,
    batchStride,
    batches,
  };
}

/** Packs B (per batch) into NR panels in fresh memory of `scope`; returns its address. */
export function packPanels(engine: Engine, scope: Allocations, source: PanelSource): number {
  const panels = ceilDiv(source.cols, NR);
  const perBatch = packedFloats(source.rows, source.cols);
  const dst = scope.floats(perBatch * source.batches);
  // About 64 kB of panel per task: packing is a copy, cheap next to the product.
  const per = Math.max(1, Math.min(panels, Math.floor(2048 / Math.max(1, source.rows))));
  const tasksPerBatch = ceilDiv(panels, per);
  const args = scope.args([
    source.address,
    dst,
    source.rows,
    source.cols,
    source.colStride * 4,
    source.n0,
    source.s0 * 4,
    source.n1,
    source.s1 * 4,
    source.s2 * 4,
    per,
    tasksPerBatch,
    source.batchStride * 4,
    perBatch * 4,
  ]);
  if (source.rows > 0) engine.runner.run('packPanels', tasksPerBatch * source.batches, args, 0);
  return dst;
}

/**
 * out[i] (+)= partial[0][i] + partial[1][i] + … in group order over `length` floats (engine.wat's sumPartials),
 * in tasks of at least 16,384 floats: the partials `partialStride` bytes apart from `partials`.
 */
export function sumPartials(
  engine: Engine,
  scope: Allocations,
  partials: number,
  partialStride: number,
  groups: number,
  out: number,
  length: number,
  accumulate = false,
): void {
  const per = roundUp(Math.max(ceilDiv(length, TARGET_TASKS), 16384), 4);
  const args = scope.args([partials, partialStride, groups, out, length, per, accumulate ? 1 : 0]);
  engine.runner.run('sumPartials', ceilDiv(length, per), args, 0);
}
