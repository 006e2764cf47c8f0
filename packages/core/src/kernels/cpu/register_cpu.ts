import type * as tf from '@tensorflow/tfjs-core';

/** Fused involution kernels for the `cpu` backend. */
export const cpuKernelConfigs: tf.KernelConfig[] = [];
