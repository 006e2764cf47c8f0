import * as tf from '@tensorflow/tfjs-core';
import { cpuFloatIO, cpuFloats } from '../adapters/cpu.js';
import { maxPoolGradInfo, maxPoolGradTyped } from '../typed_array/max_pool_grad.js';

/** MaxPoolGrad on `cpu`, channels-innermost (the stock kernel is the slowest op of a small CNN's step). */
export const maxPoolGradCpuConfig: tf.KernelConfig = {
  kernelName: tf.MaxPoolGrad,
  backendName: 'cpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
    return cpuFloatIO.write(backend, input.shape, (dx) =>
      maxPoolGradTyped(
        cpuFloats(backend, input),
        cpuFloats(backend, dy),
        maxPoolGradInfo(input, attrs as unknown as tf.MaxPoolGradAttrs),
        dx,
      ),
    );
  },
};
