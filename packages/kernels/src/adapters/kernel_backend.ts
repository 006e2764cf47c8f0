import type * as tf from '@tensorflow/tfjs-core';

/** The `backend` a kernel function receives (tfjs types it as `{}`); the adapters know what it is. */
export type KernelBackendArg = Parameters<tf.KernelFunc>[0]['backend'];

/** How a kernel written once for cpu and wasm reads its float32 inputs and makes its output on each. */
export interface FloatTensorIO {
  /** The values of `t`: a view of the backend's own data, read at once (never kept, never written). */
  read(backend: KernelBackendArg, t: tf.TensorInfo): Float32Array;
  /** A new float32 tensor of `shape`, all of which `fill` writes through the view it is given. */
  write(backend: KernelBackendArg, shape: number[], fill: (out: Float32Array) => void): tf.TensorInfo;
}
