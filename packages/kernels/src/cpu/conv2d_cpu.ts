import * as tf from '@tensorflow/tfjs-core';
import { cpuFloats, cpuTensor } from '../adapters/cpu.js';
import { runStockKernel } from '../stock_kernels.js';
import { nhwcConv2DInfo } from '../typed_array/conv2d_info.js';
import { conv2dForwardTyped } from '../typed_array/conv2d_gemm.js';
import { convTapTable } from '../typed_array/conv2d_taps.js';

/** Conv2D on `cpu` as per-tap GEMM (NHWC, any stride, dilation and padding); NCHW goes to the stock kernel. */
export const conv2dCpuConfig: tf.KernelConfig = {
  kernelName: tf.Conv2D,
  backendName: 'cpu',
  kernelFunc: (args) => {
    const { x, filter } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
    const info = nhwcConv2DInfo(x.shape, filter.shape, args.attrs as unknown as tf.Conv2DAttrs);
    if (info === undefined) return runStockKernel(tf.Conv2D, 'cpu', args);
    const { backend } = args;
    const y = conv2dForwardTyped(cpuFloats(backend, x), cpuFloats(backend, filter), info, convTapTable(info));
    return cpuTensor(backend, info.outShape, y);
  },
};
