/**
 * The one module that touches the tfjs 4.22 `wasm` backend's internals: tensors live on its Emscripten heap
 * (`makeOutput`, `typedArrayFromHeap`, `dataIdMap` with each buffer's address and reference count,
 * `_malloc`/`_free`, `asm.memory`).
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type * as tf from '@tensorflow/tfjs-core';
import type { EngineMemory } from '../engine/types.js';
import type { FloatTensorIO, KernelBackendArg } from './kernel_backend.js';

const wasmOf = (backend: KernelBackendArg): BackendWasm => backend as BackendWasm;

/**
 * A float32 view of `t`'s data on the heap. Take views after every allocation: malloc may grow the heap,
 * which detaches views taken before it.
 */
export function heapFloats(backend: KernelBackendArg, t: tf.TensorInfo): Float32Array {
  return wasmOf(backend).typedArrayFromHeap(t) as Float32Array;
}

/** A new, unwritten float32 tensor of `shape` on the heap. */
export function heapOutput(backend: KernelBackendArg, shape: number[]): tf.TensorInfo {
  return wasmOf(backend).makeOutput(shape, 'float32');
}

/**
 * Allocates a float32 tensor on the heap and lets `fill` write all of it, given views of `inputs`. The views
 * are taken after the allocation (see {@link heapFloats}).
 */
export function heapTensor(
  backend: KernelBackendArg,
  shape: number[],
  inputs: tf.TensorInfo[],
  fill: (out: Float32Array, ...ins: Float32Array[]) => void,
): tf.TensorInfo {
  const out = heapOutput(backend, shape);
  fill(heapFloats(backend, out), ...inputs.map((t) => heapFloats(backend, t)));
  return out;
}

/** Frees a temporary heap tensor a kernel made (one that is not among its outputs). */
export function disposeHeapTensor(backend: KernelBackendArg, t: tf.TensorInfo): void {
  wasmOf(backend).disposeData(t.dataId);
}

/**
 * `t` itself as a new tensor sharing its buffer (one more reference to it), or undefined where the backend
 * holds no such buffer (string tensors). The backend frees a buffer only when its count reaches 0.
 */
export function shareTensor(backend: KernelBackendArg, t: tf.TensorInfo): tf.TensorInfo | undefined {
  const data = wasmOf(backend).dataIdMap.get(t.dataId);
  if (t.dtype === 'string' || data === undefined) return undefined;
  data.refCount++;
  return { dataId: t.dataId, shape: t.shape, dtype: t.dtype };
}

/** The backend's heap as tfjs-independent code needs it to work in place: the memory and its allocator. */
export interface BackendHeap {
  memory: WebAssembly.Memory;
  /** Whether `memory` is shared (the backend was started by `onSharedWasmHeap`): worker threads can use it. */
  shared: boolean;
  malloc: (bytes: number) => number;
  free: (address: number) => void;
  /** Byte address of a tensor's data in `memory`. */
  address: (t: tf.TensorInfo) => number;
}

/**
 * The heap of a tfjs 4.22 wasm backend (its Emscripten module's `asm.memory`, checked to be the memory
 * tfjs's own views use), or undefined where it cannot be found.
 */
export function backendHeap(backend: KernelBackendArg): BackendHeap | undefined {
  const wasm = wasmOf(backend);
  const module = wasm.wasm as unknown as {
    asm?: { memory?: unknown };
    HEAPU8: Uint8Array;
    _malloc: (bytes: number) => number;
    _free: (address: number) => void;
  };
  const memory = module.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory) || memory.buffer !== module.HEAPU8.buffer) return undefined;
  return {
    memory,
    shared: typeof SharedArrayBuffer === 'function' && memory.buffer instanceof SharedArrayBuffer,
    malloc: (bytes) => module._malloc(bytes),
    free: (address) => module._free(address),
    address: (t) => wasm.dataIdMap.get(t.dataId)!.memoryOffset,
  };
}

const ALIGN = 16;

/** One engine memory per heap, so that what one allocation made another can free. */
const engineMemories = new WeakMap<WebAssembly.Memory, EngineMemory>();

/**
 * The heap as engine memory (for engine modules instantiated on it): allocations through the backend's malloc,
 * 16-byte aligned, views of the heap's current buffer.
 */
export function heapEngineMemory(heap: BackendHeap): EngineMemory {
  let memory = engineMemories.get(heap.memory);
  if (memory === undefined) {
    const raw = new Map<number, number>();
    memory = {
      memory: heap.memory,
      shared: heap.shared,
      alloc(bytes) {
        const block = heap.malloc(bytes + ALIGN);
        if (block === 0) throw new Error(`the wasm heap: malloc of ${bytes + ALIGN} bytes failed`);
        const address = Math.ceil(block / ALIGN) * ALIGN;
        raw.set(address, block);
        return address;
      },
      free(address) {
        const block = raw.get(address);
        if (block === undefined) throw new Error(`the wasm heap: free of ${address}, not allocated`);
        raw.delete(address);
        heap.free(block);
      },
      f32: (address, length) => new Float32Array(heap.memory.buffer, address, length),
      i32: (address, length) => new Int32Array(heap.memory.buffer, address, length),
    };
    engineMemories.set(heap.memory, memory);
  }
  return memory;
}

/** Float32 tensors on the wasm backend: views of its heap, the output's taken after its allocation. */
export const wasmFloatIO: FloatTensorIO = {
  read: heapFloats,
  write: (backend, shape, fill) => {
    const out = heapOutput(backend, shape);
    fill(heapFloats(backend, out));
    return out;
  },
};
