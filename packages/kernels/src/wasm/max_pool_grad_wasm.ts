import * as tf from '@tensorflow/tfjs-core';
import { heapOutput, heapTensor } from '../adapters/wasm.js';
import { STREAMING_TASKS, streamingKernels } from '../streaming/streaming_instance.js';
import { runJob } from './streaming_jobs.js';
import { isInside2x2, maxPoolGradInfo, maxPoolGradTyped } from '../typed_array/max_pool_grad.js';

/**
 * MaxPoolGrad on `wasm`: 2×2 stride-2 windows inside the input (every CNN's pooling) on the SIMD module, in
 * place on the heap, an image a task over the engine's threads where the heap is shared; other windows, or
 * where the module cannot run, the JS loop. Besides being slower, the stock kernel drops the gradient of every
 * window whose maximum is negative (tfjs 4.22).
 */
export const maxPoolGradWasmConfig: tf.KernelConfig = {
  kernelName: tf.MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
    const info = maxPoolGradInfo(input, attrs as unknown as tf.MaxPoolGradAttrs);
    const run = isInside2x2(info) ? streamingKernels(backend, tf.MaxPoolGrad) : undefined;
    if (run !== undefined) {
      const dx = heapOutput(backend, input.shape);
      const { batchSize, inHeight, inWidth, inChannels } = info;
      const at = (t: tf.TensorInfo) => run.heap.address(t);
      runJob(run, STREAMING_TASKS.maxPoolGrad2x2, batchSize, [
        at(input),
        at(dy),
        at(dx),
        inHeight,
        inWidth,
        inChannels,
      ]);
      return dx;
    }
    return heapTensor(backend, input.shape, [input, dy], (dx, x, g) => maxPoolGradTyped(x!, g!, info, dx));
  },
};
