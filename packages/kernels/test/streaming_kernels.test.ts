/**
 * The SIMD module of the memory-bound training kernels (src/streaming/streaming.wat): fresh, small, writing
 * nothing past its outputs; on wasm, the kernels running on it (checked by its call counter) against float64
 * references on odd shapes; and the fused ReLU gradient against the stock formula on every backend.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { BatchNormTraining, BatchNormTrainingGrad, InvReluGrad } from '../src/kernel_names.js';
import { streamingCalls, type StreamingExports } from '../src/streaming/streaming_instance.js';
import { streamingWasmBytes } from '../src/streaming/streaming_wasm.js';
import { availableTestBackends, useBackend } from './helpers/backends.js';
import { wideRows } from '../src/wasm/streaming_jobs.js';
import { useTestSeed } from './helpers/random.js';
import { relativeError } from './helpers/relative_error.js';

const random = useTestSeed('streaming_kernels.test.ts');

const EPSILON = 1e-3;

/** Largest |a − b| relative to the reference's largest magnitude (at least 1). */
function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, tolerance = 1e-5) {
  expect(actual.length, what).toBe(expected.length);
  expect(relativeError(actual, expected, 1), what).toBeLessThan(tolerance);
}

/** The module's calls of `kernel` while `body` runs. */
function callsDuring(kernel: string, body: () => void): number {
  const before = streamingCalls[kernel] ?? 0;
  body();
  return (streamingCalls[kernel] ?? 0) - before;
}

