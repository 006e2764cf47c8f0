import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type * as tf from '@tensorflow/tfjs-core';
import type { TypedInvolutionKernel } from '../typed_array/typed_kernels.js';
import { heapTensor } from './wasm_heap.js';

/** Runs a typed-array kernel on the wasm backend, reading and writing its heap in place (no copies). */
export function wasmKernelConfig(kernel: TypedInvolutionKernel): tf.KernelConfig {
  return {
    kernelName: kernel.kernelName,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const g = kernel.geometry(inputs, attrs!);
      const [a, b] = kernel.inputNames.map((name) => inputs[name]!);
      return heapTensor(backend as BackendWasm, kernel.outputShape(g), [a!, b!], (out, x, y) =>
        kernel.compute(x!, y!, g, out),
      );
    },
  };
}
