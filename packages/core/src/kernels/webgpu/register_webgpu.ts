import type * as tf from '@tensorflow/tfjs-core';
import { batchNormTrainingGradWebGPUConfig } from './batch_norm_training_grad_webgpu.js';
import { batchNormTrainingWebGPUConfig } from './batch_norm_training_webgpu.js';
import { involution2dBackpropInputWebGPUConfig } from './involution2d_backprop_input_webgpu.js';
import { involution2dBackpropKernelWebGPUConfig } from './involution2d_backprop_kernel_webgpu.js';
import { involution2dWebGPUConfig } from './involution2d_webgpu.js';
import { packFloat16WebGPUConfig } from './pack_float16_webgpu.js';

/** Fused involution and batch-norm kernels for the `webgpu` backend, and the involution's float16 storage. */
export const webgpuKernelConfigs: tf.KernelConfig[] = [
  involution2dWebGPUConfig,
  involution2dBackpropInputWebGPUConfig,
  involution2dBackpropKernelWebGPUConfig,
  packFloat16WebGPUConfig,
  batchNormTrainingWebGPUConfig,
  batchNormTrainingGradWebGPUConfig,
];
