import * as tf from '@tensorflow/tfjs';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useTestSeed } from '@inv/core/testing';
import { initBackend, Involution } from '@inv/core';
import { createModel, involutionSeparableModel, parameterCounts, seedConvModel } from '../src/index.js';

const random = useTestSeed('involution_separable.test.ts', beforeEach);

beforeAll(async () => {
  await initBackend('cpu');
});

describe('involutionSeparableModel', () => {
  it('has fewer parameters than the seed conv model and maps [B,32,32,3] to 10 logits', () => {
    const model = createModel('inv-separable');
    const counts = parameterCounts(model);
    expect(counts).toEqual({ total: 274_800, trainable: 274_384, nonTrainable: 416 });
    expect(counts.total).toBeLessThan(parameterCounts(seedConvModel()).total);
    const logits = model.predict(random.tensorUniform([2, 32, 32, 3], 0, 1)) as tf.Tensor;
    expect(logits.shape).toEqual([2, 10]);
  });

  it('inv-separable-deep: three involution blocks, kernels started static, still fewer parameters', () => {
    const model = createModel('inv-separable-deep');
    const counts = parameterCounts(model);
    expect(counts).toEqual({ total: 282_548, trainable: 281_940, nonTrainable: 608 });
    expect(counts.total).toBeLessThan(parameterCounts(seedConvModel()).total);
    const involutions = model.layers.filter((l) => l instanceof Involution);
    expect(involutions.map((l) => (l.outputShape as number[]).slice(1))).toEqual([
      [16, 16, 32],
      [16, 16, 64],
      [8, 8, 64],
    ]);
    // The generator spec is saved as JSON.
    const generatorOf = (l: tf.layers.Layer) => JSON.parse(l.getConfig()['generator'] as string) as object;
    for (const l of involutions) {
      expect(generatorOf(l)).toMatchObject({ name: 'reduce-expand', config: { init: 'static' } });
    }
    // A generator asked for replaces the static-start one.
    const linear = createModel('inv-separable-deep', { generator: 'linear' }).layers.find(
      (l) => l instanceof Involution,
    )!;
    expect(generatorOf(linear)).toMatchObject({ name: 'linear' });
  });

  it("keeps the seed's conv stem and splits its other convs into an involution and a 1×1 conv", () => {
    const shapeOf = (l: tf.layers.Layer) => (l.outputShape as number[]).slice(1);
    const config = <T>(l: tf.layers.Layer, key: string) => (l.getConfig() as Record<string, T>)[key];
    const model = involutionSeparableModel({ stemWidth: 16, stages: [[32], [48]], groupChannels: 8 });
    expect(shapeOf(model.getLayer('stem'))).toEqual([32, 32, 16]);
    const involutions = model.layers.filter((l) => l instanceof Involution);
    expect(involutions.map(shapeOf)).toEqual([
      [16, 16, 16],
      [8, 8, 32],
    ]);
    expect(involutions.map((l) => config(l, 'groupChannels'))).toEqual([8, 8]);
    expect(involutions.map((l) => config(l, 'kernelSize'))).toEqual([3, 3]);
    const mixes = model.layers.filter((l) => /^mix_\d+$/.test(l.name));
    expect(mixes.map(shapeOf)).toEqual([
      [16, 16, 32],
      [8, 8, 48],
    ]);
    expect(mixes.map((l) => config(l, 'kernelSize'))).toEqual([
      [1, 1],
      [1, 1],
    ]);
    // Each conv (stem included) is followed by its BN, and then has no bias of its own.
    expect(
      model.layers.filter((l) => l.getClassName() === 'FusedBatchNormalization').map((l) => l.name),
    ).toEqual(['stem_bn', 'mix_1_bn', 'mix_2_bn']);
    expect([model.getLayer('stem'), ...mixes].map((l) => config(l, 'useBias'))).toEqual([
      false,
      false,
      false,
    ]);

    // More layers per stage, a final pool, K 5, no BN.
    const other = involutionSeparableModel({
      stages: [[32, 32], [48]],
      finalPool: true,
      kernelSize: 5,
      batchNorm: false,
    });
    expect(other.layers.filter((l) => l instanceof Involution).map((l) => config(l, 'kernelSize'))).toEqual([
      5, 5, 5,
    ]);
    expect(other.layers.filter((l) => /^mix_\d+$/.test(l.name)).map(shapeOf)).toEqual([
      [16, 16, 32],
      [16, 16, 32],
      [8, 8, 48],
    ]);
    expect(other.layers.some((l) => l.getClassName() === 'FusedBatchNormalization')).toBe(false);
    expect(shapeOf(other.layers.find((l) => l.getClassName() === 'Flatten')!)).toEqual([4 * 4 * 48]);
  });

  it('drops out the flattened features before the Dense head in training only, when asked', async () => {
    const model = involutionSeparableModel({ seed: 2, dropout: 0.5 });
    const dropout = model.layers.find((l) => l.getClassName() === 'Dropout')!;
    expect(model.layers[model.layers.indexOf(dropout) - 1]!.getClassName()).toBe('Flatten');
    expect(model.layers[model.layers.indexOf(dropout) + 1]!.getClassName()).toBe('Dense');
    expect(model.countParams()).toBe(involutionSeparableModel().countParams());
    const features = tf.model({ inputs: model.inputs, outputs: dropout.output as tf.SymbolicTensor });
    const x = random.tensorUniform([4, 32, 32, 3], 0, 1);
    const kept = (training: boolean) => {
      const out = features.apply(x, { training }) as tf.Tensor;
      return tf.mean(tf.cast(tf.notEqual(out, 0), 'float32')).dataSync()[0]!;
    };
    // BN + ReLU leave about half the features non-zero; dropout keeps about half of those.
    const inference = kept(false);
    expect(kept(true) / inference).toBeGreaterThan(0.4);
    expect(kept(true) / inference).toBeLessThan(0.6);
    expect(involutionSeparableModel().layers.some((l) => l.getClassName() === 'Dropout')).toBe(false);
    expect(() => involutionSeparableModel({ dropout: 1 })).toThrow(/dropout must be in \[0, 1\), got 1/);
  });

  it('is reproducible from its seed and lowers its loss under Adam', () => {
    const weights = (seed: number) => involutionSeparableModel({ seed }).getWeights()[0]!.dataSync();
    expect(Array.from(weights(3))).toEqual(Array.from(weights(3)));
    expect(Array.from(weights(3))).not.toEqual(Array.from(weights(4)));

    const model = involutionSeparableModel({ seed: 1 });
    const x = random.tensorUniform([16, 32, 32, 3], 0, 1);
    const y = tf.oneHot(
      tf.tensor1d(
        [...Array(16).keys()].map((i) => i % 10),
        'int32',
      ),
      10,
    );
    const optimizer = tf.train.adam(3e-3);
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const loss = () =>
      tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar;
    const first = loss().dataSync()[0]!;
    for (let i = 0; i < 15; i++) tf.dispose(optimizer.minimize(loss, true, variables)!);
    expect(loss().dataSync()[0]!).toBeLessThan(first * 0.5);
  });
});
