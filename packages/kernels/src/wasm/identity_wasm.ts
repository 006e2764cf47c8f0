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

/**
 * Cast to the dtype a tensor already has, by reference too: tfjs's avgPool (RedNet's and resinv's strided
 * involutions) casts its float32 output to float32, a copy forward and another for the gradient.
 */
export const castWasmConfig: tf.KernelConfig = {
  kernelName: tf.Cast,
  backendName: 'wasm',
  kernelFunc: (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const { dtype } = args.attrs as unknown as tf.CastAttrs;
    return (
      (dtype === x.dtype ? shareTensor(args.backend, x) : undefined) ?? runStockKernel(tf.Cast, 'wasm', args)
    );
  },
};
