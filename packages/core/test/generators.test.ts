/**
 * Kernel generators: each built-in's kernel against its formula recomputed here with different tf ops (matMul
 * for 1×1 convolutions, reshape-mean pooling, explicit BN and shifted-slice depthwise convolution), the layer's
 * output against involution2d with that kernel, gradients to every trainable weight, a fit step; the registry.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  getKernelGenerator,
  initBackend,
  involution,
  involution2d,
  listKernelGenerators,
  registerKernelGenerator,
  type Involution,
  type KernelGeneratorFactory,
} from '../src/index.js';
import { useTestSeed } from '../src/testing/index.js';

const random = useTestSeed('generators.test.ts', beforeEach);

const BUILT_INS = ['reduce-expand', 'linear', 'context', 'global'] as const;
type BuiltIn = (typeof BUILT_INS)[number];
const EPSILON = 1e-3;

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  expect(a.shape).toEqual(b.shape);
  return tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!;
}

/** The layer's weight whose name ends with `suffix` (e.g. 'bn/gamma'). */
function weight(layer: Involution, suffix: string): tf.Tensor {
  const found = layer.weights.find((w) => w.originalName.endsWith(`/${suffix}`));
  if (found === undefined)
    throw new Error(`no weight */${suffix} in ${layer.weights.map((w) => w.originalName).join(', ')}`);
  return found.read();
}

/** Random values everywhere (positive variances), so zero biases or unit BN statistics hide nothing. */
function randomizeWeights(layer: Involution): void {
  layer.setWeights(
    layer.weights.map((w) =>
      // Positive variances; positive BN shifts keep the ReLU after BN alive (a dead one would stop every
      // gradient before it, e.g. in 'global', whose BN sees one value per sample).
      w.originalName.endsWith('moving_variance') || w.originalName.endsWith('bn/beta')
        ? random.tensorUniform(w.shape as number[], 0.5, 1.5)
        : tf.mul(random.tensorNormal(w.shape as number[]), 0.5),
    ),
  );
}

// --- The formulas, recomputed -------------------------------------------------------------------------------

/** Mean over s×s blocks (H, W divisible by s here). */
function pool(x: tf.Tensor4D, s: number): tf.Tensor4D {
  if (s === 1) return x;
  const [b, h, w, c] = x.shape;
  return tf.mean(tf.reshape(x, [b, h / s, s, w / s, s, c]), [2, 4]) as tf.Tensor4D;
}

/** A 1×1 convolution as a matrix product over pixels. */
function dense(x: tf.Tensor4D, layer: Involution, name: string): tf.Tensor4D {
  const kernel = weight(layer, `${name}/kernel`);
  const [inC, outC] = kernel.shape.slice(2) as [number, number];
  const [b, h, w] = x.shape;
  const y = tf.add(
    tf.matMul(tf.reshape(x, [-1, inC]), tf.reshape(kernel, [inC, outC])),
    weight(layer, `${name}/bias`),
  );
  return tf.reshape(y, [b, h, w, outC]);
}

function batchNorm(x: tf.Tensor4D, layer: Involution, training: boolean): tf.Tensor4D {
  const mean = training ? tf.mean(x, [0, 1, 2]) : weight(layer, 'bn/moving_mean');
  const variance = training
    ? tf.mean(tf.square(tf.sub(x, mean)), [0, 1, 2])
    : weight(layer, 'bn/moving_variance');
  const normalized = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, EPSILON)));
  return tf.add(tf.mul(normalized, weight(layer, 'bn/gamma')), weight(layer, 'bn/beta'));
}

function mlp(x: tf.Tensor4D, layer: Involution, training: boolean): tf.Tensor4D {
  return dense(tf.maximum(batchNorm(dense(x, layer, 'reduce'), layer, training), 0), layer, 'expand');
}

/** 'same' depthwise convolution as a sum of shifted slices. */
function depthwise(x: tf.Tensor4D, layer: Involution): tf.Tensor4D {
  const kernel = weight(layer, 'context/kernel');
  const k = kernel.shape[0]!;
  const half = (k - 1) / 2;
  const [b, h, w, c] = x.shape;
  const padded = tf.pad(x, [
    [0, 0],
    [half, half],
    [half, half],
    [0, 0],
  ]);
  let sum: tf.Tensor = weight(layer, 'context/bias');
  for (let u = 0; u < k; u++)
    for (let v = 0; v < k; v++) {
      const tap = tf.reshape(tf.slice(kernel, [u, v, 0, 0], [1, 1, c, 1]), [c]);
      sum = tf.add(sum, tf.mul(tf.slice(padded, [0, u, v, 0], [b, h, w, c]), tap));
    }
  return sum as tf.Tensor4D;
}

interface Geometry {
  kernelSize: number;
  groups: number;
  stride: number;
}

function toKernel(t: tf.Tensor4D, g: Geometry): tf.Tensor5D {
  const [b, h, w] = t.shape;
  return tf.reshape(t, [b, h, w, g.kernelSize * g.kernelSize, g.groups]);
}

