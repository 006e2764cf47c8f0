import type * as tf from '@tensorflow/tfjs-core';
import { heapTensor } from '../adapters/wasm.js';
import type { KernelBackendArg } from '../adapters/kernel_backend.js';

const TILE = 32;

/**
 * `t` with its last two axes swapped, into a new heap tensor. Tiled so both sides stay in cache: the stock
 * Transpose kernel is generic and several times slower on these shapes.
 */
export function transposeLastTwo(backend: KernelBackendArg, t: tf.TensorInfo): tf.TensorInfo {
  const rank = t.shape.length;
  const rows = t.shape[rank - 2]!;
  const cols = t.shape[rank - 1]!;
  const shape = [...t.shape.slice(0, rank - 2), cols, rows];
  return heapTensor(backend, shape, [t], (out, src) => {
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
