/**
 * The softmax generator: its kernel is the softmax over the K×K taps of reduce-expand's kernel with the same
 * weights (reduce-expand's formula is core's test), each kernel a convex combination; the layer's output is
 * involution2d with it; every trainable weight gets a gradient; it is registered under this package's name.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, involution, involution2d, listKernelGenerators } from '@inv/core';
import { PACKAGE_NAME, SOFTMAX_GENERATOR } from '../src/index.js';

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  expect(a.shape).toEqual(b.shape);
  return tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!;
}

beforeAll(async () => {
  await initBackend('cpu');
});

const CASES = [
  { kernelSize: 3, stride: 1, groups: 2, groupLayout: 'interleaved' as const },
  { kernelSize: 3, stride: 2, groups: 1, groupLayout: 'contiguous' as const },
];

describe('softmax generator', () => {
  it('is registered on import, by this package', () => {
    expect(listKernelGenerators()).toContain(SOFTMAX_GENERATOR);
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      name: string;
    };
    expect(PACKAGE_NAME).toBe(manifest.name);
  });

  it.each(CASES)(
    'kernel = softmax over the taps of reduce-expand with the same weights (K $kernelSize, stride $stride, G $groups)',
    (c) => {
      const layer = involution({ ...c, reductionRatio: 2, generator: SOFTMAX_GENERATOR, returnKernel: true });
      const logitsLayer = involution({
        ...c,
        reductionRatio: 2,
        generator: 'reduce-expand',
        returnKernel: true,
      });
      const x = tf.randomNormal([2, 8, 8, 4]) as tf.Tensor4D;
      layer.apply(x);
      logitsLayer.apply(x);
      // Random values everywhere (positive variances), so zero biases or unit BN statistics hide nothing.
      const weights = layer.weights.map((w) =>
        w.originalName.endsWith('moving_variance')
          ? tf.randomUniform(w.shape as number[], 0.5, 1.5)
          : tf.mul(tf.randomNormal(w.shape as number[]), 0.5),
      );
      layer.setWeights(weights);
      logitsLayer.setWeights(weights);
      for (const training of [false, true]) {
        const [, logits] = logitsLayer.apply(x, { training }) as tf.Tensor[];
        // tf.softmax normalises the last axis: move the taps there and back.
        const expected = tf.transpose(
          tf.softmax(tf.transpose(logits!, [0, 1, 2, 4, 3])),
          [0, 1, 2, 4, 3],
        ) as tf.Tensor5D;
        const [output, kernel] = layer.apply(x, { training }) as [tf.Tensor4D, tf.Tensor5D];
        expect(maxAbsDiff(kernel, expected)).toBeLessThan(1e-5);
        expect(maxAbsDiff(tf.sum(kernel, 3), tf.onesLike(tf.sum(kernel, 3)))).toBeLessThan(1e-5);
        expect(maxAbsDiff(output, involution2d(x, expected, c))).toBeLessThan(1e-4);
      }
    },
  );

  it('sends a finite, non-zero gradient to every trainable weight', () => {
    const layer = involution({
      kernelSize: 3,
      stride: 2,
      groups: 2,
      reductionRatio: 2,
      generator: SOFTMAX_GENERATOR,
    });
    const x = tf.randomNormal([2, 8, 8, 4]) as tf.Tensor4D;
    const dy = tf.randomNormal([2, 4, 4, 4]);
    layer.apply(x);
    const variables = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    const { grads } = tf.variableGrads(
      () => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, dy)) as tf.Scalar,
      variables,
    );
    for (const v of variables) {
      const values = grads[v.name]!.dataSync();
      expect(values.every(Number.isFinite), v.name).toBe(true);
      expect(
        values.some((g) => g !== 0),
        v.name,
      ).toBe(true);
    }
  });

  it('takes no config', () => {
    expect(() =>
      involution({ kernelSize: 3, generator: { name: SOFTMAX_GENERATOR, config: { temperature: 2 } } }).apply(
        tf.zeros([1, 4, 4, 4]),
      ),
    ).toThrow(/kernel generator 'softmax': unknown config key\(s\) 'temperature'; it takes no config/);
  });
});
