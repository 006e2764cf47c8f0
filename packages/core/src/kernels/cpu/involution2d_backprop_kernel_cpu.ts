import { typedInvolution2DBackpropKernel } from '../typed_array/typed_kernels.js';
import { simdInvolution2DBackpropKernel } from '../wasm_simd/simd_kernels.js';
import { cpuKernelConfig } from './typed_kernel_cpu.js';

/** Fused involution kernel gradient on `cpu`. */
export const involution2dBackpropKernelCpuConfig = cpuKernelConfig(
  typedInvolution2DBackpropKernel,
  simdInvolution2DBackpropKernel,
);
