import type * as tf from '@tensorflow/tfjs-core';
import { cpuFloatIO, cpuFloats } from '../adapters/cpu.js';
import { InvReluGrad } from '../kernel_names.js';
import { reluGradTyped } from '../typed_array/relu_grad.js';

/** {@link InvReluGrad} on `cpu`. */
export const reluGradCpuConfig: tf.KernelConfig = {
  kernelName: InvReluGrad,
  backendName: 'cpu',
  kernelFunc: ({ inputs, backend }) => {
    const { dy, x } = inputs as { dy: tf.TensorInfo; x: tf.TensorInfo };
    return cpuFloatIO.write(backend, x.shape, (dx) =>
      reluGradTyped(cpuFloats(backend, dy), cpuFloats(backend, x), dx),
    );
  },
};
