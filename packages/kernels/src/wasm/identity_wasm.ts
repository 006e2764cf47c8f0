import * as tf from '@tensorflow/tfjs-core';
import { shareTensor } from '../adapters/wasm.js';
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
    return shareTensor(args.backend, x) ?? runStockKernel(tf.Identity, 'wasm', args);
  },
};
