import { typedInvolution2DBackpropInput } from '../typed_array/typed_kernels.js';
import { simdInvolution2DBackpropInput } from '../wasm_simd/simd_kernels.js';
import { cpuKernelConfig } from './typed_kernel_cpu.js';

/** Fused involution input gradient (gather) on `cpu`. */
export const involution2dBackpropInputCpuConfig = cpuKernelConfig(
  typedInvolution2DBackpropInput,
  simdInvolution2DBackpropInput,
);
