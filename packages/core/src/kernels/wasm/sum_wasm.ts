import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { runStockKernel } from '../stock_kernels.js';
import { leadingAxesSum } from './leading_axes_sum.js';

/** Sum on `wasm`: leading-axes reductions (bias gradients) without the stock kernel's transpose. */
export const sumWasmConfig: tf.KernelConfig = {
  kernelName: tf.Sum,
  backendName: 'wasm',
  kernelFunc: (args) => {
    const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
    const x = (args.inputs as { x: tf.TensorInfo }).x;
    return (
      leadingAxesSum(args.backend as BackendWasm, x, axis, keepDims, () => 1) ??
      runStockKernel(tf.Sum, 'wasm', args)
    );
  },
};
