import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { leadingAxesReduction, reductionScale, sumRows } from '../leading_axes_sum.js';
import { runStockKernel } from '../stock_kernels.js';

/** Sum or Mean on `cpu` over leading axes without the stock kernel's transpose; other reductions go to the stock one. */
function leadingAxesCpuConfig(kernelName: typeof tf.Sum | typeof tf.Mean): tf.KernelConfig {
  return {
    kernelName,
    backendName: 'cpu',
    kernelFunc: (args) => {
      const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
      const x = (args.inputs as { x: tf.TensorInfo }).x;
      const r = leadingAxesReduction(x, axis, keepDims);
      if (r === undefined) return runStockKernel(kernelName, 'cpu', args);
      const cpu = args.backend as MathBackendCPU;
      const out = new Float32Array(r.inner);
      sumRows(cpu.data.get(x.dataId)!.values as Float32Array, r, reductionScale(kernelName, r), out);
      return cpu.makeTensorInfo(r.outShape, 'float32', out);
    },
  };
}

/** Bias gradients. */
export const sumCpuConfig = leadingAxesCpuConfig(tf.Sum);
/** BatchNorm moments. */
export const meanCpuConfig = leadingAxesCpuConfig(tf.Mean);
