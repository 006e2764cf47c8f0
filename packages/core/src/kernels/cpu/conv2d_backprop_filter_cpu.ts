import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { nhwcConv2DInfo } from '../conv2d_info.js';
import { runStockKernel } from '../stock_kernels.js';
import { conv2dBackpropFilterTyped } from './conv2d_gemm.js';
import { convTapTable } from './conv2d_taps.js';

/** Conv2DBackpropFilter on `cpu` as per-tap GEMM (NHWC); NCHW goes to the stock kernel. */
export const conv2dBackpropFilterCpuConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'cpu',
  kernelFunc: (args) => {
    const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const attrs = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    const info = nhwcConv2DInfo(x.shape, attrs.filterShape, attrs);
    if (info === undefined) return runStockKernel(tf.Conv2DBackpropFilter, 'cpu', args);
    const cpu = args.backend as MathBackendCPU;
    const values = (t: tf.TensorInfo) => cpu.data.get(t.dataId)!.values as Float32Array;
    const dw = conv2dBackpropFilterTyped(values(x), values(dy), info, convTapTable(info));
    return cpu.makeTensorInfo(attrs.filterShape, 'float32', dw);
  },
};
