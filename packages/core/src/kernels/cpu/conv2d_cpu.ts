import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { nhwcConv2DInfo } from '../conv2d_info.js';
import { runStockKernel } from '../stock_kernels.js';
import { conv2dForwardTyped } from './conv2d_gemm.js';
import { convTapTable } from './conv2d_taps.js';

/** Conv2D on `cpu` as per-tap GEMM (NHWC, any stride, dilation and padding); NCHW goes to the stock kernel. */
export const conv2dCpuConfig: tf.KernelConfig = {
  kernelName: tf.Conv2D,
  backendName: 'cpu',
  kernelFunc: (args) => {
    const { x, filter } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
    const info = nhwcConv2DInfo(x.shape, filter.shape, args.attrs as unknown as tf.Conv2DAttrs);
    if (info === undefined) return runStockKernel(tf.Conv2D, 'cpu', args);
    const cpu = args.backend as MathBackendCPU;
    const values = (t: tf.TensorInfo) => cpu.data.get(t.dataId)!.values as Float32Array;
    return cpu.makeTensorInfo(
      info.outShape,
      'float32',
      conv2dForwardTyped(values(x), values(filter), info, convTapTable(info)),
    );
  },
};
