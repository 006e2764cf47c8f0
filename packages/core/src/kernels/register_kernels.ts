import { registerKernels } from '@inv/kernels';
import * as tf from '@tensorflow/tfjs-core';
import { compositeKernelConfigs } from './composite/register_composite.js';
import { cpuKernelConfigs } from './cpu/register_cpu.js';
import { wasmKernelConfigs } from './wasm/register_wasm.js';
import { webgpuKernelConfigs } from './webgpu/register_webgpu.js';

/** The kernels @inv/core registers itself: the involution op's on every backend, batch norm's WGSL pair. */
const CORE_KERNELS: tf.KernelConfig[] = [...cpuKernelConfigs, ...wasmKernelConfigs, ...webgpuKernelConfigs];

/**
 * Registers inv's kernels on `backendName`: @inv/kernels' (over the stock ones, see its `registerKernels`)
 * and its own (CORE_KERNELS). Idempotent. Runs once the backend's module has loaded: in
 * initBackend, and on an op's first use for a backend set up by hand. Nothing registers kernels at import.
 */
export function registerFusedKernels(backendName: string): void {
  registerKernels(backendName);
  for (const config of CORE_KERNELS) {
    if (config.backendName === backendName && tf.getKernel(config.kernelName, backendName) === undefined) {
      tf.registerKernel(config);
    }
  }
}

/**
 * Makes sure `kernelName` (one of inv's own kernels) runs on `backendName`: registers inv's kernels there, and
 * any backend without fused ones (tensorflow, webgl, a custom one) gets the composite ones.
 */
export function ensureFusedKernels(backendName: string, kernelName: string): void {
  if (tf.getKernel(kernelName, backendName) !== undefined) return;
  registerFusedKernels(backendName);
  for (const config of compositeKernelConfigs(backendName)) {
    if (tf.getKernel(config.kernelName, backendName) === undefined) tf.registerKernel(config);
  }
}
