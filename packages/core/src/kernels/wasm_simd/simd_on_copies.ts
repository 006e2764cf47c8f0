import type { InvolutionGeometry } from '../../op/geometry.js';
import { callSimdKernel, READ_SLACK, type SimdHeap } from './call_simd_kernel.js';
import { involutionSimd } from './simd_instance.js';
import { simdFallbackReason, type SimdInvolutionKernel } from './simd_kernels.js';

const PAGE_BYTES = 65536;
const align16 = (n: number): number => (n + 15) & ~15;

/**
 * The module's own memory, for backends whose tensors are JS arrays (cpu): grown to the largest call so far
 * and kept (a WebAssembly memory cannot shrink; a fresh one per call would pay its page faults every time).
 */
let ownMemory: WebAssembly.Memory | undefined;

function memoryOfAtLeast(bytes: number): WebAssembly.Memory {
  const pages = Math.ceil(bytes / PAGE_BYTES);
  if (ownMemory === undefined) ownMemory = new WebAssembly.Memory({ initial: pages });
  const missing = pages - ownMemory.buffer.byteLength / PAGE_BYTES;
  if (missing > 0) ownMemory.grow(missing);
  return ownMemory;
}

/**
 * Runs `kernel` on the SIMD module on copies of `a` and `b` in its own memory, then copies the result into
 * `out` (all of it). Returns false, having done nothing, where the JS kernel must run instead: no WebAssembly
 * SIMD, or a geometry the module does not cover.
 */
export function runInvolutionSimdOnCopies(
  kernel: SimdInvolutionKernel,
  g: InvolutionGeometry,
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
): boolean {
  if (simdFallbackReason(g) !== undefined) return false;
  const at = { a: 0, b: align16(a.byteLength), out: align16(a.byteLength) + align16(b.byteLength) };
  // Tables and scratch follow the output; the slack keeps every read inside the memory.
  let end = at.out + align16(out.byteLength);
  const memory = memoryOfAtLeast(end + READ_SLACK);
  const simd = involutionSimd(memory);
  if (simd === undefined) return false;
  new Float32Array(memory.buffer, at.a, a.length).set(a);
  new Float32Array(memory.buffer, at.b, b.length).set(b);
  const heap: SimdHeap = {
    memory,
    malloc: (bytes) => {
      const block = end;
      end += align16(bytes);
      memoryOfAtLeast(end + READ_SLACK);
      return block;
    },
    // Each call starts over at the top of the output.
    free: () => undefined,
  };
  callSimdKernel(kernel, simd.exports, heap, g, at, out.length);
  out.set(new Float32Array(memory.buffer, at.out, out.length));
  return true;
}
