import * as tf from '@tensorflow/tfjs-core';
import { registerOverStock } from './stock_kernels.js';
import { KERNEL_TABLE } from './table.js';

/**
 * Registers inv's kernels for `backendName` (those of {@link KERNEL_TABLE}) over the stock ones, which stay
 * the fallbacks for the cases ours hand back, and inv's gradients (once). Idempotent. Call it after the
 * backend's module has loaded (it registers its stock kernels then, and would register them over ours):
 * `await tf.setBackend('wasm'); registerKernels('wasm')`. @inv/core's `initBackend` does it for you.
 */
export function registerKernels(backendName: string): void {
  if (tf.findBackendFactory(backendName) === null) {
    throw new Error(
      `registerKernels: no backend '${backendName}' is registered; load its module first ` +
        `(e.g. import '@tensorflow/tfjs-backend-${backendName}')`,
    );
  }
  for (const { backend, config } of KERNEL_TABLE) {
    if ('kernel' in config && backend === backendName) registerOverStock(config.kernel);
    if ('gradient' in config && tf.getGradient(config.gradient.kernelName) !== config.gradient) {
      tf.registerGradient(config.gradient);
    }
  }
}
