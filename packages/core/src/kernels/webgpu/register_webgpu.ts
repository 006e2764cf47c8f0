import type * as tf from '@tensorflow/tfjs-core';

/** Fused involution kernels for the `webgpu` backend. */
export const webgpuKernelConfigs: tf.KernelConfig[] = [];
