import type * as tf from '@tensorflow/tfjs-core';
import { heapOutput, heapTensor } from '../adapters/wasm.js';
import { InvReluGrad } from '../kernel_names.js';
import { streamingKernels } from '../streaming/streaming_instance.js';
import { reluGradTyped } from '../typed_array/relu_grad.js';

/** {@link InvReluGrad} on `wasm`: the SIMD module in place on the heap, or else the JS loop on heap views. */
export const reluGradWasmConfig: tf.KernelConfig = {
  kernelName: InvReluGrad,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend }) => {
    const { dy, x } = inputs as { dy: tf.TensorInfo; x: tf.TensorInfo };
    const run = streamingKernels(backend, InvReluGrad);
    if (run === undefined)
      return heapTensor(backend, x.shape, [dy, x], (dx, g, v) => reluGradTyped(g!, v!, dx));
    const dx = heapOutput(backend, x.shape);
    const at = (t: tf.TensorInfo) => run.heap.address(t);
    run.simd.reluGrad(
      at(dy),
      at(x),
      at(dx),
      x.shape.reduce((n, d) => n * d, 1),
    );
    return dx;
  },
};
