/**
 * The backends kernel tests run on: every one that starts here, from `INV_TEST_BACKENDS` (comma-separated)
 * or the caller's defaults. A backend that cannot start is skipped with a visible message, except on CI
 * (`CI=true`), where the required ones must start.
 */
import * as tf from '@tensorflow/tfjs-core';

export interface TestBackendsOptions<B extends string> {
  /** Starts one backend and registers inv's kernels on it (@inv/core passes `initBackend`); rejects if it cannot. */
  start: (backend: B) => Promise<unknown>;
  /** The backends tried when `INV_TEST_BACKENDS` is not set. */
  defaults: readonly B[];
  /** Those that must start on CI. */
  requiredOnCi: readonly B[];
  /** Those skipped silently when they do not start and nobody asked for them (optional peers). */
  optional?: readonly B[];
}

function requestedBackends<B extends string>(defaults: readonly B[]): B[] {
  const fromEnv = process.env['INV_TEST_BACKENDS'];
  if (fromEnv) return fromEnv.split(',').map((s) => s.trim()) as B[];
  return [...defaults];
}

/** Starts each requested backend once and returns those that work; leaves cpu (else the first) active. */
export async function availableTestBackends<B extends string>(options: TestBackendsOptions<B>): Promise<B[]> {
  const available: B[] = [];
  for (const backend of requestedBackends(options.defaults)) {
    try {
      await options.start(backend);
      available.push(backend);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (process.env['CI'] === 'true' && options.requiredOnCi.includes(backend)) {
        throw new Error(`backend ${backend} must run on CI but could not start: ${reason}`);
      }
      if (!options.optional?.includes(backend) || process.env['INV_TEST_BACKENDS']) {
        console.warn(`[inv tests] skipping backend ${backend}: ${reason}`);
      }
    }
  }
  if (available.length > 0) await useBackend(available.includes('cpu' as B) ? 'cpu' : available[0]!);
  return available;
}

/** Makes `backend` the active one (after {@link availableTestBackends} has started it). */
export async function useBackend(backend: string): Promise<void> {
  if (!(await tf.setBackend(backend))) throw new Error(`could not switch to backend ${backend}`);
  await tf.ready();
}
