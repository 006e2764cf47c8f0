import * as tf from '@tensorflow/tfjs-core';
import { heapTensor } from '../adapters/wasm.js';
import { maxPoolGradInfo, maxPoolGradTyped } from '../typed_array/max_pool_grad.js';

/**
 * MaxPoolGrad on `wasm`. Besides being slower, the stock kernel drops the gradient of every window whose
 * maximum is negative (tfjs 4.22).
 */
export const maxPoolGradWasmConfig: tf.KernelConfig = {
  kernelName: tf.MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
    const info = maxPoolGradInfo(input, attrs as unknown as tf.MaxPoolGradAttrs);
    return heapTensor(backend, input.shape, [input, dy], (dx, x, g) => maxPoolGradTyped(x!, g!, info, dx));
  },
};
