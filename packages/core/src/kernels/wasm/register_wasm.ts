import type * as tf from '@tensorflow/tfjs-core';

/** Fused involution kernels for the `wasm` backend. */
export const wasmKernelConfigs: tf.KernelConfig[] = [];
