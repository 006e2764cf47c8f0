import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { createOptimizer, scheduledLearningRate, setLearningRate } from '../src/train/optimizer.js';
import { OPTIMIZERS } from '../src/args.js';

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
    if (name === 'adam') expect(big.map(Math.sign)).toEqual([-1, 1, -1]);
    optimizer.dispose();
    tf.dispose([w, g]);
  });
});
