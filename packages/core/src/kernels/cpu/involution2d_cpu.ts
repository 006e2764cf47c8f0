import { typedInvolution2D } from '../typed_array/typed_kernels.js';
import { simdInvolution2D } from '../wasm_simd/simd_kernels.js';
import { cpuKernelConfig } from './typed_kernel_cpu.js';

/** Fused forward involution on `cpu`. */
export const involution2dCpuConfig = cpuKernelConfig(typedInvolution2D, simdInvolution2D);
