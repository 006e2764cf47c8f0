import { instancePerMemory } from '../adapters/instance_per_memory.js';
import { backendHeap, heapEngineMemory, type BackendHeap } from '../adapters/wasm.js';
import type { KernelBackendArg } from '../adapters/kernel_backend.js';
import { moduleRunner } from '../engine/module_runners.js';
import { engineThreads } from '../engine/process_engine.js';
import type { Engine, TaskRunner } from '../engine/types.js';
import { streamingWasmBytes } from './streaming_wasm.js';

/** A kernel in the engine's task form: `(task, args, scratch)`, run by a {@link TaskRunner}. */
type TaskExport = (task: number, args: number, scratch: number) => void;

/** The module's exports (see streaming.wat): kernels in the engine's task form, every argument an i32 word. */
export interface StreamingExports {
  momentsTask: TaskExport;
  normalizeTask: TaskExport;
  gradientSumsTask: TaskExport;
  gradientApplyTask: TaskExport;
  reluGradTask: TaskExport;
  maxPoolGrad2x2Task: TaskExport;
  avgPoolGrad2x2Task: TaskExport;
}

/** The module's kernels as tasks (see streaming.wat), run through a {@link TaskRunner}. */
export const STREAMING_TASKS = {
  moments: 'momentsTask',
  normalize: 'normalizeTask',
  gradientSums: 'gradientSumsTask',
  gradientApply: 'gradientApplyTask',
  reluGrad: 'reluGradTask',
  maxPoolGrad2x2: 'maxPoolGrad2x2Task',
  avgPoolGrad2x2: 'avgPoolGrad2x2Task',
} as const satisfies Record<string, keyof StreamingExports>;

/** The SIMD kernels on one backend's heap, with the heap (allocator, addresses) they work on. */
export interface StreamingKernels {
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
  return { heap, runner };
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
