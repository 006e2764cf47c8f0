import * as tf from '@tensorflow/tfjs';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useTestSeed } from '@inv/core/testing';
import { initBackend, Involution } from '@inv/core';
// Registers the plugin generator 'softmax' (a dev dependency: models itself ships only with the built-ins).
import '@inv/generator-attention';
import {
  createModel,
  parameterCounts,
  seedConvModel,
  seedInvolutionModel,
  summary,
  type InvolutionClassifierOptions,
} from '../src/index.js';

const random = useTestSeed('seed_models.test.ts', beforeEach);

beforeAll(async () => {
  await initBackend('cpu');
});

describe('seedConvModel', () => {
  it("has the seed's 319,178 trainable parameters and maps [B,32,32,3] to 10 logits", () => {
    const model = seedConvModel();
    expect(parameterCounts(model)).toEqual({ total: 319_178, trainable: 319_178, nonTrainable: 0 });
    const logits = model.predict(random.tensorUniform([2, 32, 32, 3], 0, 1)) as tf.Tensor;
    expect(logits.shape).toEqual([2, 10]);
  });

  it('is reproducible from its seed and differs across seeds', () => {
    const weights = (seed: number) => seedConvModel({ seed }).getWeights()[0]!.dataSync();
    expect(Array.from(weights(7))).toEqual(Array.from(weights(7)));
    expect(Array.from(weights(7))).not.toEqual(Array.from(weights(8)));
  });

  it('summary lists every layer with its output shape and the totals', () => {
    const text = summary(seedConvModel());
    expect(text).toMatch(/conv2d.*\[null,32,32,32\].*896/);
    expect(text).toMatch(/dense.*\[null,10\].*650/);
    expect(text).toContain('Total params: 319178');
    expect(text).toContain('Trainable params: 319178');
    expect(text).toContain('Non-trainable params: 0');
  });

  it('rejects a kernel generator, directly and through createModel', () => {
    const message =
      /seedConvModel: the conv baseline has no involution layers, so it takes no generator \(got "softmax"\)/;
    const options: InvolutionClassifierOptions = { generator: 'softmax' };
    expect(() => seedConvModel(options)).toThrow(message);
    expect(() => createModel('seed-conv', options)).toThrow(message);
  });
});

describe('seedInvolutionModel', () => {
  it("has the seed's 13,080 parameters (13,074 trainable) and maps [B,32,32,3] to 10 logits", () => {
    const model = seedInvolutionModel();
    expect(parameterCounts(model)).toEqual({ total: 13_080, trainable: 13_074, nonTrainable: 6 });
    const logits = model.predict(random.tensorUniform([2, 32, 32, 3], 0, 1)) as tf.Tensor;
    expect(logits.shape).toEqual([2, 10]);
  });

  it('is reproducible from its seed, involution weights included', () => {
    const weights = (seed: number) =>
      seedInvolutionModel({ seed })
        .getWeights()
        .map((w) => Array.from(w.dataSync()));
    expect(weights(3)).toEqual(weights(3));
    expect(weights(3)[0]).not.toEqual(weights(4)[0]);
  });

  it("exposes each involution layer's kernel [B,32/2^i,32/2^i,9,1] for heatmaps", () => {
    const model = seedInvolutionModel();
    const kernels = ['inv_1', 'inv_2', 'inv_3'].map(
      (n) => (model.getLayer(n).output as tf.SymbolicTensor[])[1]!.shape,
    );
    expect(kernels).toEqual([
      [null, 32, 32, 9, 1],
      [null, 16, 16, 9, 1],
      [null, 8, 8, 9, 1],
    ]);
  });

  /** The generator each involution layer saves in its config (percent-escaped JSON, see @inv/core). */
  const generatorsOf = (model: tf.LayersModel) =>
    model.layers
      .filter((l) => l instanceof Involution)
      .map(
        (l) =>
          (JSON.parse(decodeURIComponent(l.getConfig()['generator'] as string)) as { name: string }).name,
      );

  it("uses the seed's reduce-expand generator by default", () => {
    expect(generatorsOf(seedInvolutionModel())).toEqual(['reduce-expand', 'reduce-expand', 'reduce-expand']);
  });

  it.each(['linear', 'context', 'global', 'softmax'])(
    'builds with the %s generator in every involution, and predicts',
    (generator) => {
      const model = seedInvolutionModel({ generator, seed: 1 });
      expect(generatorsOf(model)).toEqual([generator, generator, generator]);
      const logits = model.predict(random.tensorUniform([2, 32, 32, 3], 0, 1)) as tf.Tensor;
      expect(logits.shape).toEqual([2, 10]);
      expect(tf.all(tf.isFinite(logits)).dataSync()[0]).toBe(1);
      // Through the registry too, and as a spec: the layers get the generator however it is named.
      expect(generatorsOf(createModel('seed-inv', { generator: { name: generator } }))).toEqual([
        generator,
        generator,
        generator,
      ]);
    },
  );

  it("changes the parameter count with the generator (its own weights replace reduce-expand's)", () => {
    const totals = ['reduce-expand', 'linear', 'context', 'global', 'softmax'].map(
      (generator) => parameterCounts(seedInvolutionModel({ generator })).total,
    );
    expect(totals[0]).toBe(13_080);
    expect(new Set(totals).size).toBeGreaterThan(1);
  });

  it('names the registered generators when one is unknown', () => {
    expect(() => seedInvolutionModel({ generator: 'nope' })).toThrow(
      /unknown kernel generator "nope"; registered: 'reduce-expand'/,
    );
  });
});