function expectedKernel(
  name: BuiltIn,
  x: tf.Tensor4D,
  layer: Involution,
  g: Geometry,
  training: boolean,
): tf.Tensor5D {
  switch (name) {
    case 'reduce-expand':
      return toKernel(mlp(pool(x, g.stride), layer, training), g);
    case 'linear':
      return toKernel(dense(pool(x, g.stride), layer, 'linear'), g);
    case 'context':
      return toKernel(mlp(pool(depthwise(x, layer), g.stride), layer, training), g);
    case 'global': {
      const [, h, w] = x.shape;
      const kernel = toKernel(mlp(tf.mean(x, [1, 2], true) as tf.Tensor4D, layer, training), g);
      return tf.tile(kernel, [1, h / g.stride, w / g.stride, 1, 1]);
    }
  }
}

// --- Tests ---------------------------------------------------------------------------------------------------

beforeAll(async () => {
  await initBackend('cpu');
});

const CASES = [
  { kernelSize: 3, stride: 1, groups: 2, groupLayout: 'interleaved' as const },
  { kernelSize: 3, stride: 2, groups: 1, groupLayout: 'contiguous' as const },
];

describe.each(BUILT_INS)('generator %s', (name) => {
  it.each(CASES)(
    'kernel and output match the formula (K $kernelSize, stride $stride, G $groups), inference and training',
    (c) => {
      const layer = involution({ ...c, reductionRatio: 2, generator: { name }, returnKernel: true });
      const x = random.tensorNormal([2, 8, 8, 4]) as tf.Tensor4D;
      layer.apply(x); // builds
      randomizeWeights(layer);
      for (const training of [false, true]) {
        const expected = expectedKernel(name, x, layer, c, training);
        const [output, kernel] = layer.apply(x, { training }) as [tf.Tensor4D, tf.Tensor5D];
        expect(maxAbsDiff(kernel, expected)).toBeLessThan(1e-4);
        expect(maxAbsDiff(output, involution2d(x, expected, c))).toBeLessThan(1e-4);
      }
    },
  );

  it('sends a finite, non-zero gradient to every trainable weight', () => {
    const layer = involution({ kernelSize: 3, stride: 2, groups: 2, reductionRatio: 2, generator: { name } });
    // Batch 4: with 2 samples, BN on a global descriptor (one value per sample) normalises them to ±1 whatever
    // their distance, so the gradient reaching the reduce conv is ~0 by construction.
    const x = random.tensorNormal([4, 8, 8, 4]) as tf.Tensor4D;
    const dy = random.tensorNormal([4, 4, 4, 4]);
    layer.apply(x);
    randomizeWeights(layer);
    // BN with batch statistics cancels any constant shift, so in training the reduce bias gets exactly zero (as in Keras).
    for (const training of [false, true]) {
      const weights = layer.trainableWeights.filter(
        (w) => !(training && w.originalName.endsWith('/reduce/bias')),
      );
      const variables = weights.map((w) => w.read() as tf.Variable);
      const { grads } = tf.variableGrads(
        () => tf.sum(tf.mul(layer.apply(x, { training }) as tf.Tensor, dy)) as tf.Scalar,
        variables,
      );
      for (const [i, w] of weights.entries()) {
        const g = grads[variables[i]!.name];
        expect(g, w.originalName).toBeDefined();
        const values = g!.dataSync();
        expect(values.every(Number.isFinite), w.originalName).toBe(true);
        expect(tf.max(tf.abs(g!)).dataSync()[0], w.originalName).toBeGreaterThan(0);
      }
    }
  });

  it('lowers the loss in model.fit and, with BN, moves the moving statistics', async () => {
    const input = tf.input({ shape: [6, 6, 4] });
    // Seeded starts too: a failing start can be replayed.
    const inv = involution({
      kernelSize: 3,
      groups: 2,
      reductionRatio: 2,
      generator: { name },
      seed: random.nextSeed(),
    });
    const head = tf.layers
      .dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: random.nextSeed() }) })
      .apply(tf.layers.flatten().apply(inv.apply(input))) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: head });
    // A modest rate and more steps: at 0.02 a random start occasionally overshot and ended above its first loss.
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
    const history = await model.fit(random.tensorNormal([8, 6, 6, 4]), random.tensorNormal([8, 1]), {
      epochs: 12,
      batchSize: 8,
      verbose: 0,
    });
    const losses = history.history['loss'] as number[];
    expect(losses[losses.length - 1]).toBeLessThan(losses[0]!);
    if (name !== 'linear')
      expect(tf.max(tf.abs(weight(inv, 'bn/moving_mean'))).dataSync()[0]).toBeGreaterThan(0);
  });
});

