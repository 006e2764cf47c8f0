import type { TaskRunner } from '@inv/kernels';
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

/** The words of a task job's argument block: the most parameters an export takes. */
const ARGS_WORDS = 21;

/**
 * Runs `kernel` on `simd` (instantiated on `heap.memory`): its tap tables go into a block from `heap`, freed
 * after; it writes the first `outFloats` floats at `at.out` and nothing after them. With a `runner` of more
 * than one thread (a shared heap), one image a task over its threads; the same bits either way (each image's
 * outputs are computed by the same instructions in the same order).
 */
export function callSimdKernel(
  kernel: SimdInvolutionKernel,
  simd: InvolutionSimdExports,
  heap: SimdHeap,
  g: InvolutionGeometry,
  at: SimdOperands,
  outFloats: number,
  runner?: TaskRunner,
): void {
  const plan = kernel.plan(g);
  const { rows, cols } = plan;
  const tables = [rows.start, rows.source, rows.weight, cols.start, cols.source, cols.weight];
  tables.push(...kernel.extraTables(g));
  const tableInts = tables.reduce((n, t) => n + t.length, 0);
  const threaded = runner !== undefined && runner.threads > 1 && g.batch > 1;
  const tableBlock = heap.malloc(tableInts * 4 + kernel.scratchBytes(g) + (threaded ? ARGS_WORDS * 4 : 0));
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
    const args = kernel.args(call, g, plan);
    if (threaded) {
      // The job's arguments after the scratch; each task gets the pool's scratch for its thread instead.
      const argsAt = call.scratch + kernel.scratchBytes(g);
      new Int32Array(heap.memory.buffer, argsAt, args.length).set(args);
      runner.run(`${kernel.name}Task`, g.batch, argsAt, kernel.scratchBytes(g));
    } else {
      simd[kernel.name](...args);
    }
  } finally {
    heap.free(tableBlock);
  }
}
