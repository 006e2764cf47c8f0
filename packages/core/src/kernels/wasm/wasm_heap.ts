import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type * as tf from '@tensorflow/tfjs-core';

/**
 * Allocates a float32 tensor on the wasm heap and lets `fill` write all of it, given views of `inputs`. The
 * views are taken after the allocation: malloc may grow the heap, which detaches views taken before it.
 */
export function heapTensor(
  wasm: BackendWasm,
  shape: number[],
  inputs: tf.TensorInfo[],
  fill: (out: Float32Array, ...ins: Float32Array[]) => void,
): tf.TensorInfo {
  const out = wasm.makeOutput(shape, 'float32');
  fill(
    wasm.typedArrayFromHeap(out) as Float32Array,
    ...inputs.map((t) => wasm.typedArrayFromHeap(t) as Float32Array),
  );
  return out;
}

/** The backend's heap as tfjs-independent code needs it to work in place: the memory and its allocator. */
export interface BackendHeap {
  memory: WebAssembly.Memory;
  malloc: (bytes: number) => number;
  free: (address: number) => void;
  /** Byte address of a tensor's data in `memory`. */
  address: (t: tf.TensorInfo) => number;
}

/**
 * The heap of a tfjs 4.22 wasm backend (its Emscripten module's `asm.memory`, checked to be the memory
 * tfjs's own views use), or undefined where it cannot be found.
 */
export function backendHeap(wasm: BackendWasm): BackendHeap | undefined {
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
    malloc: (bytes) => module._malloc(bytes),
    free: (address) => module._free(address),
    address: (t) => wasm.dataIdMap.get(t.dataId)!.memoryOffset,
  };
}

const TILE = 32;

/**
 * `t` with its last two axes swapped, into a new heap tensor. Tiled so both sides stay in cache: the stock
 * Transpose kernel is generic and several times slower on these shapes.
 */
export function transposeLastTwo(wasm: BackendWasm, t: tf.TensorInfo): tf.TensorInfo {
  const rank = t.shape.length;
  const rows = t.shape[rank - 2]!;
  const cols = t.shape[rank - 1]!;
  const shape = [...t.shape.slice(0, rank - 2), cols, rows];
  return heapTensor(wasm, shape, [t], (out, src) => {
    for (let base = 0; base < src!.length; base += rows * cols)
      for (let r0 = 0; r0 < rows; r0 += TILE)
        for (let c0 = 0; c0 < cols; c0 += TILE) {
          const r1 = Math.min(rows, r0 + TILE);
          const c1 = Math.min(cols, c0 + TILE);
          for (let c = c0; c < c1; c++)
            for (let r = r0; r < r1; r++) out[base + c * rows + r] = src![base + r * cols + c]!;
        }
  });
}
