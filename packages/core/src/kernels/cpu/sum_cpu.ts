import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { leadingAxesReduction, sumRows } from '../leading_axes_sum.js';
import { runStockKernel } from '../stock_kernels.js';

/** Sum on `cpu`: leading-axes reductions (bias gradients) without the stock kernel's transpose. */
export const sumCpuConfig: tf.KernelConfig = {
  kernelName: tf.Sum,
  backendName: 'cpu',
  kernelFunc: (args) => {
    const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
    const x = (args.inputs as { x: tf.TensorInfo }).x;
    const r = leadingAxesReduction(x, axis, keepDims);
    if (r === undefined) return runStockKernel(tf.Sum, 'cpu', args);
    const cpu = args.backend as MathBackendCPU;
    const out = new Float32Array(r.inner);
    sumRows(cpu.data.get(x.dataId)!.values as Float32Array, r, 1, out);
    return cpu.makeTensorInfo(r.outShape, 'float32', out);
  },
};
