import * as tf from '@tensorflow/tfjs-core';
import { cpuFloats, cpuTensor } from '../adapters/cpu.js';
import { runStockKernel } from '../stock_kernels.js';
import { nhwcConv2DInfo } from '../typed_array/conv2d_info.js';
import { conv2dBackpropInputTyped } from '../typed_array/conv2d_gemm.js';
import { convTapTable } from '../typed_array/conv2d_taps.js';

/** Conv2DBackpropInput on `cpu` as per-tap GEMM (NHWC); NCHW goes to the stock kernel. */
export const conv2dBackpropInputCpuConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropInput,
  backendName: 'cpu',
  kernelFunc: (args) => {
    const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const attrs = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
    const info = nhwcConv2DInfo(attrs.inputShape, filter.shape, attrs);
    if (info === undefined) return runStockKernel(tf.Conv2DBackpropInput, 'cpu', args);
    const { backend } = args;
    const dx = conv2dBackpropInputTyped(
      cpuFloats(backend, dy),
      cpuFloats(backend, filter),
      info,
      convTapTable(info),
    );
    return cpuTensor(backend, info.inShape, dx);
  },
};
