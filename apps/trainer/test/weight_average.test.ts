import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '@inv/data';
import { WeightAverage } from '../src/recipe/weight_average.js';

/** A small model with a kernel, a bias and batch-norm statistics (non-trainable weights). */
function smallModel(seed: number): tf.LayersModel {
  const input = tf.input({ shape: [4] });
  const dense = tf.layers
    .dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed }) })
    .apply(input) as tf.SymbolicTensor;
  const output = tf.layers.batchNormalization().apply(dense) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output });
}

describe('WeightAverage', () => {
  it('follows the float64 moving average of every weight, batch-norm statistics included', () => {
    const seed = Math.floor(Math.random() * 2 ** 31);
    const random = mulberry32(seed);
    const model = smallModel(1);
    const average = new WeightAverage(model, smallModel(2), 0.9);
    average.start();
    const variables = model.weights.map((w) => w.read() as tf.Variable);
    let expected = variables.map((v) => Array.from(v.dataSync(), Number));
    for (let step = 0; step < 40; step++) {
      const next = variables.map((v) => Array.from(v.dataSync(), () => random() * 4 - 2));
      variables.forEach((v, i) => v.assign(tf.tensor(next[i]!, v.shape)));
      average.update(step);
      const d = Math.min(0.9, (1 + step) / (10 + step));
      expected = expected.map((values, i) => values.map((e, j) => d * e + (1 - d) * next[i]![j]!));
    }
    average.average.weights.forEach((w, i) => {
      Array.from(w.read().dataSync()).forEach((v, j) =>
        expect(v, `seed ${seed}, weight ${w.name}[${j}]`).toBeCloseTo(expected[i]![j]!, 5),
      );
    });
    expect(average.average.weights.length).toBeGreaterThan(model.trainableWeights.length);
  });

  it('ramps its decay up from 0.1 so the start does not hold the random initial weights', () => {
    const average = new WeightAverage(smallModel(1), smallModel(1), 0.999);
    expect(average.decayAt(0)).toBeCloseTo(0.1, 15);
    expect(average.decayAt(90)).toBeCloseTo(0.91, 15);
    expect(average.decayAt(1e6)).toBe(0.999);
  });

  it('refuses a decay outside (0, 1) and a model of another architecture', () => {
    expect(() => new WeightAverage(smallModel(1), smallModel(1), 1)).toThrow(
      /decay must be in \(0, 1\), got 1/,
    );
    const other = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [4] })] });
    expect(() => new WeightAverage(smallModel(1), other, 0.99)).toThrow(/does not match the trained one/);
  });
});
