import { availableParallelism } from 'node:os';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_THREADS, createEngine, resolveThreadCount } from '../../src/engine/engine.js';
import { sharedModuleBytes } from '../helpers/pool-wasm.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('resolveThreadCount', () => {
  it('takes a requested count as is', () => {
    vi.stubEnv('INV_THREADS', '5');
    expect(resolveThreadCount(1)).toBe(1);
    expect(resolveThreadCount(7)).toBe(7);
  });

  it('takes INV_THREADS when set, else the available parallelism', () => {
    vi.stubEnv('INV_THREADS', '3');
    expect(resolveThreadCount()).toBe(3);
    vi.stubEnv('INV_THREADS', ' 12 ');
    expect(resolveThreadCount()).toBe(12);
    vi.stubEnv('INV_THREADS', '');
    expect(resolveThreadCount()).toBe(Math.min(availableParallelism(), MAX_THREADS));
    vi.stubEnv('INV_THREADS', undefined);
    expect(resolveThreadCount()).toBe(Math.min(availableParallelism(), MAX_THREADS));
  });

  it('rejects a bad INV_THREADS, naming it, its value and what is expected', () => {
    for (const value of ['0', '-2', '1.5', 'two', '4x', '1e3', String(MAX_THREADS + 1)]) {
      vi.stubEnv('INV_THREADS', value);
      expect(() => resolveThreadCount()).toThrow(
        `INV_THREADS must be the number of engine threads: a positive integer up to ${MAX_THREADS}, got '${value}'`,
      );
    }
  });

  it('rejects a bad threads option, naming it', () => {
    for (const value of [0, -1, 2.5, Number.NaN, MAX_THREADS + 1]) {
      expect(() => resolveThreadCount(value)).toThrow(
        `engine option threads must be the engine thread count: a positive integer up to ${MAX_THREADS}, got ${value}`,
      );
    }
  });

  it('is what createEngine uses', async () => {
    const module = new WebAssembly.Module(await sharedModuleBytes());
    vi.stubEnv('INV_THREADS', '2');
    const engine = createEngine({ module });
    expect(engine.runner.threads).toBe(2);
    engine.dispose();
    vi.stubEnv('INV_THREADS', 'many');
    expect(() => createEngine({ module })).toThrow('INV_THREADS must be the number of engine threads');
  });
});
