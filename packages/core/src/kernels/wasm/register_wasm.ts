import type * as tf from '@tensorflow/tfjs-core';
import { batchMatMulWasmConfig } from './batch_mat_mul_wasm.js';
import { conv2dBackpropFilterWasmConfig } from './conv2d_backprop_filter_wasm.js';
import { conv2dBackpropInputWasmConfig } from './conv2d_backprop_input_wasm.js';
import {
  depthwiseConv2dBackpropFilterWasmConfig,
  depthwiseConv2dBackpropInputWasmConfig,
} from './depthwise_conv2d_backprop_wasm.js';
import { identityWasmConfig } from './identity_wasm.js';
import { involution2dBackpropInputWasmConfig } from './involution2d_backprop_input_wasm.js';
import { involution2dBackpropKernelWasmConfig } from './involution2d_backprop_kernel_wasm.js';
import { involution2dWasmConfig } from './involution2d_wasm.js';
import { maxPoolGradWasmConfig } from './max_pool_grad_wasm.js';
import { meanWasmConfig, sumWasmConfig } from './sum_mean_wasm.js';
import { floatBatchNormTraining, floatBatchNormTrainingGrad } from '../typed_array/batch_norm_kernels.js';
import { floatKernelWasmConfig } from './float_kernel_wasm.js';

/** Fused involution and batch-norm kernels, and the training kernels tfjs lacks or runs slowly, for the `wasm` backend. */
export const wasmKernelConfigs: tf.KernelConfig[] = [
  involution2dWasmConfig,
  involution2dBackpropInputWasmConfig,
  involution2dBackpropKernelWasmConfig,
  conv2dBackpropFilterWasmConfig,
  conv2dBackpropInputWasmConfig,
  depthwiseConv2dBackpropInputWasmConfig,
  depthwiseConv2dBackpropFilterWasmConfig,
  batchMatMulWasmConfig,
  maxPoolGradWasmConfig,
  sumWasmConfig,
  meanWasmConfig,
  identityWasmConfig,
  floatKernelWasmConfig(floatBatchNormTraining),
  floatKernelWasmConfig(floatBatchNormTrainingGrad),
];