describe('streaming SIMD module', () => {
  it('streaming_wasm.ts is what streaming.wat assembles to', () => {
    const script = fileURLToPath(new URL('../scripts/assemble-streaming.mjs', import.meta.url));
    expect(() => execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it('validates and stays below 4 kB (browsers compile larger modules only asynchronously)', () => {
    expect(WebAssembly.validate(streamingWasmBytes)).toBe(true);
    expect(streamingWasmBytes.length).toBeLessThan(4096);
  });

  it('writes nothing past its outputs or its scratch', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const simd = new WebAssembly.Instance(new WebAssembly.Module(streamingWasmBytes), { env: { memory } })
      .exports as unknown as StreamingExports;
    const f32 = new Float32Array(memory.buffer);
    // Odd sides, 5 channels (a vector and a lane-by-lane tail), inputs at 0 and outputs each in a region
    // followed by sentinels.
    const [b, h, w, C] = [1, 3, 5, 5];
    const n = b * h * w * C;
    for (let i = 0; i < 4 * n; i++) f32[i] = Math.sin(i) * 3;
    const [x, dy, y] = [0, n, 2 * n].map((k) => 4 * k) as [number, number, number];
    const out = 4 * 4 * n;
    const SENTINEL = 12345.5;
    const check = (run: (out: number) => void, floats: number) => {
      f32.fill(SENTINEL, out / 4, out / 4 + floats + 64);
      run(out);
      expect(f32.subarray(out / 4 + floats, out / 4 + floats + 64).every((v) => v === SENTINEL)).toBe(true);
      expect(f32.subarray(out / 4, out / 4 + floats).some((v) => v === SENTINEL)).toBe(false);
    };
    const rows = n / C;
    // The kernels as jobs of tasks, their arguments after the outputs' sentinels: the batch-norm passes in
    // tasks of R rows (all rows in one task, and 2 rows a task: the last one shorter; the sums' partials are
    // 2C float64 a task), the ReLU gradient in runs of 8 elements (the last one shorter), the pooling
    // gradients an image a task.
    const args = 4 * (8 * n);
    const job = (name: keyof StreamingExports, words: number[], tasks: number) => {
      new Int32Array(memory.buffer, args, words.length).set(words);
      for (let task = 0; task < tasks; task++) simd[name](task, args, 0);
    };
    for (const R of [rows, 2]) {
      const tasks = Math.ceil(rows / R);
      const partials = 4 * C * tasks;
      check((at) => job('momentsTask', [x, rows, C, at, x, R], tasks), partials);
      check((at) => job('gradientSumsTask', [dy, x, y, rows, C, x, 0, at, R], tasks), partials);
      // Outputs of x's size; params (read) taken from the inputs; normalize's floor 0.
      check((at) => job('normalizeTask', [x, at, rows, C, dy, 0, R], tasks), n);
      check((at) => job('gradientApplyTask', [dy, x, y, at, rows, C, y, 0, R], tasks), n);
    }
    check((at) => job('reluGradTask', [dy, x, at, n, 8], Math.ceil(n / 8)), n);
    check((at) => job('maxPoolGrad2x2Task', [x, dy, at, h, w, C], b), n);
    check((at) => job('avgPoolGrad2x2Task', [dy, at, h, w, C], b), n);
  });
});

const backends = (await availableTestBackends()).filter((b) => b === 'cpu' || b === 'wasm');

// Reported as skipped where wasm does not start.
describe.skipIf(!backends.includes('wasm'))('streaming kernels on wasm', () => {
  beforeEach(() => useBackend('wasm'));

  // Channel counts below, at and past 4 (lane tails), one-pixel images, batch 1; a mean far from 0.
  it('sees rows of 1, 2, 3 or 9 channels several at a time where they divide into groups', () => {
    expect(wideRows(64, 1)).toEqual({ group: 4, rows: 16, C: 4 });
    expect(wideRows(64, 6)).toEqual({ group: 2, rows: 32, C: 12 });
    expect(wideRows(64, 9)).toEqual({ group: 4, rows: 16, C: 36 });
    expect(wideRows(63, 3)).toEqual({ group: 1, rows: 63, C: 3 });
    expect(wideRows(64, 8)).toEqual({ group: 1, rows: 64, C: 8 });
  });

  const BN_CASES: { shape: number[]; relu: boolean; shift: number }[] = [
    { shape: [3, 5, 7, 6], relu: true, shift: 0.3 },
    { shape: [1, 1, 1, 3], relu: false, shift: 0 },
    { shape: [2, 1, 1, 9], relu: true, shift: -0.2 },
    { shape: [1, 6, 5, 4], relu: false, shift: 0 },
    { shape: [4, 9, 9, 13], relu: false, shift: 100 },
    // Channels off the 4-lane vector seen several rows at a time (wideRows): 1, 2 and 3 channels, the last
    // over several tasks of wide rows.
    { shape: [4, 8, 8, 1], relu: true, shift: 0.5 },
    { shape: [2, 6, 6, 2], relu: false, shift: -3 },
    { shape: [8, 32, 32, 3], relu: false, shift: 50 },
  ];

  it.each(BN_CASES)('batch-norm training and its gradient match float64: %j', ({ shape, relu, shift }) => {
    const C = shape[shape.length - 1]!;
    const rows = shape.reduce((p, d) => p * d, 1) / C;
    const x = tf.add(random.normal(shape, 0, 1.5), shift);
    const scale = random.normal([C]);
    const offset = random.normal([C]);
    const attrs = { epsilon: EPSILON, activation: relu ? 'relu' : 'linear' } as unknown as tf.NamedAttrMap;
    let forward: tf.Tensor[] = [];
    const forwardCalls = callsDuring(BatchNormTraining, () => {
      forward = tf.engine().runKernel(BatchNormTraining, { x, scale, offset }, attrs) as tf.Tensor[];
    });
    expect(forwardCalls).toBe(1);
    const [y, mean, variance] = forward as [tf.Tensor, tf.Tensor, tf.Tensor];

    const xs = Float64Array.from(x.dataSync());
    const s = scale.dataSync();
    const o = offset.dataSync();
    const m = new Float64Array(C);
    const v = new Float64Array(C);
    for (let i = 0; i < xs.length; i++) m[i % C]! += xs[i]! / rows;
    for (let i = 0; i < xs.length; i++) v[i % C]! += (xs[i]! - m[i % C]!) ** 2 / rows;
    const xHat = xs.map((e, i) => (e - m[i % C]!) / Math.sqrt(v[i % C]! + EPSILON));
    const yRef = xHat.map((e, i) => {
      const a = e * s[i % C]! + o[i % C]!;
      return relu ? Math.max(a, 0) : a;
    });
    expectClose(mean.dataSync(), m, 'mean');
    expectClose(variance.dataSync(), v, 'variance');
    expectClose(y.dataSync(), yRef, 'y');

    const dy = random.normal(shape);
    const dMean = random.normal([C]);
    const dVariance = random.normal([C]);
    let backward: tf.Tensor[] = [];
    const inputs = { dy, x, y, scale, mean, variance, dMean, dVariance };
    const backwardCalls = callsDuring(BatchNormTrainingGrad, () => {
      backward = tf.engine().runKernel(BatchNormTrainingGrad, inputs, attrs) as tf.Tensor[];
    });
    expect(backwardCalls).toBe(1);
    const [dx, dScale, dOffset] = backward as [tf.Tensor, tf.Tensor, tf.Tensor];
    // g = dy through the ReLU; dx through x̂ (and μ, σ² in it), plus the paths of dMean and dVariance.
    const dys = dy.dataSync();
    const g = Float64Array.from(dys, (e, i) => (relu && yRef[i]! <= 0 ? 0 : e));
    const sumG = new Float64Array(C);
    const sumGX = new Float64Array(C);
    for (let i = 0; i < g.length; i++) {
      sumG[i % C]! += g[i]!;
      sumGX[i % C]! += g[i]! * xHat[i]!;
    }
    const dm = dMean.dataSync();
    const dv = dVariance.dataSync();
    const dxRef = g.map((e, i) => {
      const c = i % C;
      const a = s[c]! / Math.sqrt(v[c]! + EPSILON);
      const throughStats = dm[c]! / rows + (2 * dv[c]! * (xs[i]! - m[c]!)) / rows;
      return a * (e - sumG[c]! / rows - (xHat[i]! * sumGX[c]!) / rows) + throughStats;
    });
    expectClose(dOffset.dataSync(), sumG, 'dOffset');
    expectClose(dScale.dataSync(), sumGX, 'dScale');
    expectClose(dx.dataSync(), dxRef, 'dx', 1e-4);
  });

  it.each([
    { shape: [3, 5, 7, 6], axis: [0, 1, 2] },
    { shape: [1, 1, 1, 3], axis: [0, 1, 2] },
    { shape: [300, 9], axis: [0] },
    { shape: [3, 20, 19, 9], axis: [0, 1, 2] },
    { shape: [2, 3, 4], axis: [0, 1] },
    { shape: [64, 32, 32, 1], axis: [0, 1, 2] },
    { shape: [6, 5, 4, 2], axis: [0, 1, 2] },
  ])('sum and mean over leading axes match float64: %j', ({ shape, axis }) => {
    const x = tf.add(random.normal(shape), 10);
    const inner = shape.slice(axis.length).reduce((p, d) => p * d, 1);
    const rows = x.size / inner;
    const expected = new Float64Array(inner);
    x.dataSync().forEach((e, i) => (expected[i % inner]! += e));
    let sum: tf.Tensor | undefined;
    let mean: tf.Tensor | undefined;
    expect(callsDuring(tf.Sum, () => (sum = tf.sum(x, axis)))).toBe(1);
    expect(callsDuring(tf.Mean, () => (mean = tf.mean(x, axis)))).toBe(1);
    expectClose(sum!.dataSync(), expected, 'sum');
    expectClose(
      mean!.dataSync(),
      expected.map((e) => e / rows),
      'mean',
    );
  });

  it.each<{ shape: [number, number, number, number]; pad: 'same' | 'valid'; ties: boolean }>([
    { shape: [1, 4, 6, 5], pad: 'same', ties: true },
    { shape: [2, 5, 7, 3], pad: 'valid', ties: false },
    { shape: [3, 2, 2, 8], pad: 'valid', ties: true },
    { shape: [1, 7, 3, 4], pad: 'valid', ties: true },
  ])('2×2 maxPool gradient routes dy to the first maximum: %j', ({ shape, pad, ties }) => {
    // Ties: integers 0–2 shifted negative, so most windows hold equal (negative) maxima.
    const x = (
      ties ? tf.sub(tf.floor(random.uniformTensor(shape, 0, 3)), 3) : random.normal(shape)
    ) as tf.Tensor4D;
    const y = tf.maxPool(x, 2, 2, pad);
    const dy = random.normal(y.shape);
    let dx: tf.Tensor | undefined;
    const calls = callsDuring(tf.MaxPoolGrad, () => {
      dx = tf.grad((a) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, 2, 2, pad), dy)))(x);
    });
    expect(calls).toBe(1);
    const [b, h, w, C] = shape;
    const [, ho, wo] = y.shape as number[];
    const xs = x.dataSync();
    const dys = dy.dataSync();
    const expected = new Float64Array(x.size);
    for (let n = 0; n < b; n++)
      for (let i = 0; i < ho!; i++)
        for (let j = 0; j < wo!; j++)
          for (let c = 0; c < C; c++) {
            let arg = -1;
            for (let u = 0; u < 2; u++)
              for (let v = 0; v < 2; v++) {
                const at = ((n * h + 2 * i + u) * w + 2 * j + v) * C + c;
                if (arg < 0 || xs[at]! > xs[arg]!) arg = at;
              }
            expected[arg]! += dys[((n * ho! + i) * wo! + j) * C + c]!;
          }
    expect(Array.from(dx!.dataSync())).toEqual(Array.from(expected, Math.fround));
  });
  it.each<{ shape: [number, number, number, number]; pad: 'same' | 'valid'; simd: boolean }>([
    { shape: [2, 4, 6, 5], pad: 'same', simd: true },
    { shape: [1, 5, 7, 3], pad: 'valid', simd: true },
    { shape: [3, 2, 2, 8], pad: 'valid', simd: true },
    // 'same' on odd sides: windows past the input go to the stock kernel.
    { shape: [1, 5, 7, 6], pad: 'same', simd: false },
  ])('avgPool gradient: %j', ({ shape, pad, simd }) => {
    const x = random.normal(shape) as tf.Tensor4D;
    const y = tf.avgPool(x, 2, 2, pad);
    const dy = random.normal(y.shape);
    let dx: tf.Tensor | undefined;
    const calls = callsDuring(tf.AvgPoolGrad, () => {
      dx = tf.grad((a) => tf.sum(tf.mul(tf.avgPool(a as tf.Tensor4D, 2, 2, pad), dy)))(x);
    });
    expect(calls).toBe(simd ? 1 : 0);
    // tfjs's gradient: each window's dy/4 on every in-image element of it (padding only past the end).
    const [b, h, w, C] = shape;
    const [, ho, wo] = y.shape as number[];
    const dys = dy.dataSync();
    const expected = new Float64Array(x.size);
    for (let n = 0; n < b; n++)
      for (let i = 0; i < ho!; i++)
        for (let j = 0; j < wo!; j++)
          for (let u = 0; u < 2; u++)
            for (let v = 0; v < 2; v++)
              for (let c = 0; c < C; c++) {
                if (2 * i + u >= h || 2 * j + v >= w) continue;
                expected[((n * h + 2 * i + u) * w + 2 * j + v) * C + c]! +=
                  dys[((n * ho! + i) * wo! + j) * C + c]! / 4;
              }
    expect(Array.from(dx!.dataSync())).toEqual(Array.from(expected, Math.fround));
  });
});

