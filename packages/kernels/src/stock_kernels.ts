import * as tf from '@tensorflow/tfjs-core';

/** The stock kernels ours replaced, by backend and name: the fallbacks for cases a fast kernel does not cover. */
const replaced = new Map<string, tf.KernelConfig>();

const keyOf = (kernelName: string, backendName: string): string => `${backendName}/${kernelName}`;

/**
 * Registers `config` in place of whatever is registered under its name and backend, keeping that one as the
 * stock fallback (see {@link stockKernel}). Idempotent. The stock `setupFunc`/`disposeFunc` keep running with
 * ours: the engine only calls those of the registered config, and wasm kernels bind their C++ function there.
 */
export function registerOverStock(config: tf.KernelConfig): void {
  const { kernelName, backendName } = config;
  const current = tf.getKernel(kernelName, backendName);
  if (current?.kernelFunc === config.kernelFunc) return;
  if (current !== undefined) {
    replaced.set(keyOf(kernelName, backendName), current);
    // Unregistering first: registering over an existing config logs a warning meant for accidental clashes.
    tf.unregisterKernel(kernelName, backendName);
  }
  const setupFuncs = [current?.setupFunc, config.setupFunc].filter((f) => f !== undefined);
  const disposeFuncs = [config.disposeFunc, current?.disposeFunc].filter((f) => f !== undefined);
  tf.registerKernel({
    ...config,
    ...(setupFuncs.length > 0 ? { setupFunc: (backend) => setupFuncs.forEach((f) => f(backend)) } : {}),
    ...(disposeFuncs.length > 0 ? { disposeFunc: (backend) => disposeFuncs.forEach((f) => f(backend)) } : {}),
  });
}

/** The stock kernel that one of ours replaced on `backendName`, for the cases ours hands back to it. */
export function stockKernel(kernelName: string, backendName: string): tf.KernelConfig {
  const stock = replaced.get(keyOf(kernelName, backendName));
  if (stock === undefined) {
    throw new Error(
      `@inv/kernels: no stock '${kernelName}' kernel for backend '${backendName}' to fall back to; ` +
        `load the backend before registerKernels('${backendName}') (initBackend does both, in that order)`,
    );
  }
  return stock;
}

/** Hands a kernel call (`args`: inputs, attributes, backend) back to the stock kernel ours replaced. */
export function runStockKernel(
  kernelName: string,
  backendName: string,
  args: Parameters<tf.KernelFunc>[0],
): ReturnType<tf.KernelFunc> {
  return stockKernel(kernelName, backendName).kernelFunc(args);
}
