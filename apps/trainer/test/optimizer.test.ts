import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '@inv/data';
import {
  OPTIMIZERS,
  createOptimizer,
  decayWeights,
  scheduledLearningRate,
  setLearningRate,
} from '../src/recipe/optimizer.js';

describe('learning-rate schedule', () => {
  it('is constant, or a half cosine from lr at step 0 to 0 at the end', () => {
    const lr = 0.004;
    for (const step of [0, 17, 99]) expect(scheduledLearningRate('constant', lr, step, 100)).toBe(lr);
    expect(scheduledLearningRate('cosine', lr, 0, 100)).toBe(lr);
    expect(scheduledLearningRate('cosine', lr, 50, 100)).toBeCloseTo(lr / 2, 12);
    expect(scheduledLearningRate('cosine', lr, 25, 100)).toBeCloseTo((lr * (1 + Math.SQRT1_2)) / 2, 12);
    expect(scheduledLearningRate('cosine', lr, 99, 100)).toBeLessThan(lr * 3e-4);
    const curve = [...Array(100).keys()].map((s) => scheduledLearningRate('cosine', lr, s, 100));
    expect(curve.every((v, i) => i === 0 || v < curve[i - 1]!)).toBe(true);
  });

  it('warms up linearly, then holds (constant) or follows the half cosine over the remaining steps', () => {
    const lr = 0.1;
    const warm = [0, 1, 2, 3].map((s) => scheduledLearningRate('constant', lr, s, 100, 4));
    expect(warm).toEqual([0.025, 0.05, 0.075, 0.1].map((v) => expect.closeTo(v, 15)));
    expect(scheduledLearningRate('constant', lr, 60, 100, 4)).toBe(lr);
    expect(scheduledLearningRate('cosine', lr, 3, 100, 4)).toBeCloseTo(lr, 15);
    expect(scheduledLearningRate('cosine', lr, 4, 100, 4)).toBe(lr);
    expect(scheduledLearningRate('cosine', lr, 52, 100, 4)).toBeCloseTo(lr / 2, 12);
    // Without a warm-up the curve is the one runs made before warm-ups existed, bit for bit.
    for (const s of [0, 13, 77]) {
      expect(scheduledLearningRate('cosine', lr, s, 100)).toBe(
        (lr * (1 + Math.cos((Math.PI * s) / 100))) / 2,
      );
    }
  });

  it('onecycle rises linearly from lr/25 to lr over the warm-up, then falls linearly to 0 at the end', () => {
    const lr = 0.4;
    const total = 50;
    const curve = [...Array(total).keys()].map((s) => scheduledLearningRate('onecycle', lr, s, total, 10));
    expect(curve[0]).toBeCloseTo(lr / 25, 15);
    expect(curve[5]).toBeCloseTo(lr / 25 + ((lr - lr / 25) * 5) / 10, 15);
    expect(curve[10]).toBeCloseTo(lr, 15);
    expect(curve[30]).toBeCloseTo(lr / 2, 15);
    expect(curve[total - 1]).toBeCloseTo(lr / 40, 15);
    expect(curve.slice(0, 11).every((v, i) => i === 0 || v > curve[i - 1]!)).toBe(true);
    expect(curve.slice(10).every((v, i) => i === 0 || v < curve[9 + i]!)).toBe(true);
  });

  // Three steps on f(w) = Σ g·w against PyTorch's SGD formulas in float64 (dampening 0): with momentum m,
  // b ← m·b + g and w ← w − lr·b, or with Nesterov w ← w − lr·(g + m·b).
  it.each([false, true])('sgd with momentum 0.9 (nesterov %s) follows the float64 formula', (nesterov) => {
    const seed = Math.floor(Math.random() * 2 ** 31);
    const random = mulberry32(seed);
    const g = [...Array(5)].map(() => random() * 2 - 1);
    const m = 0.9;
    const lr = 0.05;
    const optimizer = createOptimizer('sgd', lr, { momentum: m, nesterov });
    const w = tf.variable(tf.zeros([5]));
    const gradient = tf.tensor1d(g);
    const expected = g.map(() => 0);
    const buffer = g.map(() => 0);
    for (let step = 0; step < 3; step++) {
      optimizer.minimize(() => tf.sum(tf.mul(w, gradient)), false, [w]);
      g.forEach((gi, i) => {
        buffer[i] = m * buffer[i]! + gi;
        expected[i]! -= lr * (nesterov ? gi + m * buffer[i]! : buffer[i]!);
      });
    }
    const got = Array.from(w.dataSync());
    got.forEach((v, i) => expect(v, `seed ${seed}, weight ${i}`).toBeCloseTo(expected[i]!, 5));
    optimizer.dispose();
    tf.dispose([w, gradient]);
  });

  it('decoupled weight decay shrinks kernels by lr·decay and leaves biases and BN parameters alone', () => {
    const kernel = tf.variable(
      tf.tensor2d([
        [1, -2],
        [3, 0.5],
      ]),
    );
    const bias = tf.variable(tf.tensor1d([1, 2]));
    decayWeights([kernel, bias], 0.1, 0.01);
    expect(Array.from(kernel.dataSync())).toEqual([1, -2, 3, 0.5].map((v) => expect.closeTo(v * 0.999, 7)));
    expect(Array.from(bias.dataSync())).toEqual([1, 2]);
    decayWeights([kernel], 0.1, 0);
    expect(kernel.dataSync()[0]).toBeCloseTo(0.999, 7);
    tf.dispose([kernel, bias]);
  });

  // One step on f(w) = Σ g·w from w = 0: SGD moves w by −lr·g, Adam's first step by −lr·sign(g).
  it.each(OPTIMIZERS)('%s takes its next step with the rate set', async (name) => {
    const optimizer = createOptimizer(name, 0.1);
    const w = tf.variable(tf.zeros([3]));
    const g = tf.tensor1d([0.5, -2, 1]);
    const stepBy = (lr: number) => {
      setLearningRate(optimizer, lr);
      const before = w.dataSync().slice();
      optimizer.minimize(() => tf.sum(tf.mul(w, g)), false, [w]);
      return Array.from(w.dataSync(), (v, i) => v - before[i]!);
    };
    const big = stepBy(0.1);
    const small = stepBy(0.001);
    if (name === 'sgd') {
      expect(big.map((d) => d / -0.1)).toEqual([0.5, -2, 1].map((v) => expect.closeTo(v, 6)));
      expect(small.map((d) => d / -0.001)).toEqual([0.5, -2, 1].map((v) => expect.closeTo(v, 4)));
    } else {
      // Whatever the optimizer's normalisation, the step scales with the rate it was given.
      expect(Math.abs(small[1]!) / Math.abs(big[1]!)).toBeLessThan(0.02);
      expect(Math.abs(small[1]!)).toBeGreaterThan(0);
    }
    if (name === 'adam' || name === 'adamw') expect(big.map(Math.sign)).toEqual([-1, 1, -1]);
    optimizer.dispose();
    tf.dispose([w, g]);
  });
});
