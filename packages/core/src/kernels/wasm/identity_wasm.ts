import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { runStockKernel } from '../stock_kernels.js';

/**
 * Identity on `wasm` by reference, as the cpu and webgpu backends do it: the stock kernel copies the data, and
 * the engine runs Identity (through `clone`) on every tensor a gradient saves, so a training step copied each
 * saved activation once more. The backend frees a buffer only when its reference count reaches 0, and no
 * kernel writes into its inputs, so sharing is safe.
 */
export const identityWasmConfig: tf.KernelConfig = {
  kernelName: tf.Identity,
  backendName: 'wasm',
  kernelFunc: (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const data = (args.backend as BackendWasm).dataIdMap.get(x.dataId);
    if (x.dtype === 'string' || data === undefined) return runStockKernel(tf.Identity, 'wasm', args);
    data.refCount++;
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  },
};
