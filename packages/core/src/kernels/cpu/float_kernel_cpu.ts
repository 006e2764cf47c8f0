import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import type { FloatKernel } from '../typed_array/float_kernel.js';

/** Runs a {@link FloatKernel} on `cpu`, on the backend's own typed arrays. */
export function floatKernelCpuConfig(kernel: FloatKernel): tf.KernelConfig {
  return {
    kernelName: kernel.kernelName,
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const cpu = backend as MathBackendCPU;
      const views = Object.fromEntries(
        kernel.inputNames.map((name) => [name, cpu.data.get(inputs[name]!.dataId)!.values as Float32Array]),
      );
      const shapes = kernel.outputShapes(inputs);
      const outputs = shapes.map((shape) => new Float32Array(tf.util.sizeFromShape(shape)));
      kernel.compute(views, outputs, attrs!);
      return shapes.map((shape, i) => cpu.makeTensorInfo(shape, 'float32', outputs[i]));
    },
  };
}
