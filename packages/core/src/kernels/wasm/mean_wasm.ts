import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { leadingAxesReduction, sumRows } from '../leading_axes_sum.js';
import { runStockKernel } from '../stock_kernels.js';
import { heapTensor } from './wasm_heap.js';

/** Mean on `wasm`: leading-axes reductions (BatchNorm moments) without the stock kernel's transpose. */
export const meanWasmConfig: tf.KernelConfig = {
  kernelName: tf.Mean,
  backendName: 'wasm',
  kernelFunc: (args) => {
    const { axis, keepDims } = args.attrs as unknown as tf.MeanAttrs;
    const x = (args.inputs as { x: tf.TensorInfo }).x;
    const r = leadingAxesReduction(x, axis, keepDims);
    if (r === undefined) return runStockKernel(tf.Mean, 'wasm', args);
    return heapTensor(args.backend as BackendWasm, r.outShape, [x], (out, src) =>
      sumRows(src!, r, 1 / r.rows, out),
    );
  },
};
