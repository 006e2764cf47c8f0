import * as tf from '@tensorflow/tfjs-core';
import { cpuFloats, cpuTensor } from '../adapters/cpu.js';
import type { FloatKernel } from '../typed_array/float_kernel.js';

/** Runs a {@link FloatKernel} on `cpu`, on the backend's own typed arrays. */
export function floatKernelCpuConfig(kernel: FloatKernel): tf.KernelConfig {
  return {
    kernelName: kernel.kernelName,
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const views = Object.fromEntries(
        kernel.inputNames.map((name) => [name, cpuFloats(backend, inputs[name]!)]),
      );
      const shapes = kernel.outputShapes(inputs);
      const outputs = shapes.map((shape) => new Float32Array(tf.util.sizeFromShape(shape)));
      kernel.compute(views, outputs, attrs!);
      return shapes.map((shape, i) => cpuTensor(backend, shape, outputs[i]!));
    },
  };
}
