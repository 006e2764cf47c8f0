import * as tf from '@tensorflow/tfjs-core';
import { cpuFloats, cpuTensor } from '../adapters/cpu.js';
import { InvReluGrad } from '../kernel_names.js';
import { reluGradTyped } from '../typed_array/relu_grad.js';

/** {@link InvReluGrad} on `cpu`. */
export const reluGradCpuConfig: tf.KernelConfig = {
  kernelName: InvReluGrad,
  backendName: 'cpu',
  kernelFunc: ({ inputs, backend }) => {
    const { dy, x } = inputs as { dy: tf.TensorInfo; x: tf.TensorInfo };
    const dx = new Float32Array(tf.util.sizeFromShape(x.shape));
    reluGradTyped(cpuFloats(backend, dy), cpuFloats(backend, x), dx);
    return cpuTensor(backend, x.shape, dx);
  },
};
