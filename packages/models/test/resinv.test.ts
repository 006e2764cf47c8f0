import * as tf from '@tensorflow/tfjs';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { initBackend, Involution } from '@inv/core';
import { useTestSeed } from '@inv/core/testing';
import { createModel, parameterCounts, resInvNet, seedConvModel } from '../src/index.js';

const random = useTestSeed('resinv.test.ts', beforeEach);

beforeAll(async () => {
  await initBackend('cpu');
});

const shapeOf = (l: tf.layers.Layer) => (l.outputShape as number[]).slice(1);
const kernelSizeOf = (l: tf.layers.Layer) => (l.getConfig() as { kernelSize?: number[] }).kernelSize;
const spatialConvs = (model: tf.LayersModel) =>
  model.layers.filter((l) => l.getClassName() === 'Conv2D' && kernelSizeOf(l)![0]! > 1);

describe('resInvNet', () => {
  it('resinv: every spatial layer after the conv stem is an involution, within the seed conv model’s budget', () => {
    const model = createModel('resinv');
    const counts = parameterCounts(model);
    expect(counts.total).toBe(267_757);
    expect(counts.total).toBeLessThanOrEqual(parameterCounts(seedConvModel()).total);
    expect(spatialConvs(model).map(shapeOf)).toEqual([[32, 32, 48]]);
    const involutions = model.layers.filter((l) => l instanceof Involution);
    // 3 stages × 2 blocks × 2 involutions; a stage's first block strides in its first one.
    expect(involutions.map(shapeOf)).toEqual([
      [16, 16, 48],
      [16, 16, 48],
      [16, 16, 48],
      [16, 16, 48],
      [8, 8, 48],
      [8, 8, 96],
      [8, 8, 96],
      [8, 8, 96],
      [4, 4, 96],
      [4, 4, 192],
      [4, 4, 192],
      [4, 4, 192],
    ]);
    expect(model.layers.filter((l) => l.getClassName() === 'Add')).toHaveLength(6);
    const logits = model.predict(random.tensorUniform([2, 32, 32, 3], 0, 1)) as tf.Tensor;
    expect(logits.shape).toEqual([2, 10]);
  });

  it('the ablation swaps the mixer at a matched parameter count: depthwise 3×3, or full 3×3 convs', () => {
    const involution = parameterCounts(createModel('resinv')).total;
    const depthwise = createModel('resinv-dw');
    const conv = createModel('resinv-conv');
    for (const model of [depthwise, conv]) {
      expect(model.layers.some((l) => l instanceof Involution)).toBe(false);
      expect(Math.abs(parameterCounts(model).total / involution - 1)).toBeLessThan(0.03);
      expect((model.predict(tf.zeros([1, 32, 32, 3])) as tf.Tensor).shape).toEqual([1, 10]);
    }
    expect(depthwise.layers.filter((l) => l.getClassName() === 'DepthwiseConv2D')).toHaveLength(12);
    // The stem and 12 block convs are 3×3; the 1×1s are only the stride-2 shortcuts.
    expect(spatialConvs(conv)).toHaveLength(13);
    expect(conv.layers.filter((l) => l.getClassName() === 'Conv2D')).toHaveLength(15);
  });

  it('resinv-linear: the linear generator started static, as resinv starts its own', () => {
    const model = createModel('resinv-linear');
    expect(parameterCounts(model).total).toBe(293_581);
    const generators = model.layers
      .filter((l) => l instanceof Involution)
      .map((l) => JSON.parse((l.getConfig() as { generator: string }).generator) as unknown);
    expect(generators).toHaveLength(12);
    for (const g of generators) expect(g).toEqual({ name: 'linear', config: { init: 'static' } });
  });

  it('takes any generator, and is an error for a generator on another mixer or mismatched stage lists', () => {
    const linear = resInvNet({ generator: 'linear', widths: [16, 32], blocks: [1, 1] });
    expect(linear.layers.filter((l) => l instanceof Involution)).toHaveLength(4);
    expect(() => resInvNet({ mixer: 'conv', generator: 'linear' })).toThrow(
      /a generator applies to mixer 'involution' only, got mixer 'conv'/,
    );
    expect(() => resInvNet({ widths: [16, 32], blocks: [1] })).toThrow(
      /widths and blocks must be non-empty lists of the same length/,
    );
  });

  it('trains: one SGD step on a small instance lowers the loss on its batch', () => {
    const model = resInvNet({ widths: [16, 32], blocks: [1, 1], seed: random.int(1000) });
    const xs = random.tensorNormal([8, 32, 32, 3]);
    const ys = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], 'int32'), 10);
    const loss = () =>
      tf.tidy(() =>
        tf.losses.softmaxCrossEntropy(ys, model.apply(xs, { training: true }) as tf.Tensor),
      ) as tf.Scalar;
    const optimizer = tf.train.sgd(0.05);
    const before = loss().dataSync()[0]!;
    for (let i = 0; i < 3; i++) optimizer.minimize(loss);
    expect(loss().dataSync()[0]!).toBeLessThan(before);
  });
});
