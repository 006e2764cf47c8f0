import * as tf from '@tensorflow/tfjs-core';
import { fusedBatchNormGradConfig } from '../gradients/fused_batch_norm_grad.js';
import { batchNormTrainingGradConfig } from '../op/batch_norm_training_grad.js';
import { involution2dGradConfig } from '../op/involution2d_grad.js';
import { compositeKernelConfigs } from './composite/register_composite.js';
import { cpuKernelConfigs } from './cpu/register_cpu.js';
import { registerOverStock } from './stock_kernels.js';
import { wasmKernelConfigs } from './wasm/register_wasm.js';
import { webgpuKernelConfigs } from './webgpu/register_webgpu.js';

/** Fused kernels, one list per backend; some replace stock kernels (e.g. Conv2D on cpu). */
const FUSED_KERNELS: tf.KernelConfig[] = [...cpuKernelConfigs, ...wasmKernelConfigs, ...webgpuKernelConfigs];

/**
 * Registers the fused kernels of `backendName` over the stock ones of the same name. Runs once the backend's
 * module has loaded (it registers its stock kernels then, and would override ours): here for those already
 * loaded (cpu, through @tensorflow/tfjs), in initBackend for the others, and on first involution use.
 */
export function registerFusedKernels(backendName: string): void {
  for (const config of FUSED_KERNELS) if (config.backendName === backendName) registerOverStock(config);
}

for (const backendName of new Set(FUSED_KERNELS.map((config) => config.backendName))) {
  if (tf.findBackendFactory(backendName) !== null) registerFusedKernels(backendName);
}
tf.registerGradient(involution2dGradConfig);
tf.registerGradient(batchNormTrainingGradConfig);
// Over the stock one: registered after it, since @inv/core's entry imports @tensorflow/tfjs first.
tf.registerGradient(fusedBatchNormGradConfig);

/**
 * Makes sure `kernelName` (one of inv's own kernels) runs on `backendName`: any backend without fused kernels
 * (tensorflow, webgl, a custom one) gets the composite ones on first use.
 */
export function ensureFusedKernels(backendName: string, kernelName: string): void {
  if (tf.getKernel(kernelName, backendName) !== undefined) return;
  registerFusedKernels(backendName);
  for (const config of compositeKernelConfigs(backendName)) {
    if (tf.getKernel(config.kernelName, backendName) === undefined) tf.registerKernel(config);
  }
}
