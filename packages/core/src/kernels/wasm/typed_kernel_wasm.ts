import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type * as tf from '@tensorflow/tfjs-core';
import type { TypedInvolutionKernel } from '../typed_array/typed_kernels.js';
import { runInvolutionSimdInPlace } from '../wasm_simd/simd_in_place.js';
import type { SimdInvolutionKernel } from '../wasm_simd/simd_kernels.js';

/**
 * Runs an involution kernel on the wasm backend in place on its heap (no copies): the SIMD module where it
 * can run, else the typed-array kernel on views of the heap.
 */
export function wasmKernelConfig(kernel: TypedInvolutionKernel, simd: SimdInvolutionKernel): tf.KernelConfig {
  return {
    kernelName: kernel.kernelName,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const wasm = backend as BackendWasm;
      const g = kernel.geometry(inputs, attrs!);
      const [a, b] = kernel.inputNames.map((name) => inputs[name]!) as [tf.TensorInfo, tf.TensorInfo];
      const shape = kernel.outputShape(g);
      const out = wasm.makeOutput(shape, 'float32');
      if (
        !runInvolutionSimdInPlace(
          simd,
          wasm,
          g,
          [a, b],
          out,
          shape.reduce((n, e) => n * e, 1),
        )
      ) {
        // Views taken after every allocation: malloc may grow the heap, which detaches earlier views.
        const view = (t: tf.TensorInfo) => wasm.typedArrayFromHeap(t) as Float32Array;
        kernel.compute(view(a), view(b), g, view(out));
      }
      return out;
    },
  };
}
