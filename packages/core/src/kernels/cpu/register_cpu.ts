import type * as tf from '@tensorflow/tfjs-core';
import { involution2dBackpropInputCpuConfig } from './involution2d_backprop_input_cpu.js';
import { involution2dBackpropKernelCpuConfig } from './involution2d_backprop_kernel_cpu.js';
import { involution2dCpuConfig } from './involution2d_cpu.js';

/** The involution op's fused kernels for the `cpu` backend (its other kernels are @inv/kernels'). */
export const cpuKernelConfigs: tf.KernelConfig[] = [
  involution2dCpuConfig,
  involution2dBackpropInputCpuConfig,
  involution2dBackpropKernelCpuConfig,
];
