import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { leadingAxesReduction, sumRows } from '../leading_axes_sum.js';
import { runStockKernel } from '../stock_kernels.js';
import { heapTensor } from './wasm_heap.js';

/** Sum on `wasm`: leading-axes reductions (bias gradients) without the stock kernel's transpose. */
export const sumWasmConfig: tf.KernelConfig = {
  kernelName: tf.Sum,
  backendName: 'wasm',
  kernelFunc: (args) => {
    const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
    const x = (args.inputs as { x: tf.TensorInfo }).x;
    const r = leadingAxesReduction(x, axis, keepDims);
    if (r === undefined) return runStockKernel(tf.Sum, 'wasm', args);
    return heapTensor(args.backend as BackendWasm, r.outShape, [x], (out, src) => sumRows(src!, r, 1, out));
  },
};
