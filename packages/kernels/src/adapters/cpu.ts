/**
 * The one module that touches the tfjs 4.22 `cpu` backend's internals: its tensors are plain typed arrays in
 * `backend.data` (`values`), and `makeTensorInfo` adopts an array as a new tensor's data.
 */
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type * as tf from '@tensorflow/tfjs-core';
import type { FloatTensorIO, KernelBackendArg } from './kernel_backend.js';

/** The float32 values of `t` on the cpu backend: the backend's own array, not a copy (read it, never write). */
export function cpuFloats(backend: KernelBackendArg, t: tf.TensorInfo): Float32Array {
  return (backend as MathBackendCPU).data.get(t.dataId)!.values as Float32Array;
}

/** A new float32 tensor of `shape` on the cpu backend, owning `values` (not copied). */
export function cpuTensor(backend: KernelBackendArg, shape: number[], values: Float32Array): tf.TensorInfo {
  return (backend as MathBackendCPU).makeTensorInfo(shape, 'float32', values);
}

/** Float32 tensors on the cpu backend: its own arrays in, a new array adopted out. */
export const cpuFloatIO: FloatTensorIO = {
  read: cpuFloats,
  write: (backend, shape, fill) => {
    const values = new Float32Array(shape.reduce((n, d) => n * d, 1));
    fill(values);
    return cpuTensor(backend, shape, values);
  },
};
