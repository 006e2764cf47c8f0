import * as tf from '@tensorflow/tfjs-core';
import { cpuFloats, cpuTensor } from '../adapters/cpu.js';
import { runStockKernel } from '../stock_kernels.js';
import { leadingAxesReduction, reductionScale, sumRows } from '../typed_array/leading_axes_sum.js';

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
      const out = new Float32Array(r.inner);
      sumRows(cpuFloats(args.backend, x), r, reductionScale(kernelName, r), out);
      return cpuTensor(args.backend, r.outShape, out);
    },
  };
}

/** Bias gradients. */
export const sumCpuConfig = leadingAxesCpuConfig(tf.Sum);
/** BatchNorm moments. */
export const meanCpuConfig = leadingAxesCpuConfig(tf.Mean);
