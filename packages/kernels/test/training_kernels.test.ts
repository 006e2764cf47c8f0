/**
 * The training kernels inv registers over (or next to) the stock cpu and wasm ones: each is exercised through
 * the public ops and their gradients, checked to be the registered kernel, and compared against a float64
 * reference and against the stock kernel it replaced (where one exists) on fresh seeded random inputs. A
 * backend that does not start has its tests reported as skipped.
 */
import * as tfjs from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { stockKernel } from '../src/stock_kernels.js';
import {
  ENGINE_ADD_MIN_FLOATS,
  ENGINE_BIAS_ADD_MIN_FLOATS,
  engineAddOperands,
} from '../src/engine_kernels/add_engine.js';
import { engineRuns } from '../src/engine_kernels/run_on_engine.js';
import { ENGINE_RELU_MIN_FLOATS } from '../src/engine_kernels/relu_engine.js';
import { engineThreads, setEngineThreads } from '../src/engine/process_engine.js';
import { KERNEL_TABLE } from '../src/table.js';
import { conv2dGradReference, conv2dReference } from '../src/testing/index.js';
import { relativeError, ref } from './helpers/relative_error.js';
import { availableTestBackends, useBackend } from './helpers/backends.js';
import { useTestSeed } from './helpers/random.js';

const random = useTestSeed('training_kernels.test.ts');

const TOLERANCE = 1e-4;

/** The stock kernel's result for the same call, or undefined where the backend has none (wasm dW). */
function stockResult(
  kernelName: string,
  inputs: tf.NamedTensorMap,
  attrs: tf.NamedAttrMap,
): Float32Array | undefined {
  let stock: tf.KernelConfig;
  try {
    stock = stockKernel(kernelName, tf.getBackend());
  } catch {
    return undefined;
  }
  const info = stock.kernelFunc({ inputs, attrs, backend: tf.backend() }) as tf.TensorInfo;
  const out = tf.engine().makeTensorFromTensorInfo(info);
  const values = out.dataSync() as Float32Array;
  out.dispose();
  return values;
}

function expectRegistered(kernelName: string, backendName: string): void {
  const entry = KERNEL_TABLE.find((e) => e.kernelName === kernelName && e.backend === backendName);
  expect(entry !== undefined && 'kernel' in entry.config).toBe(true);
  const config = (entry!.config as { kernel: tf.KernelConfig }).kernel;
  expect(tf.getKernel(kernelName, backendName)?.kernelFunc).toBe(config.kernelFunc);
}

/** The kernels these tests exercise, registered by registerKernels on both backends. */
const OURS: string[] = [
  tf.Conv2D,
  tf.FusedConv2D,
  tf.Conv2DBackpropInput,
  tf.Conv2DBackpropFilter,
  tf.BatchMatMul,
  tf._FusedMatMul,
  tf.MaxPoolGrad,
  tf.Sum,
  tf.Mean,
];

interface ConvCase {
  shape: [number, number, number, number];
  kernel: number;
  outChannels: number;
  stride: number;
  pad: 'same' | 'valid';
}

// Odd extents, channel counts that are not multiples of 4, 1×1 / 3×3 / 5×5, strides 1 and 2, batch > 1.
const CONV_CASES: ConvCase[] = [
  { shape: [2, 7, 9, 3], kernel: 3, outChannels: 5, stride: 1, pad: 'same' },
  { shape: [3, 8, 7, 5], kernel: 3, outChannels: 6, stride: 2, pad: 'valid' },
  { shape: [2, 9, 11, 6], kernel: 5, outChannels: 7, stride: 1, pad: 'valid' },
  { shape: [2, 9, 9, 6], kernel: 5, outChannels: 3, stride: 2, pad: 'same' },
  { shape: [2, 6, 5, 7], kernel: 1, outChannels: 9, stride: 1, pad: 'valid' },
  { shape: [3, 5, 6, 3], kernel: 1, outChannels: 5, stride: 2, pad: 'same' },
  // Wider channels, strided: the GEMM path at a size where patch chunks and transposes matter.
  { shape: [2, 8, 7, 16], kernel: 3, outChannels: 12, stride: 2, pad: 'same' },
];

const backends: string[] = await availableTestBackends();

