import * as tf from '@tensorflow/tfjs-core';
import { cpuFloats, cpuTensor } from '../adapters/cpu.js';
import { runStockKernel } from '../stock_kernels.js';
import { nhwcConv2DInfo } from '../typed_array/conv2d_info.js';
import { conv2dBackpropFilterTyped } from '../typed_array/conv2d_gemm.js';
import { convTapTable } from '../typed_array/conv2d_taps.js';

/** Conv2DBackpropFilter on `cpu` as per-tap GEMM (NHWC); NCHW goes to the stock kernel. */
export const conv2dBackpropFilterCpuConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'cpu',
  kernelFunc: (args) => {
    const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const attrs = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    const info = nhwcConv2DInfo(x.shape, attrs.filterShape, attrs);
    if (info === undefined) return runStockKernel(tf.Conv2DBackpropFilter, 'cpu', args);
    const { backend } = args;
    const dw = conv2dBackpropFilterTyped(
      cpuFloats(backend, x),
      cpuFloats(backend, dy),
      info,
      convTapTable(info),
    );
    return cpuTensor(backend, attrs.filterShape, dw);
  },
};
