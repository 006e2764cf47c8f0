import type * as tf from '@tensorflow/tfjs-core';
import type { KernelBackendArg } from '../adapters/kernel_backend.js';
import { backendHeap, wasmFloatIO, type BackendHeap } from '../adapters/wasm.js';
import { createPool } from '../engine/pool.js';
import { engineThreads } from '../engine/process_engine.js';
import { serialRunner } from '../engine/serial.js';
import type { Engine, EngineMemory } from '../engine/types.js';
import { engineModule } from '../engine/variant.js';
import type { EngineIO } from './run_on_engine.js';

const ALIGN = 16;

/** The engine on a heap, and the thread count it was made for. */
interface HeapEngine {
  engine: Engine;
  threads: number;
}

/** One engine per heap; null where the module cannot be instantiated on it. */
const engines = new WeakMap<WebAssembly.Memory, HeapEngine | null>();

/** The wasm backend's heap as engine memory: allocations through the backend's malloc, 16-byte aligned. */
function heapMemory(heap: BackendHeap): EngineMemory {
  const raw = new Map<number, number>();
  return {
    memory: heap.memory,
    shared: heap.shared,
    alloc(bytes) {
      const block = heap.malloc(bytes + ALIGN);
      if (block === 0) throw new Error(`engine on the wasm heap: malloc of ${bytes + ALIGN} bytes failed`);
      const address = Math.ceil(block / ALIGN) * ALIGN;
      raw.set(address, block);
      return address;
    },
    free(address) {
      const block = raw.get(address);
      if (block === undefined) throw new Error(`engine on the wasm heap: free of ${address}, not allocated`);
      raw.delete(address);
      heap.free(block);
    },
    f32: (address, length) => new Float32Array(heap.memory.buffer, address, length),
    i32: (address, length) => new Int32Array(heap.memory.buffer, address, length),
  };
}

/**
 * An engine on `heap` for `threads` threads: a pool of workers instantiating the engine on the heap itself
 * where it is shared (the backend started by `onSharedWasmHeap`), else the calling thread alone. The same
 * module variant (FMA or not) and the same tasks as the process's engine, so the same bits.
 */
function createHeapEngine(heap: BackendHeap, threads: number): HeapEngine | null {
  const memory = heapMemory(heap);
  try {
    const module = engineModule({ shared: heap.shared }).module;
    const exports = new WebAssembly.Instance(module, { env: { memory: heap.memory } })
      .exports as Engine['exports'];
    if (!heap.shared || threads === 1) {
      return {
        engine: { memory, exports, runner: serialRunner(memory, exports), dispose: () => undefined },
        threads: 1,
      };
    }
    const pool = createPool({ module, memory, exports, threads });
    return { engine: { memory, exports, runner: pool, dispose: () => pool.dispose() }, threads };
  } catch {
    return null;
  }
}

/**
 * The engine in place on the wasm backend's heap, tensors at their heap addresses: on every engine thread
 * where the heap is shared, on one thread otherwise. A change of the engine's thread count replaces it.
 */
function heapEngine(
  backend: KernelBackendArg,
): { engine: Engine; address(t: tf.TensorInfo): number } | undefined {
  const heap = backendHeap(backend);
  if (heap === undefined) return undefined;
  const threads = heap.shared ? engineThreads() : 1;
  let found = engines.get(heap.memory);
  if (found !== undefined && found !== null && found.threads !== threads) {
    found.engine.dispose();
    found = undefined;
  }
  if (found === undefined) {
    found = createHeapEngine(heap, threads);
    engines.set(heap.memory, found);
  }
  return found === null ? undefined : { engine: found.engine, address: heap.address };
}

/** The wasm backend's tensors for the engine kernels: copied into the engine, or used in place on the heap. */
export const wasmEngineIO: EngineIO = { ...wasmFloatIO, inPlace: heapEngine };