describe.each(['cpu', 'wasm'])('training kernels on %s', (backend) => {
  // Each test switches first: the maxPool gradient test ends on cpu.
  beforeEach(() => useBackend(backend));
  const started = backends.includes(backend);

  it.runIf(started)('registers its kernels over the stock ones', () => {
    for (const name of OURS) expectRegistered(name, backend);
  });

  it.runIf(started).each(CONV_CASES)('conv2d and its gradients: %j', (c) => {
    const options = { stride: c.stride, pad: c.pad };
    const x = random.normal(c.shape) as tf.Tensor4D;
    const w = random.normal([c.kernel, c.kernel, c.shape[3], c.outChannels]) as tf.Tensor4D;
    const y = tf.conv2d(x, w, c.stride, c.pad);
    const dy = random.normal(y.shape);
    const [dx, dw] = tf.grads((a, b) =>
      tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad), dy)),
    )([x, w]);
    const expectedY = conv2dReference(ref(x), ref(w), options);
    const expected = conv2dGradReference(ref(x), ref(w), ref(dy), options);
    expect(y.shape).toEqual(expectedY.shape);
    expect(relativeError(y.dataSync(), expectedY.data)).toBeLessThan(TOLERANCE);
    expect(relativeError(dx!.dataSync(), expected.dx.data)).toBeLessThan(TOLERANCE);
    expect(relativeError(dw!.dataSync(), expected.dw.data)).toBeLessThan(TOLERANCE);

    const common: tf.NamedAttrMap = { strides: c.stride, pad: c.pad, dataFormat: 'NHWC' };
    const stock: [string, tf.NamedTensorMap, tf.NamedAttrMap, tf.Tensor][] = [
      [tf.Conv2D, { x, filter: w }, { ...common, dilations: 1 }, y],
      [tf.Conv2DBackpropInput, { dy, filter: w }, { ...common, inputShape: c.shape }, dx!],
      [tf.Conv2DBackpropFilter, { x, dy }, { ...common, filterShape: w.shape }, dw!],
    ];
    for (const [name, inputs, attrs, ours] of stock) {
      const values = stockResult(name, inputs, attrs);
      if (values !== undefined) expect(relativeError(ours.dataSync(), values)).toBeLessThan(TOLERANCE);
    }
  });

  it.runIf(started)('dilated conv2d forward matches the reference', () => {
    const x = random.normal([2, 9, 8, 3]) as tf.Tensor4D;
    const w = random.normal([3, 3, 3, 5]) as tf.Tensor4D;
    const y = tf.conv2d(x, w, 1, 'same', 'NHWC', 2);
    expect(
      relativeError(
        y.dataSync(),
        conv2dReference(ref(x), ref(w), { stride: 1, pad: 'same', dilation: 2 }).data,
      ),
    ).toBeLessThan(TOLERANCE);
  });

  it.runIf(started).each<{
    shape: [number, number, number, number];
    size: number;
    stride: number;
    pad: 'same' | 'valid';
    ties?: boolean;
  }>([
    { shape: [2, 9, 7, 5], size: 2, stride: 2, pad: 'valid' },
    { shape: [3, 8, 6, 9], size: 2, stride: 2, pad: 'same' },
    // Odd sides with 'same': the last windows reach past the input (padding), the 2×2 fast path must not run.
    { shape: [2, 9, 7, 5], size: 2, stride: 2, pad: 'same' },
    { shape: [3, 8, 6, 9], size: 2, stride: 2, pad: 'valid', ties: true },
    { shape: [2, 7, 6, 5], size: 3, stride: 2, pad: 'valid', ties: true },
    { shape: [3, 7, 8, 6], size: 3, stride: 2, pad: 'same' },
    { shape: [2, 6, 5, 3], size: 3, stride: 1, pad: 'same' },
  ])('maxPool gradient: %j', async (c) => {
    // With ties: integers 0–2, so most windows hold equal maxima, which go to the first in row-major order.
    const x = (
      c.ties ? tf.floor(random.uniformTensor(c.shape, 0, 3)) : random.normal(c.shape)
    ) as tf.Tensor4D;
    const y = tf.maxPool(x, c.size, c.stride, c.pad);
    const dy = random.normal(y.shape);
    const gradient = () =>
      tf.grad((a) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, c.size, c.stride, c.pad), dy)))(x);
    const dx = gradient();
    // Reference: each window's dy goes to its first maximum (row-major).
    const expected = new Float64Array(x.size);
    const [, h, w, ch] = c.shape as [number, number, number, number];
    const [, ho, wo] = y.shape;
    const padTop = c.pad === 'same' ? Math.floor(Math.max((ho! - 1) * c.stride + c.size - h, 0) / 2) : 0;
    const padLeft = c.pad === 'same' ? Math.floor(Math.max((wo! - 1) * c.stride + c.size - w, 0) / 2) : 0;
    const xs = x.dataSync();
    const dys = dy.dataSync();
    for (let b = 0; b < c.shape[0]!; b++)
      for (let i = 0; i < ho!; i++)
        for (let j = 0; j < wo!; j++)
          for (let k = 0; k < ch; k++) {
            let best = -Infinity;
            let arg = -1;
            for (let u = 0; u < c.size; u++)
              for (let v = 0; v < c.size; v++) {
                const yy = i * c.stride + u - padTop;
                const xx = j * c.stride + v - padLeft;
                if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
                const at = ((b * h + yy) * w + xx) * ch + k;
                if (xs[at]! > best) [best, arg] = [xs[at]!, at];
              }
            expected[arg]! += dys[((b * ho! + i) * wo! + j) * ch + k]!;
          }
    expect(relativeError(dx.dataSync(), expected)).toBeLessThan(TOLERANCE);
    // Against the stock cpu kernel: the stock wasm one drops the gradient of windows whose maximum is
    // negative (tfjs 4.22), so it is no reference.
    await useBackend('cpu');
    const onCpu = (t: tf.Tensor) => tf.tensor(t.dataSync(), t.shape);
    const attrs: tf.NamedAttrMap = { filterSize: c.size, strides: c.stride, pad: c.pad };
    const stock = stockResult(tf.MaxPoolGrad, { dy: onCpu(dy), input: onCpu(x), output: onCpu(y) }, attrs);
    expect(relativeError(dx.dataSync(), stock!)).toBeLessThan(TOLERANCE);
  });

  it.runIf(started).each([
    { shape: [4, 5, 3, 7], axis: [0, 1, 2], keepDims: false },
    { shape: [4, 5, 3, 7], axis: [1, 0], keepDims: true },
    { shape: [6, 5], axis: [1], keepDims: false },
  ])('sum and mean: %j', (c) => {
    const x = random.normal(c.shape);
    const xs = x.dataSync();
    const axes = new Set(c.axis);
    const outShape = c.shape.map((n, a) => (axes.has(a) ? 1 : n));
    const expected = new Float64Array(outShape.reduce((p, n) => p * n, 1));
    const strides = c.shape.map((_, a) => c.shape.slice(a + 1).reduce((p, n) => p * n, 1));
    const outStrides = outShape.map((_, a) => outShape.slice(a + 1).reduce((p, n) => p * n, 1));
    for (let i = 0; i < x.size; i++) {
      const o = c.shape.reduce(
        (acc, _, a) => acc + (axes.has(a) ? 0 : Math.floor(i / strides[a]!) % c.shape[a]!) * outStrides[a]!,
        0,
      );
      expected[o]! += xs[i]!;
    }
    const count = x.size / expected.length;
    const sum = tf.sum(x, c.axis, c.keepDims);
    const mean = tf.mean(x, c.axis, c.keepDims);
    expect(sum.shape).toEqual(c.keepDims ? outShape : outShape.filter((_, a) => !axes.has(a)));
    expect(relativeError(sum.dataSync(), expected)).toBeLessThan(TOLERANCE);
    expect(
      relativeError(
        mean.dataSync(),
        expected.map((v) => v / count),
      ),
    ).toBeLessThan(TOLERANCE);
    const attrs = { axis: c.axis, keepDims: c.keepDims } as tf.NamedAttrMap;
    expect(relativeError(sum.dataSync(), stockResult(tf.Sum, { x }, attrs)!)).toBeLessThan(TOLERANCE);
    expect(relativeError(mean.dataSync(), stockResult(tf.Mean, { x }, attrs)!)).toBeLessThan(TOLERANCE);
  });
});

