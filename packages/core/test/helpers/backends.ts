/**
 * The backends the kernel tests run on: every one that starts here, from `INV_TEST_BACKENDS`
 * (comma-separated) or cpu, wasm, webgpu (+ tensorflow when tfjs-node is installed). A backend that cannot
 * start is skipped with a visible message, except on CI (`CI=true`), where cpu, wasm and webgpu must start.
 */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type BackendName } from '../../src/index.js';

const REQUIRED_ON_CI: readonly BackendName[] = ['cpu', 'wasm', 'webgpu'];

function requestedBackends(): BackendName[] {
  const fromEnv = process.env['INV_TEST_BACKENDS'];
  if (fromEnv) return fromEnv.split(',').map((s) => s.trim()) as BackendName[];
  return ['cpu', 'wasm', 'webgpu', 'tensorflow'];
}

/** Starts each requested backend once and returns those that work; leaves cpu active. */
export async function availableTestBackends(): Promise<BackendName[]> {
  const available: BackendName[] = [];
  for (const backend of requestedBackends()) {
    try {
      await initBackend(backend);
      available.push(backend);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (process.env['CI'] === 'true' && REQUIRED_ON_CI.includes(backend)) {
        throw new Error(`backend ${backend} must run on CI but could not start: ${reason}`);
      }
      if (backend !== 'tensorflow' || process.env['INV_TEST_BACKENDS']) {
        console.warn(`[inv tests] skipping backend ${backend}: ${reason}`);
      }
    }
  }
  await tf.setBackend(available.includes('cpu') ? 'cpu' : available[0]!);
  return available;
}

/** Makes `backend` the active one (after {@link availableTestBackends} has started it). */
export async function useBackend(backend: BackendName): Promise<void> {
  if (!(await tf.setBackend(backend))) throw new Error(`could not switch to backend ${backend}`);
  await tf.ready();
}
