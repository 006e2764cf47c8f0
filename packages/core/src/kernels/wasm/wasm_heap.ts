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
