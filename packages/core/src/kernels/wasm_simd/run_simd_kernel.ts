import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type * as tf from '@tensorflow/tfjs-core';
import type { InvolutionGeometry } from '../../op/geometry.js';
import { backendHeap } from '../wasm/wasm_heap.js';
import { involutionSimd } from './simd_instance.js';
import { simdFallbackReason, type SimdInvolutionKernel } from './simd_kernels.js';

/** A group's last partial vector reads up to this many bytes past an input's end (never written). */
const READ_SLACK = 16;

/**
 * Runs `kernel` on the SIMD module in place on the backend's heap, writing the first `outFloats` floats at
 * `out`'s address (and nothing after them). Returns false, having done nothing, where the JS kernel must run
 * instead: no WebAssembly SIMD or no heap found, a geometry the module does not cover, or an input so close
 * to the end of the memory that reading past it could trap.
 */
export function runInvolutionSimd(
  kernel: SimdInvolutionKernel,
  wasm: BackendWasm,
  g: InvolutionGeometry,
  inputs: readonly [tf.TensorInfo, tf.TensorInfo],
  out: tf.TensorInfo,
  outFloats: number,
): boolean {
  if (simdFallbackReason(g) !== undefined) return false;
  const heap = backendHeap(wasm);
  const simd = heap === undefined ? undefined : involutionSimd(heap.memory);
  if (heap === undefined || simd === undefined) return false;
  const [a, b] = inputs.map((t) => heap.address(t)) as [number, number];
  const memoryEnd = heap.memory.buffer.byteLength;
  const inputEnds = inputs.map((t, k) => [a, b][k]! + t.shape.reduce((n, e) => n * e, 1) * 4);
  if (inputEnds.some((end) => end + READ_SLACK > memoryEnd)) return false;

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
    let at = 0;
    for (const table of tables) {
      addresses.push(tableBlock + at * 4);
      // Table entries are element offsets or entry indices; the module takes both in bytes.
      for (let k = 0; k < table.length; k++) ints[at + k] = table[k]! * 4;
      at += table.length;
    }
    const outAddress = heap.address(out);
    kernel.call(
      simd,
      {
        a,
        b,
        out: outAddress,
        outEnd: outAddress + outFloats * 4,
        tables: addresses,
        scratch: tableBlock + tableInts * 4,
      },
      g,
      plan,
    );
  } finally {
    heap.free(tableBlock);
  }
  return true;
}
