import { typedInvolution2DBackpropInput } from '../typed_array/typed_kernels.js';
import { simdInvolution2DBackpropInput } from '../wasm_simd/simd_kernels.js';
import { wasmKernelConfig } from './typed_kernel_wasm.js';

/** Fused involution input gradient (gather) on `wasm`. */
export const involution2dBackpropInputWasmConfig = wasmKernelConfig(
  typedInvolution2DBackpropInput,
  simdInvolution2DBackpropInput,
);
