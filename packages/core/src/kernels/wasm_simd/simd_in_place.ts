import {
  backendHeap,
  engineThreads,
  heapEngineMemory,
  moduleRunner,
  type Engine,
  type KernelBackendArg,
} from '@inv/kernels';
import type * as tf from '@tensorflow/tfjs-core';
import type { InvolutionGeometry } from '../../op/geometry.js';
import { callSimdKernel, READ_SLACK } from './call_simd_kernel.js';
import { involutionSimd } from './simd_instance.js';
import { simdFallbackReason, type SimdInvolutionKernel } from './simd_kernels.js';

/**
 * Runs `kernel` on the SIMD module in place on the wasm backend's heap, writing the first `outFloats` floats
 * at `out`'s address (and nothing after them). Returns false, having done nothing, where the JS kernel must
 * run instead: no WebAssembly SIMD or no heap found, a geometry the module does not cover, or an input so
 * close to the end of the memory that reading past it could trap.
 */
export function runInvolutionSimdInPlace(
  kernel: SimdInvolutionKernel,
  backend: KernelBackendArg,
  g: InvolutionGeometry,
  inputs: readonly [tf.TensorInfo, tf.TensorInfo],
  out: tf.TensorInfo,
  outFloats: number,
): boolean {
  if (simdFallbackReason(g) !== undefined) return false;
  const heap = backendHeap(backend);
  const simd = heap === undefined ? undefined : involutionSimd(heap.memory);
  if (heap === undefined || simd === undefined) return false;
  const [a, b] = inputs.map((t) => heap.address(t)) as [number, number];
  const memoryEnd = heap.memory.buffer.byteLength;
  const inputEnds = inputs.map((t, k) => [a, b][k]! + t.shape.reduce((n, e) => n * e, 1) * 4);
  if (inputEnds.some((end) => end + READ_SLACK > memoryEnd)) return false;
  // Every engine thread where the heap is shared (one image a task), else this one.
  const runner = moduleRunner(
    simd.module,
    heapEngineMemory(heap),
    simd.exports as unknown as Engine['exports'],
    engineThreads(),
  );
  callSimdKernel(kernel, simd.exports, heap, g, { a, b, out: heap.address(out) }, outFloats, runner);
  return true;
}
