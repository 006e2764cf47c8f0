import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type * as tf from '@tensorflow/tfjs-core';
import type { TypedInvolutionKernel } from '../typed_array/typed_kernels.js';

/**
 * Runs a typed-array kernel on the wasm backend, reading and writing its heap in place (no copies). The output
 * is allocated first: malloc may grow the heap, which detaches views taken before it.
 */
export function wasmKernelConfig(kernel: TypedInvolutionKernel): tf.KernelConfig {
  return {
    kernelName: kernel.kernelName,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const wasm = backend as BackendWasm;
      const g = kernel.geometry(inputs, attrs!);
      const out = wasm.makeOutput(kernel.outputShape(g), 'float32');
      const [a, b] = kernel.inputNames.map((name) => wasm.typedArrayFromHeap(inputs[name]!) as Float32Array);
      kernel.compute(a!, b!, g, wasm.typedArrayFromHeap(out) as Float32Array);
      return out;
    },
  };
}
