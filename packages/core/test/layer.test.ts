/**
 * The Involution layer: the Keras seed's parameter counts, Keras batch-norm behaviour, any input size, the
 * returned kernel, padding alignment, save → load, and the errors for bad options and inputs.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { initBackend, involution, type Involution, type InvolutionLayerArgs } from '../src/index.js';
import { saveAndLoad } from './helpers/save_and_load.js';
import { useTestSeed } from '../src/testing/index.js';

const random = useTestSeed('layer.test.ts', beforeEach);

beforeAll(async () => {
  await initBackend('cpu');
});

/** The Keras seed's layer: channel 3, group 1, K 3, stride 1, reduction 2 (its groups are interleaved). */
const SEED_LAYER: InvolutionLayerArgs = {
  channels: 3,
  groups: 1,
  kernelSize: 3,
  stride: 1,
  reductionRatio: 2,
  groupLayout: 'interleaved',
};

function sizeOf(weights: { shape: (number | null)[] }[]): number {
  return weights.reduce((n, w) => n + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);
}

function weight(layer: Involution, suffix: string): tf.Tensor {
  return layer.weights.find((w) => w.originalName.endsWith(`/${suffix}`))!.read();
}

describe('parameter counts (Keras seed)', () => {
  it('the seed layer has 26 parameters, 2 of them non-trainable BN moving statistics', () => {
    const layer = involution(SEED_LAYER);
    layer.apply(tf.input({ shape: [32, 32, 3] }));
    expect(layer.countParams()).toBe(26);
    expect(sizeOf(layer.trainableWeights)).toBe(24);
    expect(
      layer.nonTrainableWeights.map((w) => [w.originalName.split('/').slice(1).join('/'), w.shape]),
    ).toEqual([
      ['bn/moving_mean', [1]],
      ['bn/moving_variance', [1]],
    ]);
    const shapes = Object.fromEntries(
      layer.trainableWeights.map((w) => [w.originalName.split('/').slice(1).join('/'), w.shape]),
    );
    expect(shapes).toEqual({
      'reduce/kernel': [1, 1, 3, 1],
      'reduce/bias': [1],
      'bn/gamma': [1],
      'bn/beta': [1],
      'expand/kernel': [1, 1, 1, 9],
      'expand/bias': [9],
    });
  });

  it('the seed model (3 involutions + MaxPool, Dense 64, Dense 10) has 13,080 parameters, 13,074 trainable', () => {
    const input = tf.input({ shape: [32, 32, 3] });
    let x = input;
    for (let i = 1; i <= 3; i++) {
      x = tf.layers
        .reLU()
        .apply(involution({ ...SEED_LAYER, name: `inv_${i}` }).apply(x)) as tf.SymbolicTensor;
      if (i < 3) x = tf.layers.maxPooling2d({ poolSize: 2 }).apply(x) as tf.SymbolicTensor;
    }
    x = tf.layers
      .dense({ units: 64, activation: 'relu' })
      .apply(tf.layers.flatten().apply(x)) as tf.SymbolicTensor;
    const model = tf.model({
      inputs: input,
      outputs: tf.layers.dense({ units: 10 }).apply(x) as tf.SymbolicTensor,
    });
    expect(model.countParams()).toBe(13_080);
    expect(sizeOf(model.trainableWeights)).toBe(13_074);
  });
});

