import { instancePerMemory } from '../adapters/instance_per_memory.js';
import { backendHeap, type BackendHeap } from '../adapters/wasm.js';
import type { KernelBackendArg } from '../adapters/kernel_backend.js';
import { streamingWasmBytes } from './streaming_wasm.js';

/** The module's exports (see streaming.wat): every argument an i32 byte address or count, but `floor`. */
export interface StreamingExports {
  moments: (x: number, rows: number, C: number, acc: number) => void;
  normalize: (x: number, y: number, rows: number, C: number, params: number, floor: number) => void;
  gradientSums: (
    dy: number,
    x: number,
    y: number,
    rows: number,
    C: number,
    mean: number,
    pass: number,
    acc: number,
  ) => void;
  gradientApply: (
    dy: number,
    x: number,
    y: number,
    dx: number,
    rows: number,
    C: number,
    params: number,
    pass: number,
  ) => void;
  sumRows: (src: number, rows: number, inner: number, acc: number) => void;
  maxPoolGrad2x2: (x: number, dy: number, dx: number, batch: number, h: number, w: number, C: number) => void;
  avgPoolGrad2x2: (dy: number, dx: number, batch: number, h: number, w: number, C: number) => void;
  reluGrad: (dy: number, x: number, dx: number, n: number) => void;
}

/** The SIMD kernels on one backend's heap, with the heap (allocator, addresses) they work on. */
export interface StreamingKernels {
  simd: StreamingExports;
  heap: BackendHeap;
}

/** How many times each kernel ran on the module (the tests check the SIMD path is the one taken). */
export const streamingCalls: Record<string, number> = {};

const instance = instancePerMemory<StreamingExports>(streamingWasmBytes);

/**
 * The SIMD kernels in place on the wasm backend's heap, counting a call of `kernel`; undefined where they
 * cannot run (no SIMD, no heap found): the caller runs its JS kernel then.
 */
export function streamingKernels(backend: KernelBackendArg, kernel: string): StreamingKernels | undefined {
  const heap = backendHeap(backend);
  const simd = heap === undefined ? null : instance(heap.memory);
  if (heap === undefined || simd === null) return undefined;
  streamingCalls[kernel] = (streamingCalls[kernel] ?? 0) + 1;
  return { simd, heap };
}

/**
 * Runs `body` with `bytes` of scratch on the heap (freed after). Views of the heap must be taken inside, after
 * the allocation: malloc may grow the heap, which detaches earlier views.
 */
export function withScratch<T>(heap: BackendHeap, bytes: number, body: (scratch: number) => T): T {
  const scratch = heap.malloc(bytes);
  try {
    return body(scratch);
  } finally {
    heap.free(scratch);
  }
}
