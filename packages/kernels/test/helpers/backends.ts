/**
 * The backends the kernel tests run on: cpu and wasm (those @inv/kernels has kernels for), each loaded,
 * started and given inv's kernels as `initBackend` does it: wasm on a shared heap (`onSharedWasmHeap`), so
 * the engine's threads work in place on it. `test/private_heap.test.ts` covers a wasm backend started by hand.
 * On CI both must start.
 */
// The bundle: in Node only it carries the stock gradients the kernel tests differentiate through.
import '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import { onSharedWasmHeap, registerKernels } from '../../src/index.js';
import { availableTestBackends as startedBackends } from '../../src/testing/index.js';

export { useBackend } from '../../src/testing/index.js';

export type KernelBackend = 'cpu' | 'wasm';

const BACKEND_MODULES: Record<KernelBackend, () => Promise<unknown>> = {
  cpu: () => import('@tensorflow/tfjs-backend-cpu'),
  wasm: () => import('@tensorflow/tfjs-backend-wasm'),
};

/** Loads `backend`'s module, makes it the active backend and registers inv's kernels on it. */
export async function startBackend(backend: KernelBackend): Promise<void> {
  const load = BACKEND_MODULES[backend];
  if (load === undefined) throw new Error(`@inv/kernels has no kernels for backend '${backend}'`);
  await load();
  const started = await (backend === 'wasm'
    ? onSharedWasmHeap(() => tf.setBackend(backend))
    : tf.setBackend(backend));
  if (!started) throw new Error(`initialisation of ${backend} failed`);
  await tf.ready();
  registerKernels(backend);
}

/** Starts cpu and wasm (or those of `INV_TEST_BACKENDS`) and returns those that work; leaves cpu active. */
export function availableTestBackends(): Promise<KernelBackend[]> {
  return startedBackends<KernelBackend>({
    start: startBackend,
    defaults: ['cpu', 'wasm'],
    requiredOnCi: ['cpu', 'wasm'],
  });
}
