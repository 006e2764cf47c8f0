import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { maxPoolGradInfo, maxPoolGradTyped } from '../max_pool_grad_typed.js';
import { heapTensor } from './wasm_heap.js';

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
    return heapTensor(backend as BackendWasm, input.shape, [input, dy], (dx, x, g) =>
      maxPoolGradTyped(x!, g!, info, dx),
    );
  },
};
