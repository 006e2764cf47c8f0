import type * as tf from '@tensorflow/tfjs-core';
import { heapOutput, heapTensor } from '../adapters/wasm.js';
import { InvReluGrad } from '../kernel_names.js';
import { STREAMING_TASKS, streamingKernels } from '../streaming/streaming_instance.js';
import { reluGradTyped } from '../typed_array/relu_grad.js';
import { runJob } from './streaming_jobs.js';

/** Elements per task (a multiple of 4): 256 kB of each tensor, 24 tasks at resinv's [128, 16, 16, 48]. */
const ELEMENTS_PER_TASK = 65536;

/**
 * {@link InvReluGrad} on `wasm`: the SIMD module in place on the heap, over the engine's threads where the heap
 * is shared, or else the JS loop on heap views.
 */
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
    const n = x.shape.reduce((count, d) => count * d, 1);
    runJob(run, STREAMING_TASKS.reluGrad, Math.max(1, Math.ceil(n / ELEMENTS_PER_TASK)), [
      at(dy),
      at(x),
      at(dx),
      n,
      ELEMENTS_PER_TASK,
    ]);
    return dx;
  },
};
