import * as tf from '@tensorflow/tfjs-core';
import { heapTensor } from '../adapters/wasm.js';
import { runStockKernel } from '../stock_kernels.js';
import { leadingAxesReduction, reductionScale, sumRows } from '../typed_array/leading_axes_sum.js';

/** Sum or Mean on `wasm` over leading axes without the stock kernel's transpose; other reductions go to the stock one. */
function leadingAxesWasmConfig(kernelName: typeof tf.Sum | typeof tf.Mean): tf.KernelConfig {
  return {
    kernelName,
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
      const x = (args.inputs as { x: tf.TensorInfo }).x;
      const r = leadingAxesReduction(x, axis, keepDims);
      if (r === undefined) return runStockKernel(kernelName, 'wasm', args);
      return heapTensor(args.backend, r.outShape, [x], (out, src) =>
        sumRows(src!, r, reductionScale(kernelName, r), out),
      );
    },
  };
}

/** Bias gradients. */
export const sumWasmConfig = leadingAxesWasmConfig(tf.Sum);
/** BatchNorm moments. */
export const meanWasmConfig = leadingAxesWasmConfig(tf.Mean);
