import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { engineThreads } from '@inv/kernels';
import { availableParallelism } from 'node:os';
import { describeSelection, initBackend, softwareAdapterReason, webgpuAdapterInfo } from '../src/index.js';

const tfjsNode: string = '@tensorflow/tfjs-node'; // an optional peer: not resolved at type-check time
const tfjsNodeInstalled = await import(tfjsNode).then(
  () => true,
  () => false,
);

afterEach(() => {
  delete process.env['INV_BACKEND'];
  delete process.env['INV_THREADS'];
});

describe('initBackend', () => {
  it('starts an explicitly chosen backend', async () => {
    const selection = await initBackend('wasm');
    expect(selection).toEqual({ backend: 'wasm', skipped: [], threads: availableParallelism() });
    expect(tf.getBackend()).toBe('wasm');
  });

  it('takes the choice from INV_BACKEND when no preference is given', async () => {
    process.env['INV_BACKEND'] = 'cpu';
    expect((await initBackend()).backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });

  it('sets the engine threads from options.threads, else INV_THREADS, else the machine', async () => {
    const selection = await initBackend({ threads: 3 });
    expect(selection.threads).toBe(3);
    expect(engineThreads()).toBe(3);
    expect(describeSelection(await initBackend('cpu', { threads: 1 }))).toBe('backend: cpu (1 thread)');
    process.env['INV_THREADS'] = '2';
    expect((await initBackend('wasm')).threads).toBe(2);
    delete process.env['INV_THREADS'];
    expect((await initBackend('wasm')).threads).toBe(availableParallelism());
  });

  it('rejects a bad thread count, naming where it came from', async () => {
    await expect(initBackend('wasm', { threads: 0 })).rejects.toThrow(/threads.*positive integer.*got 0/);
    process.env['INV_THREADS'] = 'two';
    await expect(initBackend('wasm')).rejects.toThrow(/INV_THREADS.*positive integer.*'two'/);
  });

  it('rejects an unknown backend, listing the valid ones', async () => {
    await expect(initBackend('webgl' as never)).rejects.toThrow(
      "initBackend: unknown backend 'webgl'; expected one of auto, tensorflow, webgpu, wasm, cpu",
    );
    process.env['INV_BACKEND'] = 'tpu';
    await expect(initBackend()).rejects.toThrow(/unknown backend 'tpu'/);
  });

  it.skipIf(tfjsNodeInstalled)(
    'never falls back silently from an explicit choice that cannot start',
    async () => {
      await expect(initBackend('tensorflow')).rejects.toThrow(
        /no backend could start \(tensorflow: neither @tensorflow\/tfjs-node-gpu nor @tensorflow\/tfjs-node is installed/,
      );
    },
  );

  it.skipIf(tfjsNodeInstalled)(
    'auto picks the best that starts and says why each better one was skipped',
    async () => {
      const logs: string[] = [];
      const selection = await initBackend('auto', { log: (m) => logs.push(m) });
      expect(selection.skipped[0]).toEqual({
        backend: 'tensorflow',
        reason: 'neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node is installed (optional peers)',
      });
      // webgpu only on a real GPU adapter (CI has SwiftShader, a software one); otherwise wasm is next.
      expect(['webgpu', 'wasm']).toContain(selection.backend);
      expect(tf.getBackend()).toBe(selection.backend);
      expect(logs).toEqual([describeSelection(selection)]);
      expect(logs[0]).toMatch(
        new RegExp(`^backend: ${selection.backend}( \\(\\d+ threads?\\))?; tensorflow skipped: neither`),
      );
    },
  );

  it('auto passes over a software WebGPU adapter, which an explicit webgpu still uses', async () => {
    const selection = await initBackend('auto');
    if (selection.backend === 'webgpu') {
      expect(softwareAdapterReason(await webgpuAdapterInfo())).toBeNull();
      return;
    }
    expect(selection.backend).toBe('wasm');
    const webgpu = selection.skipped.find((s) => s.backend === 'webgpu');
    expect(webgpu).toBeDefined();
    if (webgpu!.reason.startsWith('software adapter')) {
      expect(webgpu!.reason).toMatch(
        /^software adapter \(.*swiftshader.*\), slower than wasm; choose 'webgpu' explicitly/i,
      );
      expect((await initBackend('webgpu')).backend).toBe('webgpu');
      expect(tf.getBackend()).toBe('webgpu');
    } else if (process.env['CI'] === 'true') {
      throw new Error(`CI has a Vulkan driver, so webgpu must start; it was skipped: ${webgpu!.reason}`);
    }
  });
});