describe('batch normalisation behaves as Keras', () => {
  it('training: batch statistics and a moving-average update (as tf.layers.batchNormalization); inference: the moving ones', () => {
    const layer = involution({ kernelSize: 3, reductionRatio: 2, returnKernel: true });
    const x = random.tensorNormal([4, 6, 6, 4]) as tf.Tensor4D;
    layer.apply(x);
    // The BN input, recomputed: the reduce 1×1 convolution.
    const reduced = tf.add(
      tf.conv2d(x, weight(layer, 'reduce/kernel') as tf.Tensor4D, 1, 'valid'),
      weight(layer, 'reduce/bias'),
    );
    const keras = tf.layers.batchNormalization();
    keras.apply(reduced, { training: true });

    const inference = layer.apply(x) as tf.Tensor[];
    const training = layer.apply(x, { training: true }) as tf.Tensor[];
    expect(tf.max(tf.abs(tf.sub(inference[1]!, training[1]!))).dataSync()[0]).toBeGreaterThan(1e-3);
    const [, , kerasMean, kerasVariance] = keras.getWeights();
    expect(weight(layer, 'bn/moving_mean').dataSync()).toEqual(kerasMean!.dataSync());
    const variance = Array.from(weight(layer, 'bn/moving_variance').dataSync());
    Array.from(kerasVariance!.dataSync()).forEach((v, i) => expect(variance[i]).toBeCloseTo(v, 6));

    // Inference is deterministic and uses the (now updated) moving statistics: no further update.
    const before = weight(layer, 'bn/moving_mean').dataSync().slice();
    const [a, b] = [layer.apply(x) as tf.Tensor[], layer.apply(x) as tf.Tensor[]];
    expect(a[0]!.dataSync()).toEqual(b[0]!.dataSync());
    expect(weight(layer, 'bn/moving_mean').dataSync()).toEqual(before);
  });

  it('a frozen layer (trainable: false) runs in inference mode even in training, as Keras BN', () => {
    const layer = involution({ kernelSize: 3, reductionRatio: 2, trainable: false });
    const x = random.tensorNormal([4, 6, 6, 4]);
    const inference = (layer.apply(x) as tf.Tensor).dataSync();
    expect((layer.apply(x, { training: true }) as tf.Tensor).dataSync()).toEqual(inference);
    expect(
      weight(layer, 'bn/moving_mean')
        .dataSync()
        .every((v) => v === 0),
    ).toBe(true);
  });
});

describe('any input size', () => {
  it('one model, weights built once, runs on 32×32 and 17×23 (stride 1 and 2)', () => {
    const input = tf.input({ shape: [null, null, 4] });
    const s1 = involution({ kernelSize: 3, groups: 2, reductionRatio: 2 });
    const s2 = involution({ kernelSize: 3, stride: 2, groups: 2, reductionRatio: 2, returnKernel: true });
    const [out, kernel] = s2.apply(s1.apply(input)) as tf.SymbolicTensor[];
    expect(out!.shape).toEqual([null, null, null, 4]);
    expect(kernel!.shape).toEqual([null, null, null, 9, 2]);
    const model = tf.model({ inputs: input, outputs: [out!, kernel!] });
    const weightsBefore = model.weights.map((w) => w.read().dataSync().slice());
    for (const [h, w, ho, wo] of [
      [32, 32, 16, 16],
      [17, 23, 9, 12],
    ] as const) {
      const [y, k] = model.predict(random.tensorNormal([2, h, w, 4])) as tf.Tensor[];
      expect(y!.shape).toEqual([2, ho, wo, 4]);
      expect(k!.shape).toEqual([2, ho, wo, 9, 2]);
    }
    expect(model.weights.map((w) => w.read().dataSync())).toEqual(weightsBefore);
  });

  it('returnKernel gives [output, kernel] with static shapes when the input has them', () => {
    const layer = involution({
      kernelSize: 5,
      stride: 2,
      groupChannels: 2,
      reductionRatio: 2,
      returnKernel: true,
    });
    const [out, kernel] = layer.apply(tf.input({ shape: [15, 8, 6] })) as tf.SymbolicTensor[];
    expect(out!.shape).toEqual([null, 8, 4, 6]);
    expect(kernel!.shape).toEqual([null, 8, 4, 25, 3]);
  });
});