describe('ReLU gradient', () => {
  it.each(backends)(
    'is one InvReluGrad on %s, with the stock formula’s values, NaNs and signed zeros',
    async (b) => {
      await useBackend(b);
      // Special values against every dy sign and NaN; then a random run (a vector body and a lane tail).
      const special = [0, -0, NaN, Infinity, -Infinity, 1e-30, -1e-30, 2, -2];
      const dySpecial = [1, -1, NaN, 0, -0, Infinity];
      const xs = special.flatMap((v) => dySpecial.map(() => v));
      const dys = special.flatMap(() => dySpecial);
      const values = Array.from({ length: 37 }, () => random.uniform() / 2);
      const x = tf.tensor([...xs, ...values]);
      const dy = tf.tensor([...dys, ...values.map(() => random.uniform() / 2)]);
      const gradient = () => tf.grad((a) => tf.sum(tf.mul(tf.relu(a), dy)))(x);
      const profile = await tf.profile(() => gradient());
      const names = profile.kernelNames;
      expect(names).toContain(InvReluGrad);
      expect(names).not.toContain(tf.Step);
      let dx: tf.Tensor | undefined;
      const calls = callsDuring(InvReluGrad, () => (dx = gradient()));
      if (b === 'wasm') expect(calls).toBe(1);
      const stock = tf.mul(dy, tf.cast(tf.step(x), 'float32')).dataSync();
      const ours = dx!.dataSync();
      for (let i = 0; i < stock.length; i++)
        expect(Object.is(ours[i], stock[i]), `x=${x.dataSync()[i]}`).toBe(true);
    },
  );
});
