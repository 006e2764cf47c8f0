import * as tf from '@tensorflow/tfjs-core';
import { heapOutput } from '../adapters/wasm.js';
import { runStockKernel } from '../stock_kernels.js';
import { STREAMING_TASKS, streamingKernels } from '../streaming/streaming_instance.js';
import { runJob } from './streaming_jobs.js';
import { isInside2x2, maxPoolGradInfo } from '../typed_array/max_pool_grad.js';

/**
 * AvgPoolGrad on `wasm`: 2×2 stride-2 windows inside the input (RedNet's strided involutions pool so) on the
 * SIMD module, in place on the heap, an image a task over the engine's threads where the heap is shared; the
 * stock kernel (per channel, 14–16× slower there) for other windows.
 */
export const avgPoolGradWasmConfig: tf.KernelConfig = {
  kernelName: tf.AvgPoolGrad,
  backendName: 'wasm',
  kernelFunc: (args) => {
    const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
    const info = maxPoolGradInfo(input, args.attrs as unknown as tf.AvgPoolGradAttrs);
    const run = isInside2x2(info) ? streamingKernels(args.backend, tf.AvgPoolGrad) : undefined;
    if (run === undefined) return runStockKernel(tf.AvgPoolGrad, 'wasm', args);
    const dx = heapOutput(args.backend, input.shape);
    const { batchSize, inHeight, inWidth, inChannels } = info;
    const at = (t: tf.TensorInfo) => run.heap.address(t);
    runJob(run, STREAMING_TASKS.avgPoolGrad2x2, batchSize, [at(dy), at(dx), inHeight, inWidth, inChannels]);
    return dx;
  },
};
