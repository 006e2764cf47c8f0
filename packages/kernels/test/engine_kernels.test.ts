/**
 * The tfjs kernels that run on the engine (convolutions, products, their fused forms) on cpu and wasm: against
 * float64 references on fresh seeded inputs (the seed is printed; INV_TEST_SEED=… replays it), against the stock
 * kernels they replace, the fallbacks they hand to the stock kernels, and bit-identical results for any
 * thread count, through a whole training step's gradients.
 */
import * as tfjs from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { awaitEngineWorkers, engineThreads, setEngineThreads } from '../src/engine/process_engine.js';
import { engineRuns } from '../src/engine_kernels/run_on_engine.js';
import { stockKernel } from '../src/stock_kernels.js';
import { conv2dReference } from '../src/testing/index.js';
import { relativeError, ref } from './helpers/relative_error.js';
import { availableTestBackends, useBackend, type KernelBackend } from './helpers/backends.js';
import { randomArray, seededRandom, testSeed } from './helpers/random.js';

const SEED = testSeed();
console.log(`[engine kernels] seed ${SEED}`);
const random = seededRandom(SEED);
const TOLERANCE = 1e-5;

const tensor = (shape: number[]): tf.Tensor =>
  tf.tensor(
    randomArray(
      shape.reduce((n, d) => n * d, 1),
      random,
    ),
    shape,
  );

/** The stock kernel's output for the same call. */
function stockOutput(kernelName: string, inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap): Float32Array {
  const info = stockKernel(kernelName, tf.getBackend()).kernelFunc({
    inputs,
    attrs,
    backend: tf.backend(),
  }) as tf.TensorInfo;
  const out = tf.engine().makeTensorFromTensorInfo(info);
  const values = out.dataSync() as Float32Array;
  out.dispose();
  return values;
}

/** Counts the calls of the kernel registered as `kernelName` on the active backend while `body` runs. */
function callsOf(kernelName: string, body: () => void): number {
  const config = tf.getKernel(kernelName, tf.getBackend())!;
  let calls = 0;
  tf.unregisterKernel(kernelName, config.backendName);
  tf.registerKernel({ ...config, kernelFunc: (args) => (calls++, config.kernelFunc(args)) });
  try {
    body();
  } finally {
    tf.unregisterKernel(kernelName, config.backendName);
    tf.registerKernel(config);
  }
  return calls;
}

const backends = await availableTestBackends();

