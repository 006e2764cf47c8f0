import type * as tf from '@tensorflow/tfjs-core';
import { heapFloats, heapOutput } from '../adapters/wasm.js';
import type { FloatKernel } from '../typed_array/float_kernel.js';

/** Runs a {@link FloatKernel} on `wasm`, in place on its heap. */
export function floatKernelWasmConfig(kernel: FloatKernel): tf.KernelConfig {
  return {
    kernelName: kernel.kernelName,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const outputs = kernel.outputShapes(inputs).map((shape) => heapOutput(backend, shape));
      // Views taken after every allocation: malloc may grow the heap, which detaches earlier views.
      const view = (t: tf.TensorInfo) => heapFloats(backend, t);
      kernel.compute(
        Object.fromEntries(kernel.inputNames.map((name) => [name, view(inputs[name]!)])),
        outputs.map(view),
        attrs!,
      );
      return outputs;
    },
  };
}