describe('padding', () => {
  it("'valid' and explicit padding centre each kernel on its window: the generator sees the aligned input", () => {
    for (const [padding, stride, h, w] of [
      ['valid', 1, 7, 9],
      ['valid', 2, 8, 10],
      [2, 1, 5, 6],
    ] as const) {
      const layer = involution({
        kernelSize: 3,
        stride,
        padding,
        reductionRatio: 2,
        generator: 'linear',
        returnKernel: true,
      });
      const x = random.tensorNormal([1, h, w, 4]) as tf.Tensor4D;
      const [y, kernel] = layer.apply(x) as tf.Tensor[];
      // The kernel for the window centred on input (r, c): 'valid' crops a 1-pixel border, pad 2 adds one.
      const offset = 1 - (typeof padding === 'number' ? padding : 0);
      const centres =
        offset >= 0
          ? tf.slice(x, [0, offset, offset, 0], [1, h - 2 * offset, w - 2 * offset, 4])
          : tf.pad(x, [
              [0, 0],
              [-offset, -offset],
              [-offset, -offset],
              [0, 0],
            ]);
      const pooled = stride === 1 ? centres : tf.avgPool(centres as tf.Tensor4D, stride, stride, 'same');
      const logits = tf.add(
        tf.conv2d(pooled as tf.Tensor4D, weight(layer, 'linear/kernel') as tf.Tensor4D, 1, 'valid'),
        weight(layer, 'linear/bias'),
      );
      const [, ho, wo] = y!.shape as number[];
      expect(kernel!.shape).toEqual([1, ho, wo, 9, 1]);
      expect(
        tf.max(tf.abs(tf.sub(kernel!, tf.reshape(logits, [1, ho!, wo!, 9, 1])))).dataSync()[0],
      ).toBeLessThan(1e-5);
    }
  });
});

describe('save → load', () => {
  it('gives identical outputs and configs, generators and options included', async () => {
    const input = tf.input({ shape: [null, null, 6] });
    const layers = [
      involution({
        kernelSize: 3,
        groupChannels: 2,
        groupLayout: 'interleaved',
        reductionRatio: 2,
        generator: 'reduce-expand',
      }),
      involution({
        kernelSize: 3,
        stride: 2,
        groups: 3,
        reductionRatio: 3,
        generator: { name: 'context', config: { contextSize: 5 } },
      }),
      involution({
        kernelSize: 5,
        dilation: 2,
        padding: 'valid',
        groups: 2,
        reductionRatio: 1.5,
        generator: 'global',
        returnKernel: true,
      }),
    ];
    const outputs = layers.reduce<tf.SymbolicTensor | tf.SymbolicTensor[]>(
      (t, l) => l.apply(t) as tf.SymbolicTensor,
      input,
    );
    const [output, kernel] = outputs as tf.SymbolicTensor[];
    const model = tf.model({ inputs: input, outputs: [output!, kernel!] });
    // One fit step on the same layers moves the BN statistics off their defaults, so loading them is tested too.
    const trainer = tf.model({ inputs: input, outputs: output! });
    trainer.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const x = random.tensorNormal([3, 21, 19, 6]);
    await trainer.fit(x, random.tensorNormal([3, 3, 2, 6]), { epochs: 1, verbose: 0 });
    expect(
      weight(layers[0]!, 'bn/moving_mean')
        .dataSync()
        .some((v) => v !== 0),
    ).toBe(true);

    const loaded = await saveAndLoad(model);
    expect(loaded.layers.slice(1).map((l) => l.getConfig())).toEqual(layers.map((l) => l.getConfig()));
    const before = model.predict(x) as tf.Tensor[];
    const after = loaded.predict(x) as tf.Tensor[];
    expect(after.map((t) => t.shape)).toEqual(before.map((t) => t.shape));
    after.forEach((t, i) => expect(Array.from(t.dataSync())).toEqual(Array.from(before[i]!.dataSync())));
    expect(loaded.layers[3]!.getConfig()).toMatchObject({
      padding: 'valid',
      dilation: 2,
      reductionRatio: 1.5,
      returnKernel: true,
    });
  });
});

