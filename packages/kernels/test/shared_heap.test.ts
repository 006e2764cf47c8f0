/**
 * The wasm backend on a shared heap (`onSharedWasmHeap`, as `initBackend` starts it): tfjs works as before on
 * it, the engine's threads work in place on its tensors, with the bits of one thread and of the cpu backend's
 * copied engine, also after the heap has grown, and the SIMD batch-norm passes run in place on every thread.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { backendHeap } from '../src/adapters/wasm.js';
import { awaitModuleWorkers } from '../src/engine/module_runners.js';
import { awaitEngineWorkers, engineThreads, setEngineThreads } from '../src/engine/process_engine.js';
import { engineRuns } from '../src/engine_kernels/run_on_engine.js';
import { streamingCalls } from '../src/streaming/streaming_instance.js';
import { BatchNormTraining, BatchNormTrainingGrad, InvReluGrad } from '../src/kernel_names.js';
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

  it('runs the batch-norm passes, sums, pooling and ReLU gradients in place on every thread, with the bits of one thread', async () => {
    await useBackend('wasm');
    // 2·33·35 rows: three tasks of 1,024 rows, the last one short; 7 channels: a vector and a 3-lane tail.
    const shape: [number, number, number, number] = [2, 33, 35, 7];
    const size = shape.reduce((n, d) => n * d, 1);
    const values = [size, size, 7, 7, 7, 7].map((n) => randomArray(n, random));
    const before = engineThreads();
    const run = (threads: number, warm = true) => {
      setEngineThreads(threads);
      // A first run makes the streaming module's pool for this count; the measured one runs on all its threads.
      if (warm) run(threads, false);
      expect(awaitEngineWorkers(30_000) && awaitModuleWorkers(30_000)).toBe(true);
      const [x, dy] = [values[0]!, values[1]!].map((v) => tf.tensor4d(v, shape));
      const [scale, offset, dMean, dVariance] = values.slice(2).map((v) => tf.tensor1d(v));
      const attrs = { epsilon: 1e-3, activation: 'relu' };
      const kernels = [BatchNormTraining, BatchNormTrainingGrad, tf.MaxPoolGrad, tf.AvgPoolGrad, InvReluGrad];
      const calls = kernels.map((k) => streamingCalls[k] ?? 0);
      const [y, mean, variance] = tf
        .engine()
        .runKernel(
          BatchNormTraining,
          { x: x!, scale: scale!, offset: offset! },
          attrs,
        ) as unknown as tf.Tensor[];
      const grads = tf.engine().runKernel(
        BatchNormTrainingGrad,
        {
          dy: dy!,
          x: x!,
          y: y!,
          scale: scale!,
          mean: mean!,
          variance: variance!,
          dMean: dMean!,
          dVariance: dVariance!,
        },
        attrs,
      ) as unknown as tf.Tensor[];
      const sum = tf.sum(dy!, [0, 1, 2]);
      // The pooling gradients (2×2 'valid' windows, an image a task) and the ReLU gradient (runs of elements).
      const pooled = tf.slice(dy!, [0, 0, 0, 0], [2, 16, 17, 7]);
      const through = (f: (a: tf.Tensor4D) => tf.Tensor, up: tf.Tensor) =>
        tf.grad((a) => tf.sum(tf.mul(f(a as tf.Tensor4D), up)))(x!);
      const pass = [
        through((a) => tf.maxPool(a, 2, 2, 'valid'), pooled),
        through((a) => tf.avgPool(a, 2, 2, 'valid'), pooled),
        through((a) => tf.relu(a), dy!),
      ];
      expect(kernels.map((k, i) => streamingCalls[k]! - calls[i]!)).toEqual([1, 1, 1, 1, 1]);
      const out = [y!, mean!, variance!, ...grads, sum, ...pass].map(bits);
      tf.dispose([
        x!,
        dy!,
        scale!,
        offset!,
        dMean!,
        dVariance!,
        y!,
        mean!,
        variance!,
        ...grads,
        sum,
        pooled,
        ...pass,
      ]);
      return out;
    };
    try {
      const [one, two, three] = [run(1), run(2), run(3)];
      two.forEach((b, i) => expect(b).toEqual(one[i]));
      three.forEach((b, i) => expect(b).toEqual(one[i]));
      // The fused ReLU: y ≥ 0 everywhere, and the normalised values are not all zero.
      const y = new Float32Array(one[0]!.buffer);
      expect(y.every((v) => v >= 0) && y.some((v) => v > 0)).toBe(true);
    } finally {
      setEngineThreads(before);
      await useBackend('cpu');
    }
  });
});