describe.skipIf(!backends.includes('wasm'))('wasm-only training kernels', () => {
  beforeEach(() => useBackend('wasm'));

  it('NCHW Conv2DBackpropFilter fails naming the layout', () => {
    const x = tf.zeros([1, 3, 5, 5]);
    const dy = tf.zeros([1, 4, 5, 5]);
    const attrs = {
      strides: 1,
      pad: 'same',
      dataFormat: 'NCHW',
      filterShape: [3, 3, 3, 4],
    } as unknown as tf.NamedAttrMap;
    expect(() => tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, attrs)).toThrow(/NCHW.*NHWC/);
  });

  it.each([
    { a: [2, 64, 65, 17], b: [2, 64, 65, 17] },
    { a: [3, 40, 41, 20], b: [20] },
    { a: [5, 41, 3, 7, 11], b: [1, 1, 7, 11] },
    { a: [9], b: [65, 64, 9] },
    { a: [300001], b: [300001] },
  ])('add on the engine, bit for bit the float32 sums: %j', (c) => {
    expectRegistered(tf.Add, 'wasm');
    const a = random.normal(c.a);
    const b = random.normal(c.b);
    const runs = engineRuns.inPlace + engineRuns.copied;
    const sum = tf.add(a, b);
    expect(engineRuns.inPlace + engineRuns.copied, 'ran on the engine').toBe(runs + 1);
    const [av, bv] = [a.dataSync(), b.dataSync()];
    const [long, short] = av.length >= bv.length ? [av, bv] : [bv, av];
    const expected = Float32Array.from(long, (v, i) => v + short[i % short.length]!);
    expect(sum.shape).toEqual(tf.backend_util.assertAndGetBroadcastShape(c.a, c.b));
    const bias = av.length !== bv.length;
    expect(sum.size).toBeGreaterThanOrEqual(bias ? ENGINE_BIAS_ADD_MIN_FLOATS : ENGINE_ADD_MIN_FLOATS);
    expect(new Uint32Array(sum.dataSync().buffer)).toEqual(new Uint32Array(expected.buffer));
    tf.dispose([a, b, sum]);
  });

  it('relu on the engine where it has threads, bit for bit the stock kernel (NaN, -0, subnormals)', () => {
    expectRegistered(tf.Relu, 'wasm');
    const before = engineThreads();
    const stock = stockKernel(tf.Relu, 'wasm');
    try {
      for (const [threads, shape, engine] of [
        [2, [3, 33, 65, 83], true],
        [2, [ENGINE_RELU_MIN_FLOATS - 1], false],
        [1, [3, 33, 65, 83], false],
      ] as const) {
        setEngineThreads(threads);
        const values = random
          .normal(shape as unknown as number[])
          .dataSync()
          .slice();
        [0, -0, NaN, Infinity, -Infinity, 1e-45, -1e-45].forEach((v, i) => (values[i * 101] = v));
        const x = tf.tensor(values, shape as unknown as number[]);
        const runs = engineRuns.inPlace + engineRuns.copied;
        const y = tf.relu(x);
        expect(engineRuns.inPlace + engineRuns.copied - runs, `${threads} threads, ${shape}`).toBe(
          engine ? 1 : 0,
        );
        const info = stock.kernelFunc({ inputs: { x }, attrs: {}, backend: tf.backend() }) as tf.TensorInfo;
        const expected = tf.engine().makeTensorFromTensorInfo(info);
        expect(new Uint32Array(y.dataSync().buffer)).toEqual(new Uint32Array(expected.dataSync().buffer));
        tf.dispose([x, y, expected]);
      }
    } finally {
      setEngineThreads(before);
    }
  });

  it('leaves other adds to the stock kernel', () => {
    expect(engineAddOperands(tf.zeros([64, 64, 8]), tf.zeros([64, 1, 8]))).toBeUndefined();
    expect(engineAddOperands(tf.zeros([64, 64, 8]), tf.scalar(2))).toBeUndefined();
    expect(engineAddOperands(tf.zeros([64, 64, 8], 'int32'), tf.zeros([64, 64, 8], 'int32'))).toBeUndefined();
    const a = random.normal([300, 300]);
    const b = random.normal([300, 1]);
    const expected = Float32Array.from(a.dataSync(), (v, i) => v + b.dataSync()[Math.floor(i / 300)]!);
    expect(new Uint32Array(tf.add(a, b).dataSync().buffer)).toEqual(new Uint32Array(expected.buffer));
    const ints = tf.add(tf.fill([200, 200], 3, 'int32'), tf.fill([200, 200], 4, 'int32'));
    expect(ints.dtype).toBe('int32');
    expect(new Set(ints.dataSync())).toEqual(new Set([7]));
  });

  it('trains a small conv model: the loss decreases', async () => {
    const kernelInitializer = (): ReturnType<typeof tfjs.initializers.glorotUniform> =>
      tfjs.initializers.glorotUniform({ seed: random.nextSeed() });
    const model = tfjs.sequential({
      layers: [
        tfjs.layers.conv2d({
          inputShape: [8, 8, 3],
          filters: 6,
          kernelSize: 3,
          padding: 'same',
          activation: 'relu',
          kernelInitializer: kernelInitializer(),
        }),
        tfjs.layers.maxPooling2d({ poolSize: 2 }),
        tfjs.layers.conv2d({
          filters: 5,
          kernelSize: 1,
          activation: 'relu',
          kernelInitializer: kernelInitializer(),
        }),
        tfjs.layers.flatten(),
        tfjs.layers.dense({ units: 4, kernelInitializer: kernelInitializer() }),
      ],
    });
    model.compile({ optimizer: tfjs.train.adam(0.01), loss: 'meanSquaredError' });
    const xs = random.normal([16, 8, 8, 3]);
    const ys = random.normal([16, 4]);
    const history = await model.fit(xs, ys, { epochs: 15, batchSize: 16, verbose: 0 });
    const losses = history.history['loss'] as number[];
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses.at(-1)!).toBeLessThan(0.7 * losses[0]!);
  });
});
