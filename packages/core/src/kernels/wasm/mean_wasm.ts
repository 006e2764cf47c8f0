import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { runStockKernel } from '../stock_kernels.js';
import { leadingAxesSum } from './leading_axes_sum.js';

/** Mean on `wasm`: leading-axes reductions (BatchNorm moments) without the stock kernel's transpose. */
export const meanWasmConfig: tf.KernelConfig = {
  kernelName: tf.Mean,
  backendName: 'wasm',
  kernelFunc: (args) => {
    const { axis, keepDims } = args.attrs as unknown as tf.MeanAttrs;
    const x = (args.inputs as { x: tf.TensorInfo }).x;
    const mean = leadingAxesSum(args.backend as BackendWasm, x, axis, keepDims, (rows) => 1 / rows);
    return mean ?? runStockKernel(tf.Mean, 'wasm', args);
  },
};
