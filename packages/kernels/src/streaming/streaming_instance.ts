import { instancePerMemory } from '../adapters/instance_per_memory.js';
import { backendHeap, heapEngineMemory, type BackendHeap } from '../adapters/wasm.js';
import type { KernelBackendArg } from '../adapters/kernel_backend.js';
import { moduleRunner } from '../engine/module_runners.js';
import { engineThreads } from '../engine/process_engine.js';
import type { Engine, TaskRunner } from '../engine/types.js';
import { streamingWasmBytes } from './streaming_wasm.js';

/** A kernel in the engine's task form: `(task, args, scratch)`, run by a {@link TaskRunner}. */
type TaskExport = (task: number, args: number, scratch: number) => void;

/** The module's exports (see streaming.wat): every argument an i32 byte address or count, but `floor`. */
export interface StreamingExports {
  momentsTask: TaskExport;
  normalizeTask: TaskExport;
  gradientSumsTask: TaskExport;
  gradientApplyTask: TaskExport;
  maxPoolGrad2x2: (x: number, dy: number, dx: number, batch: number, h: number, w: number, C: number) => void;
  avgPoolGrad2x2: (dy: number, dx: number, batch: number, h: number, w: number, C: number) => void;
  reluGrad: (dy: number, x: number, dx: number, n: number) => void;
}

/** The batch-norm passes as tasks (see streaming.wat; Sum and Mean run moments), run through a {@link TaskRunner}. */
export const STREAMING_TASKS = {
  moments: 'momentsTask',
  normalize: 'normalizeTask',
  gradientSums: 'gradientSumsTask',
  gradientApply: 'gradientApplyTask',
} as const;

/** The SIMD kernels on one backend's heap, with the heap (allocator, addresses) they work on. */
export interface StreamingKernels {
  simd: StreamingExports;
  heap: BackendHeap;
  /** Runs the module's task exports on the engine's threads (where the heap is shared; else one thread). */
  runner: TaskRunner;
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
  const found = heap === undefined ? null : instance(heap.memory);
  if (heap === undefined || found === null) return undefined;
  streamingCalls[kernel] = (streamingCalls[kernel] ?? 0) + 1;
  const runner = moduleRunner(
    found.module,
    heapEngineMemory(heap),
    found.exports as unknown as Engine['exports'],
    engineThreads(),
  );
  return { simd: found.exports, heap, runner };
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
