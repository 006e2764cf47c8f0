import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { leadingAxesReduction, sumRows } from '../leading_axes_sum.js';
import { runStockKernel } from '../stock_kernels.js';

/** Mean on `cpu`: leading-axes reductions (BatchNorm moments) without the stock kernel's transpose. */
export const meanCpuConfig: tf.KernelConfig = {
  kernelName: tf.Mean,
  backendName: 'cpu',
  kernelFunc: (args) => {
    const { axis, keepDims } = args.attrs as unknown as tf.MeanAttrs;
    const x = (args.inputs as { x: tf.TensorInfo }).x;
    const r = leadingAxesReduction(x, axis, keepDims);
    if (r === undefined) return runStockKernel(tf.Mean, 'cpu', args);
    const cpu = args.backend as MathBackendCPU;
    const out = new Float32Array(r.inner);
    sumRows(cpu.data.get(x.dataId)!.values as Float32Array, r, 1 / r.rows, out);
    return cpu.makeTensorInfo(r.outShape, 'float32', out);
  },
};
