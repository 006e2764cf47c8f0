import { cpuFloats, cpuTensor } from '@inv/kernels';
import type * as tf from '@tensorflow/tfjs-core';
import type { TypedInvolutionKernel } from '../typed_array/typed_kernels.js';
import { runInvolutionSimdOnCopies } from '../wasm_simd/simd_on_copies.js';
import type { SimdInvolutionKernel } from '../wasm_simd/simd_kernels.js';

/**
 * Runs an involution kernel on the cpu backend, whose tensors are plain typed arrays: the SIMD module on
 * copies of them where it can run (copying costs far less than it saves), else the typed-array kernel on
 * them directly.
 */
export function cpuKernelConfig(kernel: TypedInvolutionKernel, simd: SimdInvolutionKernel): tf.KernelConfig {
  return {
    kernelName: kernel.kernelName,
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const g = kernel.geometry(inputs, attrs!);
      const shape = kernel.outputShape(g);
      const out = new Float32Array(shape.reduce((n, e) => n * e, 1));
      const [a, b] = kernel.inputNames.map((name) => cpuFloats(backend, inputs[name]!)) as [
        Float32Array,
        Float32Array,
      ];
      if (!runInvolutionSimdOnCopies(simd, g, a, b, out)) kernel.compute(a, b, g, out);
      kernel.paddingTaps(a, b, g, out);
      return cpuTensor(backend, shape, out);
    },
  };
}
