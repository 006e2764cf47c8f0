/**
 * The wasm backend started by hand (`tf.setBackend('wasm')`, no `onSharedWasmHeap`): its heap is private, so
 * the engine runs skinny kernels in place on one thread and copies dense ones to its threads, with the same
 * bits either way.
 */
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { backendHeap } from '../src/adapters/wasm.js';
import { awaitEngineWorkers, engineThreads, setEngineThreads } from '../src/engine/process_engine.js';
import { engineRuns } from '../src/engine_kernels/run_on_engine.js';
import { registerKernels } from '../src/index.js';
import { randomArray, useTestSeed } from './helpers/random.js';

const { uniform } = useTestSeed('private_heap.test.ts');
const started = await tf.setBackend('wasm').catch(() => false);
if (started) registerKernels('wasm');

describe.runIf(started || process.env['CI'] === 'true')('the wasm backend on a private heap', () => {
  it('copies dense kernels to the threaded engine and runs skinny ones in place, with the same bits', () => {
    expect(started).toBe(true);
    expect(backendHeap(tf.backend())?.shared).toBe(false);
    const skinny = { x: [8, 16, 16, 1], w: [1, 1, 1, 9] };
    const dense = { x: [8, 10, 10, 32], w: [3, 3, 32, 32] };
    const values = (shape: number[]) =>
      randomArray(
        shape.reduce((n, d) => n * d, 1),
        uniform,
      );
    const inputs = [skinny, dense].map(({ x, w }) => ({
      x: tf.tensor4d(values(x), x as [number, number, number, number]),
      w: tf.tensor4d(values(w), w as [number, number, number, number]),
    }));
    const before = engineThreads();
    const conv = (c: (typeof inputs)[number], threads: number) => {
      setEngineThreads(threads);
      expect(awaitEngineWorkers(30_000)).toBe(true);
      const start = { ...engineRuns };
      const y = tf.conv2d(c.x, c.w, 1, 'same').dataSync() as Float32Array;
      return { y, inPlace: engineRuns.inPlace - start.inPlace, copied: engineRuns.copied - start.copied };
    };
    try {
      const [skinny2, dense2, skinny1, dense1] = [
        conv(inputs[0]!, 2),
        conv(inputs[1]!, 2),
        conv(inputs[0]!, 1),
        conv(inputs[1]!, 1),
      ];
      expect([skinny2!.inPlace, skinny2!.copied]).toEqual([1, 0]);
      expect([dense2!.inPlace, dense2!.copied]).toEqual([0, 1]);
      expect([dense1!.inPlace, dense1!.copied]).toEqual([1, 0]);
      expect(new Uint32Array(skinny2!.y.buffer)).toEqual(new Uint32Array(skinny1!.y.buffer));
      expect(new Uint32Array(dense2!.y.buffer)).toEqual(new Uint32Array(dense1!.y.buffer));
    } finally {
      setEngineThreads(before);
      tf.dispose(inputs.flatMap((c) => [c.x, c.w]));
    }
  });
});
