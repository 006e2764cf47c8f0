/**
 * Registration: importing @inv/kernels registers nothing; registerKernels registers exactly the table's
 * entries for the backend named (the stock kernels kept as fallbacks), and is idempotent.
 */
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { KERNEL_TABLE, registerKernels, stockKernel } from '../src/index.js';

const BACKENDS = ['cpu', 'wasm'] as const;

/** Each kernel registered for `backend`, by name: the function that runs it. */
const registry = (backend: string): Map<string, tf.KernelFunc> =>
  new Map(tf.getKernelsForBackend(backend).map((k) => [k.kernelName, k.kernelFunc]));

const kernelEntries = (backend: string) =>
  KERNEL_TABLE.flatMap((e) => ('kernel' in e.config && e.backend === backend ? [e.config.kernel] : []));

const gradientEntries = KERNEL_TABLE.flatMap((e) => ('gradient' in e.config ? [e.config.gradient] : []));

// Taken at import, before any test runs: what @tensorflow/tfjs and its backends registered, and nothing else.
const stock = new Map(BACKENDS.map((b) => [b, registry(b)]));
const stockGradients = new Map(gradientEntries.map((g) => [g.kernelName, tf.getGradient(g.kernelName)]));

describe('registerKernels', () => {
  it('has nothing registered by importing @inv/kernels', () => {
    for (const backend of BACKENDS) {
      for (const config of kernelEntries(backend)) {
        expect(stock.get(backend)!.get(config.kernelName), `${backend}/${config.kernelName}`).not.toBe(
          config.kernelFunc,
        );
      }
    }
    for (const gradient of gradientEntries)
      expect(stockGradients.get(gradient.kernelName)).not.toBe(gradient);
  });

  it.each(BACKENDS)(
    'registers exactly the table on %s, keeping the stock kernels as fallbacks',
    (backend) => {
      registerKernels(backend);
      const before = stock.get(backend)!;
      const after = registry(backend);
      const changed = [...after].filter(([name, func]) => before.get(name) !== func).map(([name]) => name);
      const ours = kernelEntries(backend);
      expect(changed.sort()).toEqual(ours.map((c) => c.kernelName).sort());
      for (const config of ours) {
        expect(after.get(config.kernelName)).toBe(config.kernelFunc);
        const replaced = before.get(config.kernelName);
        if (replaced !== undefined) expect(stockKernel(config.kernelName, backend).kernelFunc).toBe(replaced);
      }
      for (const gradient of gradientEntries) expect(tf.getGradient(gradient.kernelName)).toBe(gradient);
    },
  );

  it.each(BACKENDS)('is idempotent on %s', (backend) => {
    registerKernels(backend);
    const once = registry(backend);
    registerKernels(backend);
    registerKernels(backend);
    expect(registry(backend)).toEqual(once);
    for (const config of kernelEntries(backend)) {
      const replaced = stock.get(backend)!.get(config.kernelName);
      if (replaced !== undefined) expect(stockKernel(config.kernelName, backend).kernelFunc).toBe(replaced);
    }
  });

  it('registers the gradient again if something registered another over it', () => {
    const [gradient] = gradientEntries;
    tf.registerGradient({ ...gradient!, gradFunc: () => ({}) });
    registerKernels('cpu');
    expect(tf.getGradient(gradient!.kernelName)).toBe(gradient);
  });

  it('names a backend that is not registered', () => {
    expect(() => registerKernels('nope')).toThrow(/registerKernels: no backend 'nope' is registered/);
  });
});
