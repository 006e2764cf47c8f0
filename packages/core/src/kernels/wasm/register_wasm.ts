import type * as tf from '@tensorflow/tfjs-core';
import { involution2dBackpropInputWasmConfig } from './involution2d_backprop_input_wasm.js';
import { involution2dBackpropKernelWasmConfig } from './involution2d_backprop_kernel_wasm.js';
import { involution2dWasmConfig } from './involution2d_wasm.js';

/** The involution op's fused kernels for the `wasm` backend (its other kernels are @inv/kernels'). */
export const wasmKernelConfigs: tf.KernelConfig[] = [
  involution2dWasmConfig,
  involution2dBackpropInputWasmConfig,
  involution2dBackpropKernelWasmConfig,
];
