import type { InvolutionGeometry } from '../../op/geometry.js';
import type { InvolutionSimdExports } from './simd_instance.js';
import type { SimdInvolutionKernel } from './simd_kernels.js';

/** A group's last partial vector reads up to this many bytes past an input's end (never written). */
export const READ_SLACK = 16;

/** A memory the module works on, with an allocator for a call's tap tables and scratch. */
export interface SimdHeap {
  memory: WebAssembly.Memory;
  malloc: (bytes: number) => number;
  free: (address: number) => void;
}

/** Byte addresses in the heap's memory of a call's two inputs and its output. */
export interface SimdOperands {
  a: number;
  b: number;
  out: number;
}

/**
 * Runs `kernel` on `simd` (instantiated on `heap.memory`): its tap tables go into a block from `heap`, freed
 * after; it writes the first `outFloats` floats at `at.out` and nothing after them.
 */
export function callSimdKernel(
  kernel: SimdInvolutionKernel,
  simd: InvolutionSimdExports,
  heap: SimdHeap,
  g: InvolutionGeometry,
  at: SimdOperands,
  outFloats: number,
): void {
  const plan = kernel.plan(g);
  const { rows, cols } = plan;
  const tables = [rows.start, rows.source, rows.weight, cols.start, cols.source, cols.weight];
  tables.push(...kernel.extraTables(g));
  const tableInts = tables.reduce((n, t) => n + t.length, 0);
  const tableBlock = heap.malloc(tableInts * 4 + kernel.scratchBytes(g));
  try {
    // A view taken after malloc, which may have grown (and so detached) the memory's buffer.
    const ints = new Int32Array(heap.memory.buffer, tableBlock, tableInts);
    const addresses: number[] = [];
    let offset = 0;
    for (const table of tables) {
      addresses.push(tableBlock + offset * 4);
      // Table entries are element offsets or entry indices; the module takes both in bytes.
      for (let k = 0; k < table.length; k++) ints[offset + k] = table[k]! * 4;
      offset += table.length;
    }
    const call = {
      ...at,
      outEnd: at.out + outFloats * 4,
      tables: addresses,
      scratch: tableBlock + offset * 4,
    };
    kernel.call(simd, call, g, plan);
  } finally {
    heap.free(tableBlock);
  }
}
