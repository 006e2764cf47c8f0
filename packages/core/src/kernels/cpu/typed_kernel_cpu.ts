import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type * as tf from '@tensorflow/tfjs-core';
import type { TypedInvolutionKernel } from '../typed_array/typed_kernels.js';

/** Runs a typed-array kernel on the cpu backend: its tensors are plain typed arrays in `backend.data`. */
export function cpuKernelConfig(kernel: TypedInvolutionKernel): tf.KernelConfig {
  return {
    kernelName: kernel.kernelName,
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const cpu = backend as MathBackendCPU;
      const g = kernel.geometry(inputs, attrs!);
      const shape = kernel.outputShape(g);
      const out = new Float32Array(shape.reduce((n, e) => n * e, 1));
      const [a, b] = kernel.inputNames.map(
        (name) => cpu.data.get(inputs[name]!.dataId).values as Float32Array,
      );
      kernel.compute(a!, b!, g, out);
      return cpu.makeTensorInfo(shape, 'float32', out);
    },
  };
}
