/**
 * The backends the core tests run on: every one that starts here (see @inv/kernels/testing), started by
 * initBackend: cpu, wasm, webgpu (+ tensorflow when tfjs-node is installed). On CI cpu, wasm and webgpu must.
 */
import { availableTestBackends as startedBackends } from '@inv/kernels/testing';
import { initBackend, type BackendName } from '../../src/index.js';

export { useBackend } from '@inv/kernels/testing';

/** Starts each requested backend once and returns those that work; leaves cpu active. */
export function availableTestBackends(): Promise<BackendName[]> {
  return startedBackends<BackendName>({
    start: initBackend,
    defaults: ['cpu', 'wasm', 'webgpu', 'tensorflow'],
    requiredOnCi: ['cpu', 'wasm', 'webgpu'],
    optional: ['tensorflow'],
  });
}
