import { typedInvolution2DBackpropKernel } from '../typed_array/typed_kernels.js';
import { simdInvolution2DBackpropKernel } from '../wasm_simd/simd_kernels.js';
import { wasmKernelConfig } from './typed_kernel_wasm.js';

/** Fused involution kernel gradient on `wasm`. */
export const involution2dBackpropKernelWasmConfig = wasmKernelConfig(
  typedInvolution2DBackpropKernel,
  simdInvolution2DBackpropKernel,
);
