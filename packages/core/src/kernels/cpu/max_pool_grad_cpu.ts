import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { maxPoolGradInfo, maxPoolGradTyped } from '../max_pool_grad_typed.js';

/** MaxPoolGrad on `cpu`, channels-innermost (the stock kernel is the slowest op of a small CNN's step). */
export const maxPoolGradCpuConfig: tf.KernelConfig = {
  kernelName: tf.MaxPoolGrad,
  backendName: 'cpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
    const cpu = backend as MathBackendCPU;
    const values = (t: tf.TensorInfo) => cpu.data.get(t.dataId)!.values as Float32Array;
    const dx = new Float32Array(tf.util.sizeFromShape(input.shape));
    maxPoolGradTyped(
      values(input),
      values(dy),
      maxPoolGradInfo(input, attrs as unknown as tf.MaxPoolGradAttrs),
      dx,
    );
    return cpu.makeTensorInfo(input.shape, 'float32', dx);
  },
};
