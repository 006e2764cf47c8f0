import type * as tf from '@tensorflow/tfjs-core';
import type { KernelBackendArg } from '../adapters/kernel_backend.js';
import { backendHeap, wasmFloatIO } from '../adapters/wasm.js';
import { serialRunner } from '../engine/serial.js';
import type { Engine, EngineMemory } from '../engine/types.js';
import { engineModule } from '../engine/variant.js';
import type { EngineIO } from './run_on_engine.js';

const ALIGN = 16;

/** One engine per heap; null where the module cannot be instantiated on it. */
const engines = new WeakMap<WebAssembly.Memory, Engine | null>();

/**
 * The engine on the wasm backend's own heap, one thread, in place: allocations through the backend's
 * malloc (aligned to 16 bytes), tensors at their heap addresses. The same module variant (FMA or not) and the
 * same tasks as the threaded engine, so the same bits.
 */
function heapEngine(
  backend: KernelBackendArg,
): { engine: Engine; address(t: tf.TensorInfo): number } | undefined {
  const heap = backendHeap(backend);
  if (heap === undefined) return undefined;
  let engine = engines.get(heap.memory);
  if (engine === undefined) {
    try {
      const exports = new WebAssembly.Instance(engineModule({ shared: false }).module, {
        env: { memory: heap.memory },
      }).exports as Engine['exports'];
      const raw = new Map<number, number>();
      const memory: EngineMemory = {
        memory: heap.memory,
        shared: false,
        alloc(bytes) {
          const block = heap.malloc(bytes + ALIGN);
          if (block === 0)
            throw new Error(`engine on the wasm heap: malloc of ${bytes + ALIGN} bytes failed`);
          const address = Math.ceil(block / ALIGN) * ALIGN;
          raw.set(address, block);
          return address;
        },
        free(address) {
          const block = raw.get(address);
          if (block === undefined)
            throw new Error(`engine on the wasm heap: free of ${address}, not allocated`);
          raw.delete(address);
          heap.free(block);
        },
        f32: (address, length) => new Float32Array(heap.memory.buffer, address, length),
        i32: (address, length) => new Int32Array(heap.memory.buffer, address, length),
      };
      engine = { memory, exports, runner: serialRunner(memory, exports), dispose: () => undefined };
    } catch {
      engine = null;
    }
    engines.set(heap.memory, engine);
  }
  return engine === null ? undefined : { engine, address: heap.address };
}

/** The wasm backend's tensors for the engine kernels: copied into the engine, or used in place on the heap. */
export const wasmEngineIO: EngineIO = { ...wasmFloatIO, inPlace: heapEngine };
