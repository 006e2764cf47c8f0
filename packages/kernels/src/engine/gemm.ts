import { Allocations } from './allocations.js';
import { MIN_TASK_FLOPS, MR, NR, TARGET_TASKS, ceilDiv, matrixSource, packPanels, roundUp } from './tiles.js';
import type { Engine } from './types.js';

/** A matrix operand in engine memory: element (i, j) of batch b at address + 4·(b·batchStride + i·rowStride + j·colStride). */
export interface MatrixOperand {
  readonly address: number;
  readonly rowStride: number;
  readonly colStride: number;
  /** 0 broadcasts one matrix over the batch. */
  readonly batchStride: number;
}

/** C[b] = A[b]·B[b] (+ C[b] when accumulating), A m × k, B k × n, C m × n with unit column stride. */
export interface GemmProblem {
  readonly batch: number;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly a: MatrixOperand;
  readonly b: MatrixOperand;
  readonly c: { readonly address: number; readonly rowStride: number; readonly batchStride: number };
  readonly accumulate?: boolean;
}

/**
 * op(X) for X stored row-major (`rows` × `cols`, one matrix per batch unless `broadcast`): X itself, or Xᵀ
 * read through strides (no copy).
 */
export function rowMajorOperand(
  address: number,
  rows: number,
  cols: number,
  options: { transpose?: boolean; broadcast?: boolean } = {},
): MatrixOperand {
  const batchStride = options.broadcast ? 0 : rows * cols;
  return options.transpose
    ? { address, rowStride: 1, colStride: cols, batchStride }
    : { address, rowStride: cols, colStride: 1, batchStride };
}

/** K rows per block: a 256 × NR panel (8 kB) stays in L1 while an mb-row block of A streams from L2. */
export const KC = 256;

/**
 * Rows × columns of C per task: 64 × all of N, split (N down to 64 columns, then M down to 16 rows) until
 * there are TARGET_TASKS tiles, merged (doubling M) while tiles are under MIN_TASK_FLOPS and plentiful.
 */
export function gemmTiles(batch: number, m: number, n: number, k: number): { mb: number; nb: number } {
  let mb = roundUp(Math.min(m, 64), MR);
  let nb = roundUp(n, NR);
  const tiles = (): number => batch * ceilDiv(m, mb) * ceilDiv(n, nb);
  while (tiles() < TARGET_TASKS && nb > 64) nb = roundUp(nb / 2, NR);
  while (tiles() < TARGET_TASKS && mb > 16) mb = roundUp(mb / 2, MR);
  while (
    2 * mb * nb * k < MIN_TASK_FLOPS &&
    mb < m &&
    batch * ceilDiv(m, 2 * mb) * ceilDiv(n, nb) >= TARGET_TASKS
  ) {
    mb *= 2;
  }
  return { mb, nb };
}

function check(problem: GemmProblem): void {
  for (const key of ['batch', 'm', 'n', 'k'] as const) {
    const value = problem[key];
    if (!Number.isInteger(value) || value < 0) {
      throw new Error(`gemm: ${key} must be a non-negative integer, got ${value}`);
    }
  }
}

/** Runs C = op(A)·op(B) (+ C) on the engine: B packed once (a job), then one task per tile of C. */
export function gemm(engine: Engine, problem: GemmProblem): void {
  check(problem);
  const { batch, m, n, k, a, b, c } = problem;
  if (batch === 0 || m === 0 || n === 0) return;
  const scope = new Allocations(engine.memory);
  try {
    const packed = packPanels(
      engine,
      scope,
      matrixSource(b.address, k, n, b.rowStride, b.colStride, b.batchStride === 0 ? 1 : batch, b.batchStride),
    );
    const { mb, nb } = gemmTiles(batch, m, n, k);
    const mBlocks = ceilDiv(m, mb);
    const nBlocks = ceilDiv(n, nb);
    const args = scope.args([
      a.address,
      a.rowStride * 4,
      a.colStride * 4,
      a.batchStride * 4,
      packed,
      b.batchStride === 0 ? 0 : k * roundUp(n, NR) * 4,
      c.address,
      c.rowStride * 4,
      c.batchStride * 4,
      m,
      n,
      k,
      mb,
      nb,
      KC,
      problem.accumulate ? 1 : 0,
      mBlocks,
      nBlocks,
    ]);
    engine.runner.run('gemm', batch * mBlocks * nBlocks, args, 2 * mb * 4);
  } finally {
    scope.free();
  }
}
