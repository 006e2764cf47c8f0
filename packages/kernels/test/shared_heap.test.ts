/**
 * The wasm backend on a shared heap (`onSharedWasmHeap`, as `initBackend` starts it): tfjs works as before on
 * it, the engine's threads work in place on its tensors, with the bits of one thread and of the cpu backend's
 * copied engine, also after the heap has grown, and the SIMD batch-norm kernels still run in place.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { backendHeap } from '../src/adapters/wasm.js';
import { awaitEngineWorkers, engineThreads, setEngineThreads } from '../src/engine/process_engine.js';
import { engineRuns } from '../src/engine_kernels/run_on_engine.js';
import { streamingCalls } from '../src/streaming/streaming_instance.js';
import { BatchNormTraining } from '../src/kernel_names.js';
import { availableTestBackends, useBackend } from './helpers/backends.js';
import { randomArray, useTestSeed } from './helpers/random.js';

const { uniform: random } = useTestSeed('shared_heap.test.ts');
const backends = await availableTestBackends();
const started = backends.includes('wasm') && backends.includes('cpu');

const SHAPE = { x: [4, 9, 11, 24], w: [3, 3, 24, 16] } as const;

const bits = (t: tf.Tensor): Uint32Array => new Uint32Array((t.dataSync() as Float32Array).slice().buffer);

/** conv2d and both its gradients at `threads` engine threads, with the in-place and copied run counts. */
function convAndGradients(xs: Float32Array, ws: Float32Array, threads: number) {
  const x = tf.tensor4d(xs, [...SHAPE.x]);
  const w = tf.tensor4d(ws, [...SHAPE.w]);
  setEngineThreads(threads);
  expect(awaitEngineWorkers(30_000)).toBe(true);
  const start = { ...engineRuns };
  const { value, grads } = tf.valueAndGrads((x: tf.Tensor, w: tf.Tensor) =>
    tf.sum(tf.square(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same'))),
  )([x, w]);
  const out = [value, ...grads].map(bits);
  tf.dispose([x, w, value, ...grads]);
  return { out, inPlace: engineRuns.inPlace - start.inPlace, copied: engineRuns.copied - start.copied };
}

describe.runIf(started)('the wasm backend on a shared heap', () => {
  it('has a shared heap, and hands out values in unshared arrays', async () => {
    await useBackend('wasm');
    const heap = backendHeap(tf.backend());
    expect(heap?.shared).toBe(true);
    expect(heap?.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    const t = tf.tensor([1, 2, 3]);
    expect(t.dataSync().buffer).not.toBeInstanceOf(SharedArrayBuffer);
    expect((await t.data()).buffer).not.toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(tf.add(t, t).dataSync())).toEqual([2, 4, 6]);
    t.dispose();
  });

  it('runs the engine in place on every thread, before and after the heap grows, with the bits of 1 thread and of cpu', async () => {
    const xs = randomArray(4 * 9 * 11 * 24, random);
    const ws = randomArray(3 * 3 * 24 * 16, random);
    const before = engineThreads();
    try {
      await useBackend('cpu');
      const onCpu = convAndGradients(xs, ws, 2);
      expect(onCpu.copied).toBe(3);

      await useBackend('wasm');
      const heap = backendHeap(tf.backend())!;
      const run = (threads: number) => convAndGradients(xs, ws, threads);
      const small = [run(2), run(3), run(1)];
      // 256 MB more: the heap grows while the workers are waiting; the next tensors lie above the old top.
      const top = heap.memory.buffer.byteLength;
      const filler = tf.zeros([64 << 20]);
      expect(heap.memory.buffer.byteLength).toBeGreaterThan(top);
      const grown = run(2);
      filler.dispose();
      for (const result of [...small, grown]) {
        expect([result.inPlace, result.copied]).toEqual([3, 0]);
        result.out.forEach((b, i) => expect(b).toEqual(onCpu.out[i]));
      }
    } finally {
      setEngineThreads(before);
      await useBackend('cpu');
    }
  });

  it('runs the SIMD batch-norm kernels in place on it', async () => {
    await useBackend('wasm');
    const calls = streamingCalls[BatchNormTraining] ?? 0;
    const x = tf.tensor4d(randomArray(2 * 5 * 5 * 6, random), [2, 5, 5, 6]);
    const y = tf.tidy(() => {
      const [out] = tf
        .engine()
        .runKernel(
          BatchNormTraining,
          { x, scale: tf.ones([6]), offset: tf.zeros([6]) },
          { epsilon: 1e-3, activation: 'linear' },
        ) as unknown as tf.Tensor[];
      return tf.moments(out!, [0, 1, 2]);
    });
    expect(streamingCalls[BatchNormTraining]).toBe(calls + 1);
    expect(Math.max(...Array.from(y.mean.dataSync(), Math.abs))).toBeLessThan(1e-5);
    for (const v of y.variance.dataSync()) expect(v).toBeCloseTo(1, 2);
    tf.dispose([x, y.mean, y.variance]);
    await useBackend('cpu');
  });
});
