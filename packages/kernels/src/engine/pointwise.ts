import { Allocations } from './allocations.js';
import { ceilDiv, sumPartials } from './tiles.js';
import type { Engine } from './types.js';

// The filter gradient of a thin 1×1 convolution (engine.wat's `pointwiseFilter`): dW[k × n] = Aᵀ·B over P
// pixels, P in the hundreds of thousands and k or n in single digits (a kernel generator's convolutions to
// or from a few channels), where the GEMM's 4 × 8 tiles are mostly padding and im2col costs more than the
// product. One pixel's n floats are a SIMD row: a pass over the task's pixels per row of dW and 4 columns.
// Pixels go in tasks of a fixed ROWS (never the thread count), so the partial sums, added in task order,
// are the same bits on any number of threads.

/** Pixels per task: 256 tasks over seed-inv's 256·32·32 pixels; partials of k·n floats each. */
const ROWS = 1024;

/** Passes over a task's pixels (rows of dW × blocks of 4 columns) with the wider side as the SIMD row. */
const passes = (k: number, n: number): number => Math.min(k, n) * ceilDiv(Math.max(k, n), 4);

/**
 * Whether the thin kernel takes a 1×1 filter gradient of k input to n output channels. Measured on one
 * thread over 256·32·32 pixels (ms, im2col path / thin): k 1 n 9 6.3 / 1.6; k 3 n 1 7.6 / 0.9; k 4 n 4
 * 6.6 / 2.3; k 3 n 9 6.2 / 4.0; k 8 n 8 6.3 / 13.6: about 0.5 ms a pass, so up to 6 passes.
 */
export function pointwiseFilterIsThin(k: number, n: number): boolean {
  return k >= 1 && n >= 1 && passes(k, n) <= 6;
}

/** A row-major matrix in engine memory: row p at address + 4·p·rowStride bytes. */
export interface RowsOperand {
  readonly address: number;
  readonly rowStride: number;
}

/**
 * dW (k × n, row-major at `dw`) = Aᵀ·B over `rows` rows. The wider of k and n is the SIMD row (for n < k
 * the kernel computes dWᵀ = Bᵀ·A, transposed into dw after).
 */
export function pointwiseFilterGradient(
  engine: Engine,
  rows: number,
  k: number,
  n: number,
  a: RowsOperand,
  b: RowsOperand,
  dw: number,
): void {
  if (rows === 0) {
    engine.memory.f32(dw, k * n).fill(0);
    return;
  }
  const swap = n < k;
  const [left, right, kk, nn] = swap ? [b, a, n, k] : [a, b, k, n];
  const tasks = ceilDiv(rows, ROWS);
  const length = k * n;
  const scope = new Allocations(engine.memory);
  try {
    const result = swap ? scope.floats(length) : dw;
    const partials = tasks === 1 ? result : scope.floats(tasks * length);
    const args = scope.args([
      left.address,
      left.rowStride * 4,
      right.address,
      right.rowStride * 4,
      nn,
      kk,
      partials,
      length * 4,
      rows,
      ROWS,
    ]);
    engine.runner.run('pointwiseFilter', tasks, args, 0);
    if (tasks > 1) {
      sumPartials(engine, scope, partials, length * 4, tasks, result, length);
    }
    if (swap) {
      const transposed = engine.memory.f32(result, length);
      const out = engine.memory.f32(dw, length);
      for (let i = 0; i < k; i++) for (let j = 0; j < n; j++) out[i * n + j] = transposed[j * k + i]!;
    }
  } finally {
    scope.free();
  }
}

/** Rows of C per thin-product task (no sums across tasks: any split gives the same bits). */
const PRODUCT_ROWS = 2048;

/**
 * Whether the thin kernel takes a 1×1 convolution's product of k input to n output channels (the forward
 * pass, or the input gradient with k and n swapped): one output channel, one input channel (an outer
 * product, four rows a swizzle each), or two inputs to a count the GEMM's 8-wide panels pad. Measured on one
 * thread over 262,144 pixels (ms, GEMM / thin): k 3 n 1 1.44 / 0.26; k 9 n 1 1.92 / 0.61; k 32 n 1 4.44 /
 * 2.01; k 1 n 9 3.23 / 0.62; k 1 n 3 1.38 / 0.20; k 1 n 16 3.51 / 1.01; but k 4 n 8 1.34 / 2.10, k 2 n 32
 * 5.11 / 6.76, k 4 n 16 3.31 / 3.98 (a row at a time).
 */
export function pointwiseProductIsThin(k: number, n: number): boolean {
  if (k < 1 || n < 1) return false;
  return n === 1 || k === 1 || (k === 2 && n <= 12 && n % 8 !== 0);
}

/**
 * C (m × n, rows `c.rowStride` floats apart) = A (m × k) · B (k × n) (+ `bias`, the address of n floats added
 * to each row after its sums: the bits of the product and then an Add), A and B read through element strides
 * (engine.wat's `thinProduct`).
 */
export function thinProduct(
  engine: Engine,
  m: number,
  n: number,
  k: number,
  a: { address: number; rowStride: number; colStride: number },
  b: { address: number; rowStride: number; colStride: number },
  c: RowsOperand,
  bias?: number,
): void {
  if (m === 0 || n === 0) return;
  const scope = new Allocations(engine.memory);
  try {
    const args = scope.args([
      a.address,
      a.rowStride * 4,
      a.colStride * 4,
      b.address,
      b.rowStride * 4,
      b.colStride * 4,
      c.address,
      c.rowStride * 4,
      m,
      n,
      k,
      PRODUCT_ROWS,
      bias ?? 0,
    ]);
    const n4 = ceilDiv(n, 4) * 4;
    const packed = k * n4 + (k === 1 ? 8 * n : 0);
    const biasFloats = bias === undefined ? 0 : n4 + (k === 1 ? 4 * n : 0);
    engine.runner.run('thinProduct', ceilDiv(m, PRODUCT_ROWS), args, (packed + biasFloats) * 4);
  } finally {
    scope.free();
  }
}
