import type * as tf from '@tensorflow/tfjs-core';
import type { KernelBackendArg } from '../adapters/kernel_backend.js';
import { backendHeap, heapEngineMemory, wasmFloatIO } from '../adapters/wasm.js';
import { moduleRunner } from '../engine/module_runners.js';
import { engineThreads } from '../engine/process_engine.js';
import type { Engine } from '../engine/types.js';
import { engineModule } from '../engine/variant.js';
import type { EngineIO } from './run_on_engine.js';

/** The engine's exports on each heap; null where the module cannot be instantiated on it. */
const instances = new WeakMap<WebAssembly.Memory, Engine['exports'] | null>();

/**
 * The engine in place on the wasm backend's heap, tensors at their heap addresses: on every engine thread
 * where the heap is shared (the backend started by `onSharedWasmHeap`), on one thread otherwise. The same
 * module variant (FMA or not) and the same tasks as the process's engine, so the same bits.
 */
function heapEngine(
  backend: KernelBackendArg,
): { engine: Engine; address(t: tf.TensorInfo): number } | undefined {
  const heap = backendHeap(backend);
  if (heap === undefined) return undefined;
  const { module } = engineModule({ shared: heap.shared });
  let exports = instances.get(heap.memory);
  if (exports === undefined) {
    try {
      exports = new WebAssembly.Instance(module, { env: { memory: heap.memory } })
        .exports as Engine['exports'];
    } catch {
      exports = null;
    }
    instances.set(heap.memory, exports);
  }
  if (exports === null) return undefined;
  const memory = heapEngineMemory(heap);
  const runner = moduleRunner(module, memory, exports, engineThreads());
  return { engine: { memory, exports, runner, dispose: () => undefined }, address: heap.address };
}

/** The wasm backend's tensors for the engine kernels: copied into the engine, or used in place on the heap. */
export const wasmEngineIO: EngineIO = { ...wasmFloatIO, inPlace: heapEngine };
