import type * as tf from '@tensorflow/tfjs-core';
import { involution2dBackpropInputWasmConfig } from './involution2d_backprop_input_wasm.js';
import { involution2dBackpropKernelWasmConfig } from './involution2d_backprop_kernel_wasm.js';
import { involution2dWasmConfig } from './involution2d_wasm.js';

/** Fused involution kernels for the `wasm` backend. */
export const wasmKernelConfigs: tf.KernelConfig[] = [
  involution2dWasmConfig,
  involution2dBackpropInputWasmConfig,
  involution2dBackpropKernelWasmConfig,
];