describe('errors', () => {
  const x = tf.zeros([1, 5, 5, 6]);
  it.each([
    [
      { kernelSize: 3, generator: 'nope' },
      /unknown kernel generator "nope"; registered: 'reduce-expand', 'linear', 'context', 'global'/,
    ],
    [{ kernelSize: 3, channels: 6, groups: 4 }, /channels \(6\) must be divisible by groups \(4\)/],
    [
      { kernelSize: 3, channels: 6, groups: 2, groupChannels: 2 },
      /groups \(2\) and groupChannels \(2\) disagree: groups × groupChannels must equal channels \(6\)/,
    ],
    [{ kernelSize: 3, reductionRatio: 0.5 }, /reductionRatio must be a number >= 1, got 0.5/],
    [{ kernelSize: 0 }, /kernelSize must be an integer >= 1, got 0/],
    [{ kernelSize: 4 }, /padding 'same' needs an odd kernelSize/],
    [
      { kernelSize: 3, groupLayout: 'striped' },
      /groupLayout must be one of 'contiguous', 'interleaved', got "striped"/,
    ],
    [{ kernelSize: 3, groupChannels: 1.5 }, /groupChannels must be an integer >= 1, got 1.5/],
  ])('at construction: %o', (args, message) => {
    expect(() => involution({ name: 'inv', ...(args as InvolutionLayerArgs) })).toThrow(message);
    expect(() => involution({ name: 'inv', ...(args as InvolutionLayerArgs) })).toThrow(
      /^Involution 'inv': /,
    );
  });

  it.each([
    [{ kernelSize: 3, groups: 4 }, x, /Involution 'inv': channels \(6\) must be divisible by groups \(4\)/],
    [{ kernelSize: 3, groupChannels: 4 }, x, /channels \(6\) must be divisible by groupChannels \(4\)/],
    [{ kernelSize: 3, groups: 2, groupChannels: 2 }, x, /groups \(2\) and groupChannels \(2\) disagree/],
    [
      { kernelSize: 3, reductionRatio: 8 },
      x,
      /kernel generator 'reduce-expand': the bottleneck floor\(channels \/ reductionRatio\) = floor\(6 \/ 8\) is 0/,
    ],
    [
      { kernelSize: 3, channels: 3 },
      x,
      /channels is 3 but the input has 6; involution keeps the channel count/,
    ],
    [
      { kernelSize: 3 },
      tf.zeros([5, 5, 6]),
      /input must be rank 4 \[batch, height, width, channels\] \(NHWC\), got rank 3 with shape \[5, 5, 6\]/,
    ],
    [
      { kernelSize: 3, padding: 'valid' },
      tf.zeros([1, 2, 5, 6]),
      /Involution 'inv': input 2×5 is too small for kernelSize 3, dilation 1, padding 0: output would be 0×3/,
    ],
  ])('at build or call: %o', (args, input, message) => {
    const layer = involution({ name: 'inv', ...(args as InvolutionLayerArgs) });
    expect(() => layer.apply(input)).toThrow(message);
  });

  it('a symbolic input of the wrong rank, and a built layer fed other channels', () => {
    expect(() => involution({ kernelSize: 3, name: 'inv' }).apply(tf.input({ shape: [8, 3] }))).toThrow(
      /Involution 'inv': input must be rank 4/,
    );
    const layer = involution({ kernelSize: 3, reductionRatio: 2, name: 'inv' });
    layer.apply(x);
    expect(() => layer.apply(tf.zeros([1, 5, 5, 4]))).toThrow(
      "Involution 'inv': was built for 6 input channels, got shape [1, 5, 5, 4]",
    );
  });
});

describe('seeded initialisation', () => {
  const initialWeights = (seed: number | undefined, generator = 'context') => {
    const layer = involution({ ...SEED_LAYER, generator, seed });
    layer.apply(tf.zeros([1, 8, 8, 3]));
    return layer.getWeights().map((w) => Array.from(w.dataSync()));
  };

  it('the same seed rebuilds the same weights; another seed or none gives others', () => {
    const a = initialWeights(11);
    expect(initialWeights(11)).toEqual(a);
    expect(initialWeights(12)).not.toEqual(a);
    expect(initialWeights(undefined)).not.toEqual(a);
  });

  it('gives each weight of a layer its own random draw', () => {
    const [depthwise, , reduce] = initialWeights(11);
    expect(depthwise!.slice(0, 3)).not.toEqual(reduce!.slice(0, 3));
  });

  it('rejects a seed that is not an integer', () => {
    expect(() => involution({ ...SEED_LAYER, seed: 1.5 })).toThrow(/seed must be an integer, got 1.5/);
  });
});