// A backend that does not start has its tests reported as skipped.
describe.each<KernelBackend>(['cpu', 'wasm'])('engine kernels on %s', (backend) => {
  const started = backends.includes(backend);
  beforeEach(() => useBackend(backend));

  it.runIf(started).each([
    { activation: 'relu', bias: true, stride: 1, pad: 'same' as const },
    { activation: 'linear', bias: true, stride: 2, pad: 'valid' as const },
    { activation: 'relu', bias: false, stride: 1, pad: 'valid' as const },
  ])('fused conv2d (%j) = activation(conv2d + bias) in float64, and the stock kernel', (c) => {
    const x = tensor([2, 7, 9, 5]) as tf.Tensor4D;
    const filter = tensor([3, 3, 5, 6]) as tf.Tensor4D;
    const bias = c.bias ? tensor([6]) : undefined;
    const activation = c.activation as 'relu' | 'linear';
    const y = tf.fused.conv2d({ x, filter, strides: c.stride, pad: c.pad, bias, activation });
    const conv = conv2dReference(ref(x), ref(filter), { stride: c.stride, pad: c.pad });
    const b = bias?.dataSync();
    const expected = conv.data.map((v, i) => {
      const z = v + (b === undefined ? 0 : b[i % 6]!);
      return activation === 'relu' ? Math.max(0, z) : z;
    });
    expect(y.shape).toEqual(conv.shape);
    expect(relativeError(y.dataSync(), expected)).toBeLessThan(TOLERANCE);
    const attrs = { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', dilations: 1, activation };
    const inputs: tf.NamedTensorMap = bias === undefined ? { x, filter } : { x, filter, bias };
    expect(relativeError(y.dataSync(), stockOutput(tf.FusedConv2D, inputs, attrs))).toBeLessThan(TOLERANCE);
  });

  it.runIf(started).each(['linear', 'relu'] as const)(
    'fused conv2d (%s) gives the bits of conv2d, add and relu, on all threads',
    (activation) => {
      // The thin products that add the bias as they store, each path (a generator's 1 → 9 and 3 → 1, an
      // outer product to 3, two inputs to 3; odd pixel counts leave rows to the one-row loop), a GEMM's
      // 1×1 of 8 → 16 and a 3×3 of 8 → 12, which add it in a pass of their own; several tasks each.
      for (const [xShape, filterShape] of [
        [
          [8, 32, 32, 1],
          [1, 1, 1, 9],
        ],
        [
          [3, 13, 11, 3],
          [1, 1, 3, 1],
        ],
        [
          [3, 13, 11, 1],
          [1, 1, 1, 3],
        ],
        [
          [3, 13, 11, 2],
          [1, 1, 2, 3],
        ],
        [
          [4, 16, 16, 8],
          [1, 1, 8, 16],
        ],
        [
          [4, 16, 16, 8],
          [3, 3, 8, 12],
        ],
      ] as const) {
        const x = tensor([...xShape]) as tf.Tensor4D;
        const filter = tensor([...filterShape]) as tf.Tensor4D;
        const bias = tensor([filterShape[3]]);
        const y = tf.fused.conv2d({ x, filter, strides: 1, pad: 'same', bias, activation });
        const sum = tf.add(tf.conv2d(x, filter, 1, 'same'), bias);
        const plain = activation === 'relu' ? tf.relu(sum) : sum;
        expect(y.dataSync()).toEqual(plain.dataSync());
        tf.dispose([x, filter, bias, y, sum, plain]);
      }
    },
  );

  it.runIf(started)('fused conv2d hands activations it does not fuse to the stock kernel', () => {
    const x = tensor([1, 5, 5, 2]) as tf.Tensor4D;
    const filter = tensor([3, 3, 2, 3]) as tf.Tensor4D;
    const bias = tensor([3]);
    const y = tf.fused.conv2d({ x, filter, strides: 1, pad: 'same', bias, activation: 'elu' });
    const plain = tf.elu(tf.add(tf.conv2d(x, filter, 1, 'same'), bias));
    expect(relativeError(y.dataSync(), plain.dataSync())).toBeLessThan(TOLERANCE);
  });

  it.runIf(started).each([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ])('matMul transposeA=%s transposeB=%s, batched and broadcast, in float64', (transposeA, transposeB) => {
    const [m, k, n] = [5, 11, 9];
    const a = tensor(transposeA ? [3, k, m] : [3, m, k]);
    const b = tensor(transposeB ? [1, n, k] : [1, k, n]);
    const out = tf.matMul(a, b, transposeA, transposeB);
    const as = a.dataSync();
    const bs = b.dataSync();
    const expected = new Float64Array(3 * m * n);
    for (let p = 0; p < 3; p++)
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++)
          for (let q = 0; q < k; q++) {
            const av = as[p * m * k + (transposeA ? q * m + i : i * k + q)]!;
            const bv = bs[transposeB ? j * k + q : q * n + j]!;
            expected[(p * m + i) * n + j]! += av * bv;
          }
    expect(out.shape).toEqual([3, m, n]);
    expect(relativeError(out.dataSync(), expected)).toBeLessThan(TOLERANCE);
  });

  it.runIf(started)(
    'fused matMul (Dense): relu(x·W + b) in float64, with its transposed-operand gradients',
    () => {
      const x = tensor([6, 13]) as tf.Tensor2D;
      const w = tensor([13, 7]) as tf.Tensor2D;
      const bias = tensor([7]);
      const y = tf.fused.matMul({ a: x, b: w, bias, activation: 'relu' });
      const xs = x.dataSync();
      const ws = w.dataSync();
      const bs = bias.dataSync();
      const expected = new Float64Array(6 * 7);
      for (let i = 0; i < 6; i++)
        for (let j = 0; j < 7; j++) {
          let s = bs[j]!;
          for (let q = 0; q < 13; q++) s += xs[i * 13 + q]! * ws[q * 7 + j]!;
          expected[i * 7 + j] = Math.max(0, s);
        }
      expect(relativeError(y.dataSync(), expected)).toBeLessThan(TOLERANCE);
      // The gradients go through BatchMatMul with one operand transposed each.
      const dy = tensor([6, 7]);
      const [dx, dw] = tf.grads((a, b) => tf.sum(tf.mul(tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D), dy)))([
        x,
        w,
      ]);
      const dys = dy.dataSync();
      const expectedDx = new Float64Array(6 * 13);
      const expectedDw = new Float64Array(13 * 7);
      for (let i = 0; i < 6; i++)
        for (let q = 0; q < 13; q++)
          for (let j = 0; j < 7; j++) {
            expectedDx[i * 13 + q]! += dys[i * 7 + j]! * ws[q * 7 + j]!;
            expectedDw[q * 7 + j]! += xs[i * 13 + q]! * dys[i * 7 + j]!;
          }
      expect(relativeError(dx!.dataSync(), expectedDx)).toBeLessThan(TOLERANCE);
      expect(relativeError(dw!.dataSync(), expectedDw)).toBeLessThan(TOLERANCE);
    },
  );

  it.runIf(started)(
    'runs every kernel in place on all threads (wasm, shared heap) or copies it to the engine (cpu), with the same bits on 1 and 2 threads',
    () => {
      const skinny = { x: tensor([8, 16, 16, 1]) as tf.Tensor4D, w: tensor([1, 1, 1, 9]) as tf.Tensor4D };
      const dense = { x: tensor([8, 10, 10, 32]) as tf.Tensor4D, w: tensor([3, 3, 32, 32]) as tf.Tensor4D };
      const before = engineThreads();
      const conv = (c: typeof skinny, threads: number) => {
        setEngineThreads(threads);
        expect(awaitEngineWorkers(30_000)).toBe(true);
        const start = { ...engineRuns };
        const y = tf.conv2d(c.x, c.w, 1, 'same').dataSync() as Float32Array;
        return { y, inPlace: engineRuns.inPlace - start.inPlace, copied: engineRuns.copied - start.copied };
      };
      try {
        const skinny2 = conv(skinny, 2);
        const dense2 = conv(dense, 2);
        const skinny1 = conv(skinny, 1);
        const dense1 = conv(dense, 1);
        // The cpu backend's arrays are outside any wasm memory: always copied. The shared wasm heap has the
        // engine's threads on it: never copied.
        const inPlace = backend === 'wasm' ? 1 : 0;
        for (const run of [skinny2, dense2, skinny1, dense1]) {
          expect([run.inPlace, run.copied]).toEqual([inPlace, 1 - inPlace]);
        }
        expect(new Uint32Array(skinny2.y.buffer)).toEqual(new Uint32Array(skinny1.y.buffer));
        expect(new Uint32Array(dense2.y.buffer)).toEqual(new Uint32Array(dense1.y.buffer));
      } finally {
        setEngineThreads(before);
      }
    },
  );

  it.runIf(started)(
    'a training step gives the same bits on 1, 2 and 3 engine threads, and runs on the engine',
    () => {
      const model = tfjs.sequential({
        layers: [
          tfjs.layers.conv2d({ inputShape: [12, 12, 3], filters: 16, kernelSize: 3, activation: 'relu' }),
          tfjs.layers.conv2d({ filters: 24, kernelSize: 3, strides: 2, padding: 'same' }),
          tfjs.layers.flatten(),
          tfjs.layers.dense({ units: 10, activation: 'relu' }),
          tfjs.layers.dense({ units: 3 }),
        ],
      });
      const x = tensor([32, 12, 12, 3]);
      const y = tensor([32, 3]);
      const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
      const gradients = () =>
        tf.tidy(() => {
          const { grads } = tf.variableGrads(
            () => tf.losses.meanSquaredError(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
            variables,
          );
          return variables.map((v) => grads[v.name]!.dataSync() as Float32Array);
        });
      const before = engineThreads();
      try {
        const results = [1, 2, 3].map((threads) => {
          setEngineThreads(threads);
          expect(engineThreads()).toBe(threads);
          // Every thread takes tasks (before its workers start, the calling thread runs them all).
          expect(awaitEngineWorkers(30_000)).toBe(true);
          let out: Float32Array[] = [];
          expect(callsOf(tf.Conv2DBackpropFilter, () => (out = gradients()))).toBe(2);
          return out;
        });
        for (const result of results.slice(1)) {
          result.forEach((g, i) =>
            expect(new Uint32Array(g.buffer)).toEqual(new Uint32Array(results[0]![i]!.buffer)),
          );
        }
      } finally {
        setEngineThreads(before);
        model.dispose();
      }
    },
  );
});
