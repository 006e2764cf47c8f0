import * as tf from '@tensorflow/tfjs-core';
import { involution2dGradConfig } from '../op/involution2d_grad.js';
import { Involution2D } from '../op/kernel_names.js';
import { compositeKernelConfigs } from './composite/register_composite.js';
import { cpuKernelConfigs } from './cpu/register_cpu.js';
import { wasmKernelConfigs } from './wasm/register_wasm.js';
import { webgpuKernelConfigs } from './webgpu/register_webgpu.js';

/** Fused kernels, one list per backend; registering a config for an absent backend is harmless. */
const FUSED_KERNELS: tf.KernelConfig[] = [...cpuKernelConfigs, ...wasmKernelConfigs, ...webgpuKernelConfigs];

for (const config of FUSED_KERNELS) {
  tf.registerKernel(config);
}
tf.registerGradient(involution2dGradConfig);

/** Any backend without fused kernels (tensorflow, webgl, a custom one) gets the composite ones on first use. */
export function ensureInvolutionKernels(backendName: string): void {
  if (tf.getKernel(Involution2D, backendName) !== undefined) return;
  for (const config of compositeKernelConfigs(backendName)) tf.registerKernel(config);
}