describe('registry', () => {
  it('lists the built-ins and explains an unknown name', () => {
    expect(listKernelGenerators()).toEqual(expect.arrayContaining([...BUILT_INS]));
    expect(() => getKernelGenerator('nope')).toThrow(
      /unknown kernel generator "nope"; registered: 'reduce-expand', 'linear', 'context', 'global'/,
    );
    expect(() => involution({ kernelSize: 3, generator: 'nope' })).toThrow(
      /Involution 'involution\w*': unknown kernel generator "nope"; registered: .*'global'/,
    );
  });

  it('names the package of a generator that moved out of core (softmax: @inv/generator-attention)', () => {
    expect(() => involution({ kernelSize: 3, generator: 'softmax' })).toThrow(
      /kernel generator 'softmax' is not registered: it is provided by @inv\/generator-attention; import that package before loading \(registered: 'reduce-expand', /,
    );
  });

  it('refuses a second factory under a taken name but accepts the same one again', () => {
    const factory = getKernelGenerator('linear');
    expect(() => registerKernelGenerator('linear', factory)).not.toThrow();
    expect(() => registerKernelGenerator('context', factory)).toThrow(/already registered as 'context'/);
    expect(() => registerKernelGenerator('linear', factory, { package: '@scope/pkg' })).toThrow(
      /already registered as 'linear'/,
    );
    expect(() => registerKernelGenerator('y', factory, { package: '' })).toThrow(
      /options.package must be a non-empty package name/,
    );
    expect(() => registerKernelGenerator('', factory)).toThrow(/non-empty string/);
    expect(() => registerKernelGenerator('x', 3 as unknown as KernelGeneratorFactory)).toThrow(
      /must be a function/,
    );
  });

  it('rejects config a built-in does not take', () => {
    const x = tf.zeros([1, 4, 4, 4]);
    expect(() =>
      involution({ kernelSize: 3, generator: { name: 'linear', config: { units: 3 } } }).apply(x),
    ).toThrow(/kernel generator 'linear': unknown config key\(s\) 'units'; it takes only 'init'/);
    expect(() =>
      involution({ kernelSize: 3, generator: { name: 'reduce-expand', config: { init: 'he' } } }).apply(x),
    ).toThrow(/init must be one of 'glorot', 'static', got "he"/);
    expect(() =>
      involution({
        kernelSize: 3,
        reductionRatio: 2,
        generator: { name: 'context', config: { contextSize: 4 } },
      }).apply(x),
    ).toThrow(/contextSize must be an odd integer >= 1, got 4/);
  });

  it.each(['reduce-expand', 'linear', 'global', 'context'])(
    "%s with init 'static' starts as a depthwise convolution: one kernel everywhere, drawn in ±√3/K",
    async (name) => {
      const K = 3;
      const layer = involution({
        kernelSize: K,
        groups: 2,
        reductionRatio: 2,
        seed: 5,
        returnKernel: true,
        generator: { name, config: { init: 'static' } },
      });
      const x = random.tensorNormal([2, 5, 6, 4]);
      const [output, kernel] = layer.apply(x, { training: true }) as tf.Tensor[];
      const values = await kernel!.data();
      const first = values.slice(0, K * K * 2);
      for (let i = 0; i < values.length; i++) expect(values[i]).toBe(first[i % first.length]);
      expect(Math.max(...first.map(Math.abs))).toBeLessThanOrEqual(Math.sqrt(3) / K);
      expect(new Set(first).size).toBe(first.length);
      // That kernel, as a depthwise conv: channel c (contiguous groups of 2) uses group floor(c / 2).
      const filter = tf.tensor4d(
        Array.from({ length: K * K * 4 }, (_, i) => first[Math.floor(i / 4) * 2 + Math.floor((i % 4) / 2)]!),
        [K, K, 4, 1],
      );
      const expected = await tf.depthwiseConv2d(x as tf.Tensor4D, filter, 1, 'same').data();
      const actual = await output!.data();
      for (let i = 0; i < expected.length; i++) expect(actual[i]).toBeCloseTo(expected[i]!, 4);
      // The glorot start (the seed's) varies with the input: with position, or for global with the image.
      const glorot = involution({
        kernelSize: K,
        groups: 2,
        reductionRatio: 2,
        seed: 5,
        returnKernel: true,
        generator: name,
      });
      const varying = await (glorot.apply(x, { training: true }) as tf.Tensor[])[1]!.data();
      const taps = K * K * 2;
      const differs = (p: number) => varying.slice(p * taps, (p + 1) * taps).some((v, i) => v !== varying[i]);
      // global: one kernel per image, so the second image's (from position 5·6 on).
      const positions = name === 'global' ? [5 * 6] : Array.from({ length: 5 * 6 - 1 }, (_, p) => p + 1);
      expect(positions.some(differs)).toBe(true);
    },
  );

  it('context takes its window size from its config', () => {
    const layer = involution({
      kernelSize: 3,
      reductionRatio: 2,
      generator: { name: 'context', config: { contextSize: 5 } },
    });
    layer.apply(tf.zeros([1, 6, 6, 4]));
    expect(weight(layer, 'context/kernel').shape).toEqual([5, 5, 4, 1]);
  });
});
