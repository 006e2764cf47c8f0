import { heapFloats, heapOutput } from '@inv/kernels';
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
      const g = kernel.geometry(inputs, attrs!);
      const [a, b] = kernel.inputNames.map((name) => inputs[name]!) as [tf.TensorInfo, tf.TensorInfo];
      const shape = kernel.outputShape(g);
      const out = heapOutput(backend, shape);
      const inPlace = runInvolutionSimdInPlace(
        simd,
        backend,
        g,
        [a, b],
        out,
        shape.reduce((n, e) => n * e, 1),
      );
      // Views taken after every allocation: malloc may grow the heap, which detaches earlier views.
      const view = (t: tf.TensorInfo) => heapFloats(backend, t);
      if (!inPlace) kernel.compute(view(a), view(b), g, view(out));
      kernel.paddingTaps(view(a), view(b), g, view(out));
      return out;
    },
  };
}
