import { typedInvolution2D } from '../typed_array/typed_kernels.js';
import { simdInvolution2D } from '../wasm_simd/simd_kernels.js';
import { wasmKernelConfig } from './typed_kernel_wasm.js';

/** Fused forward involution on `wasm`. */
export const involution2dWasmConfig = wasmKernelConfig(typedInvolution2D, simdInvolution2D);
