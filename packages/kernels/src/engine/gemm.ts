import { Allocations } from './allocations.js';
import {
  MIN_TASK_FLOPS,
  MR,
  NR,
  TARGET_TASKS,
  ceilDiv,
  matrixSource,
  packPanels,
  roundUp,
  sumPartials,
} from './tiles.js';
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

/** tfjs's BatchMatMul: op(A) [batch, m, k] · op(B) [batch, k, n], each side possibly transposed or one matrix for all. */
export interface MatMulShape {
  readonly batch: number;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly transposeA?: boolean;
  readonly transposeB?: boolean;
  readonly broadcastA?: boolean;
  readonly broadcastB?: boolean;
}

/** The GEMM of a BatchMatMul on row-major A at `a`, B at `b`, into C at `c` [batch, m, n]. */
export function matMulProblem(
  s: MatMulShape,
  a: number,
  b: number,
  c: number,
  accumulate = false,
): GemmProblem {
  return {
    batch: s.batch,
    m: s.m,
    n: s.n,
    k: s.k,
    a: s.transposeA
      ? rowMajorOperand(a, s.k, s.m, { transpose: true, broadcast: s.broadcastA })
      : rowMajorOperand(a, s.m, s.k, { broadcast: s.broadcastA }),
    b: s.transposeB
      ? rowMajorOperand(b, s.n, s.k, { transpose: true, broadcast: s.broadcastB })
      : rowMajorOperand(b, s.k, s.n, { broadcast: s.broadcastB }),
    c: { address: c, rowStride: s.n, batchStride: s.m * s.n },
    accumulate,
  };
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

/**
 * K deeper than this goes through gemmPlan's split when gemmTiles' tiles have under 64 rows: such a task
 * streams a K-deep packed B panel from memory for only 2·mb flops per float. Measured on one thread, GFLOP/s
 * unsplit → split: 64 × 288 over K = 65,536 15 → 40, 256 × 256 over 65,536 18 → 41, 1024 × 64 over 65,536
 * 19 → 29; with 64-row tiles the split loses (4096 × 512 over 4,096: 48 → 44).
 */
const SPLIT_K = 4096;
/**
 * A group's K rows at least: its partial (m·n floats, written once and read once by sumPartials) then costs
 * under 1/256 of its 2·m·n·kGroup flops.
 */
const MIN_GROUP_K = 4 * KC;
/** Rows of C per task when K is split: A's k-block (256 × 128 floats, 128 kB) stays in L2 over the panels. */
const SPLIT_ROWS = 128;
/** The groups' partials stay under this. */
const PARTIAL_BYTES = 32 * 1024 * 1024;

/** How gemm runs a shape: tiles of C, and groups of K rows (one group: no split). */
export interface GemmPlan {
  readonly mb: number;
  readonly nb: number;
  readonly kGroup: number;
  readonly groups: number;
  /** B packed by each task, a k-block and panel at a time, rather than all up front. */
  readonly packHere: boolean;
}

/**
 * gemmTiles, unless K is deep and those tiles are thin (see SPLIT_K; e.g. the filter gradient's Aᵀ·B,
 * 64 × 288 over K = 65,536: 16-row tiles, each task running all of K over a 75 MB B packed up front and
 * streamed from DRAM per m-block): then tiles of all N by up to SPLIT_ROWS rows, K split into groups of
 * whole k-blocks for parallelism (from the shape only, so the sum's order does not depend on the thread
 * count), each task packing its own B a k-block and NR panel at a time (read once, in parallel, used from
 * L1). `contiguous`: C is [batch][m][n] without gaps (sumPartials writes it so).
 */
export function gemmPlan(batch: number, m: number, n: number, k: number, contiguous: boolean): GemmPlan {
  const { mb, nb } = gemmTiles(batch, m, n, k);
  if (!contiguous || k < SPLIT_K || mb >= 64) {
    return { mb, nb, kGroup: Math.max(k, 1), groups: 1, packHere: false };
  }
  const rows = roundUp(Math.min(m, SPLIT_ROWS), MR);
  const tiles = batch * ceilDiv(m, rows);
  const byMemory = Math.floor(PARTIAL_BYTES / (batch * m * n * 4));
  const wanted = Math.max(1, Math.min(ceilDiv(TARGET_TASKS, tiles), Math.floor(k / MIN_GROUP_K), byMemory));
  const kGroup = roundUp(ceilDiv(k, wanted), KC);
  return { mb: rows, nb: roundUp(n, NR), kGroup, groups: ceilDiv(k, kGroup), packHere: true };
}

function check(problem: GemmProblem): void {
  for (const key of ['batch', 'm', 'n', 'k'] as const) {
    const value = problem[key];
    if (!Number.isInteger(value) || value < 0) {
      throw new Error(`gemm: ${key} must be a non-negative integer, got ${value}`);
    }
  }
}

/**
 * Runs C = op(A)·op(B) (+ C) on the engine (see gemmPlan): one task per tile of C and group of K rows, B
 * packed up front (a job) or by the tasks; with several groups, into partials then summed in group order.
 */
export function gemm(engine: Engine, problem: GemmProblem): void {
  check(problem);
  const { batch, m, n, k, a, b, c } = problem;
  if (batch === 0 || m === 0 || n === 0) return;
  const contiguous = c.rowStride === n && (batch === 1 || c.batchStride === m * n);
  const { mb, nb, kGroup, groups, packHere } = gemmPlan(batch, m, n, k, contiguous);
  const scope = new Allocations(engine.memory);
  try {
    const packed = packHere
      ? 0
      : packPanels(
          engine,
          scope,
          matrixSource(
            b.address,
            k,
            n,
            b.rowStride,
            b.colStride,
            b.batchStride === 0 ? 1 : batch,
            b.batchStride,
          ),
        );
    const length = batch * m * n;
    const out =
      groups === 1 ? c : { address: scope.floats(groups * length), rowStride: n, batchStride: m * n };
    const mBlocks = ceilDiv(m, mb);
    const nBlocks = ceilDiv(n, nb);
    const args = scope.args([
      a.address,
      a.rowStride * 4,
      a.colStride * 4,
      a.batchStride * 4,
      packed,
      b.batchStride === 0 ? 0 : k * roundUp(n, NR) * 4,
      out.address,
      out.rowStride * 4,
      out.batchStride * 4,
      m,
      n,
      k,
      mb,
      nb,
      KC,
      problem.accumulate && groups === 1 ? 1 : 0,
      mBlocks,
      nBlocks,
      kGroup,
      length * 4,
      batch,
      packHere ? 1 : 0,
      b.address,
      b.rowStride * 4,
      b.colStride * 4,
      b.batchStride * 4,
    ]);
    const scratch = (2 * mb + (packHere ? KC * NR : 0)) * 4;
    engine.runner.run('gemm', groups * batch * mBlocks * nBlocks, args, scratch);
    if (groups > 1) {
      sumPartials(engine, scope, out.address, length * 4, groups, c.address, length, problem.accumulate);
    }
  } finally {
    scope.free();
  }
}
