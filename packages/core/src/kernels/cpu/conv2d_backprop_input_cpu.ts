import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { nhwcConv2DInfo } from '../conv2d_info.js';
import { runStockKernel } from '../stock_kernels.js';
import { conv2dBackpropInputTyped } from './conv2d_gemm.js';
import { convTapTable } from './conv2d_taps.js';

/** Conv2DBackpropInput on `cpu` as per-tap GEMM (NHWC); NCHW goes to the stock kernel. */
export const conv2dBackpropInputCpuConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropInput,
  backendName: 'cpu',
  kernelFunc: (args) => {
    const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const attrs = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
    const info = nhwcConv2DInfo(attrs.inputShape, filter.shape, attrs);
    if (info === undefined) return runStockKernel(tf.Conv2DBackpropInput, 'cpu', args);
    const cpu = args.backend as MathBackendCPU;
    const values = (t: tf.TensorInfo) => cpu.data.get(t.dataId)!.values as Float32Array;
    const dx = conv2dBackpropInputTyped(values(dy), values(filter), info, convTapTable(info));
    return cpu.makeTensorInfo(info.inShape, 'float32', dx);
  },
};
