import * as tf from '@tensorflow/tfjs-core';
import { heapFloats, heapOutput, heapTensor } from '../adapters/wasm.js';
import { runStockKernel } from '../stock_kernels.js';
import { streamingKernels, withScratch } from '../streaming/streaming_instance.js';
import { leadingAxesReduction, reductionScale, sumRows } from '../typed_array/leading_axes_sum.js';

/**
 * Sum or Mean on `wasm` over leading axes without the stock kernel's transpose, on the SIMD module (float64
 * sums) or else the JS loop; other reductions go to the stock one.
 */
function leadingAxesWasmConfig(kernelName: typeof tf.Sum | typeof tf.Mean): tf.KernelConfig {
  return {
    kernelName,
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
      const x = (args.inputs as { x: tf.TensorInfo }).x;
      const r = leadingAxesReduction(x, axis, keepDims);
      if (r === undefined) return runStockKernel(kernelName, 'wasm', args);
      const scale = reductionScale(kernelName, r);
      const run = streamingKernels(args.backend, kernelName);
      if (run !== undefined) {
        const out = heapOutput(args.backend, r.outShape);
        withScratch(run.heap, 8 * r.inner, (acc) => {
          run.simd.sumRows(run.heap.address(x), r.rows, r.inner, acc);
          const sums = new Float64Array(run.heap.memory.buffer, acc, r.inner);
          const values = heapFloats(args.backend, out);
          for (let n = 0; n < r.inner; n++) values[n] = sums[n]! * scale;
        });
        return out;
      }
      return heapTensor(args.backend, r.outShape, [x], (out, src) => sumRows(src!, r, scale, out));
    },
  };
}

/** Bias gradients. */
export const sumWasmConfig = leadingAxesWasmConfig(tf.Sum);
/** BatchNorm moments. */
export const meanWasmConfig = leadingAxesWasmConfig(tf.Mean);
