import type * as tf from '@tensorflow/tfjs-core';
import { conv2dBackpropFilterCpuConfig } from './conv2d_backprop_filter_cpu.js';
import { conv2dBackpropInputCpuConfig } from './conv2d_backprop_input_cpu.js';
import { conv2dCpuConfig } from './conv2d_cpu.js';
import { maxPoolGradCpuConfig } from './max_pool_grad_cpu.js';
import { meanCpuConfig, sumCpuConfig } from './sum_mean_cpu.js';
import { involution2dBackpropInputCpuConfig } from './involution2d_backprop_input_cpu.js';
import { involution2dBackpropKernelCpuConfig } from './involution2d_backprop_kernel_cpu.js';
import { involution2dCpuConfig } from './involution2d_cpu.js';
import { floatBatchNormTraining, floatBatchNormTrainingGrad } from '../typed_array/batch_norm_kernels.js';
import { floatKernelCpuConfig } from './float_kernel_cpu.js';

/** Fused involution and batch-norm kernels and fast training kernels for the `cpu` backend. */
export const cpuKernelConfigs: tf.KernelConfig[] = [
  involution2dCpuConfig,
  involution2dBackpropInputCpuConfig,
  involution2dBackpropKernelCpuConfig,
  conv2dCpuConfig,
  conv2dBackpropInputCpuConfig,
  conv2dBackpropFilterCpuConfig,
  maxPoolGradCpuConfig,
  sumCpuConfig,
  meanCpuConfig,
  floatKernelCpuConfig(floatBatchNormTraining),
  floatKernelCpuConfig(floatBatchNormTrainingGrad),
];
