/**
 * When inv's kernels are registered: never by importing @inv/core; by initBackend; and, on a backend set up by
 * hand, by the first involution (the fused kernels and @inv/kernels' table alike).
 */
import '@tensorflow/tfjs-backend-wasm';
import { KERNEL_TABLE } from '@inv/kernels';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { BatchNormTraining, Involution2D, initBackend, involution2d } from '../src/index.js';

/** Whether every kernel and gradient of @inv/kernels' table for `backend` is the registered one. */
function tableRegistered(backend: string): boolean {
  return KERNEL_TABLE.every(({ backend: b, config }) =>
    'kernel' in config
      ? b !== backend || tf.getKernel(config.kernel.kernelName, b)?.kernelFunc === config.kernel.kernelFunc
      : tf.getGradient(config.gradient.kernelName) === config.gradient,
  );
}

describe('kernel registration', () => {
  it('registers no kernel at import', () => {
    for (const backend of ['cpu', 'wasm']) {
      expect(tf.getKernel(Involution2D, backend)).toBeUndefined();
      expect(tf.getKernel(BatchNormTraining, backend)).toBeUndefined();
      for (const { backend: b, config } of KERNEL_TABLE) {
        if ('kernel' in config && b === backend) {
          expect(tf.getKernel(config.kernel.kernelName, b)?.kernelFunc).not.toBe(config.kernel.kernelFunc);
        }
      }
    }
    const [gradient] = KERNEL_TABLE.flatMap(({ config }) => ('gradient' in config ? [config.gradient] : []));
    expect(tf.getGradient(gradient!.kernelName)).not.toBe(gradient);
  });

  it('registers them on the first involution on a backend set up by hand', async () => {
    expect(await tf.setBackend('wasm')).toBe(true);
    await tf.ready();
    expect(tableRegistered('wasm')).toBe(false);
    involution2d(tf.ones([1, 4, 4, 2]), tf.ones([1, 4, 4, 9, 1]), { kernelSize: 3 }).dispose();
    expect(tf.getKernel(Involution2D, 'wasm')).toBeDefined();
    expect(tableRegistered('wasm')).toBe(true);
    expect(tableRegistered('cpu')).toBe(false);
  });

  it('registers them in initBackend', async () => {
    await initBackend('cpu');
    expect(tf.getKernel(Involution2D, 'cpu')).toBeDefined();
    expect(tableRegistered('cpu')).toBe(true);
  });
});
