/**
 * The fused batch-norm training op on every backend: outputs against a float64 reference, all gradients
 * (through the mean and variance outputs too) against float64 central differences, on fresh random inputs.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { batchNormTraining, type BatchNormActivation } from '../src/index.js';
import {
  batchNormTrainingComposite,
  batchNormTrainingGradComposite,
} from '../src/kernels/composite/batch_norm_composite.js';
import { availableTestBackends, useBackend } from './helpers/backends.js';
import { relativeError, useTestSeed } from '../src/testing/index.js';

const random = useTestSeed('batch_norm_training.test.ts', beforeEach);

const EPSILON = 1e-3;

/** y, mean, variance in float64 (two-pass statistics). */
function reference(x: Float64Array, scale: Float64Array, offset: Float64Array, relu: boolean) {
  const C = scale.length;
  const rows = x.length / C;
  const mean = new Float64Array(C);
  const variance = new Float64Array(C);
  for (let i = 0; i < x.length; i++) mean[i % C]! += x[i]! / rows;
  for (let i = 0; i < x.length; i++) variance[i % C]! += (x[i]! - mean[i % C]!) ** 2 / rows;
  const y = x.map((v, i) => {
    const c = i % C;
    const out = ((v - mean[c]!) * scale[c]!) / Math.sqrt(variance[c]! + EPSILON) + offset[c]!;
    return relu ? Math.max(0, out) : out;
  });
  return { y, mean, variance };
}

function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: number,
  what: string,
) {
  expect(actual.length, what).toBe(expected.length);
  expect(relativeError(actual, expected, 1), what).toBeLessThan(tolerance);
}

const f64 = async (t: tf.Tensor) => Float64Array.from(await t.data());

const CASES: [number[], BatchNormActivation][] = [
  [[5, 7, 6, 4], 'linear'],
  [[5, 7, 6, 4], 'relu'],
  [[2, 3, 5, 9], 'relu'],
  [[9, 3], 'linear'],
  [[3, 4, 2, 2, 5], 'relu'],
  // Rows past one partial sum of the webgpu kernels (256) and not a multiple of it.
  [[3, 20, 13, 6], 'relu'],
];

describe('batchNormTraining', async () => {
  const backends = await availableTestBackends();
  beforeAll(() => expect(backends.length).toBeGreaterThan(0));

  describe.each(backends)('%s', (backend) => {
    it.each(CASES)('outputs match float64 for x %j, %s', async (shape, activation) => {
      await useBackend(backend);
      const C = shape[shape.length - 1]!;
      // A mean far from 0 next to a small spread: the variance must not cancel away.
      const x = tf.add(random.tensorNormal(shape, 0, 0.5), random.tensorUniform([C], -40, 40));
      const scale = random.tensorNormal([C]) as tf.Tensor1D;
      const offset = random.tensorNormal([C]) as tf.Tensor1D;
      const { y, mean, variance } = batchNormTraining(x, scale, offset, { activation });
      const expected = reference(await f64(x), await f64(scale), await f64(offset), activation === 'relu');
      expect(y.shape).toEqual(shape);
      expect(mean.shape).toEqual([C]);
      expectClose(await mean.data(), expected.mean, 1e-6, 'mean');
      expectClose(await variance.data(), expected.variance, 2e-4, 'variance');
      expectClose(await y.data(), expected.y, 2e-4, 'y');
      tf.dispose([x, scale, offset, y, mean, variance]);
    });

    it.each(CASES)('gradients match float64 differences for x %j, %s', async (shape, activation) => {
      await useBackend(backend);
      const C = shape[shape.length - 1]!;
      const x = random.tensorNormal(shape, 0.3, 1.5);
      const scale = random.tensorNormal([C]);
      const offset = random.tensorNormal([C]);
      const [wy, wm, wv] = [random.tensorNormal(shape), random.tensorNormal([C]), random.tensorNormal([C])];
      // A loss that reads all three outputs, so the paths through mean and variance are checked too.
      const loss = (xx: tf.Tensor, s: tf.Tensor, o: tf.Tensor) => {
        const r = batchNormTraining(xx, s as tf.Tensor1D, o as tf.Tensor1D, { activation });
        return tf.addN([tf.sum(tf.mul(r.y, wy)), tf.sum(tf.mul(r.mean, wm)), tf.sum(tf.mul(r.variance, wv))]);
      };
      const before = tf.memory().numTensors;
      const grads = tf.grads(loss)([x, scale, offset]);
      expect(tf.memory().numTensors, 'tensors left besides the 3 gradients').toBe(before + 3);

      const [xs, ss, os, wys, wms, wvs] = await Promise.all([x, scale, offset, wy, wm, wv].map(f64));
      const lossOf = (xv: Float64Array, sv: Float64Array, ov: Float64Array) => {
        const r = reference(xv, sv, ov, activation === 'relu');
        let total = 0;
        r.y.forEach((v, i) => (total += v * wys![i]!));
        r.mean.forEach((v, i) => (total += v * wms![i]!));
        r.variance.forEach((v, i) => (total += v * wvs![i]!));
        return total;
      };
      const h = 1e-6;
      const inputs = [xs!, ss!, os!];
      for (const [k, values] of inputs.entries()) {
        const numeric = values.map((v, i) => {
          const probe = (delta: number) => {
            const moved = inputs.map((a) => Float64Array.from(a));
            moved[k]![i] = v + delta;
            return lossOf(moved[0]!, moved[1]!, moved[2]!);
          };
          return (probe(h) - probe(-h)) / (2 * h);
        });
        expect(grads[k]!.shape).toEqual(k === 0 ? shape : [C]);
        expectClose(await grads[k]!.data(), numeric, 2e-4, ['dx', 'dScale', 'dOffset'][k]!);
      }
      tf.dispose([x, scale, offset, wy, wm, wv, ...grads]);
    });
  });

  it('the composite kernels (for backends without a fused one) agree with the fused kernels', async () => {
    await useBackend('cpu');
    const shape = [4, 5, 3, 6];
    const x = random.tensorNormal(shape, 1, 2);
    const scale = random.tensorNormal([6]) as tf.Tensor1D;
    const offset = random.tensorNormal([6]) as tf.Tensor1D;
    const attrs = { epsilon: EPSILON, activation: 'relu' as const };
    const fused = batchNormTraining(x, scale, offset, attrs);
    const composite = batchNormTrainingComposite(x, scale, offset, attrs);
    for (const [i, t] of [fused.y, fused.mean, fused.variance].entries()) {
      expectClose(await composite[i]!.data(), await f64(t), 1e-5, `forward output ${i}`);
    }
    const grad = {
      dy: random.tensorNormal(shape),
      x,
      y: fused.y,
      scale,
      mean: fused.mean,
      variance: fused.variance,
      dMean: random.tensorNormal([6]) as tf.Tensor1D,
      dVariance: random.tensorNormal([6]) as tf.Tensor1D,
    };
    const fusedGrads = tf.engine().runKernel('BatchNormTrainingGrad', grad, attrs) as unknown as tf.Tensor[];
    const compositeGrads = batchNormTrainingGradComposite(grad, attrs);
    for (const [i, t] of fusedGrads.entries()) {
      expectClose(await compositeGrads[i]!.data(), await f64(t), 1e-5, `gradient output ${i}`);
    }
  });

  it('says what is wrong with bad inputs', () => {
    const x = tf.zeros([2, 3, 4]);
    const c = tf.zeros([4]) as tf.Tensor1D;
    expect(() => batchNormTraining(tf.zeros([4]), c, c)).toThrow(/rank >= 2.*\[4\]/);
    expect(() => batchNormTraining(x, tf.zeros([3]) as tf.Tensor1D, c)).toThrow(
      /scale must be float32 of shape \[4\].*\[3\]/,
    );
    expect(() => batchNormTraining(x, c, tf.zeros([4], 'int32') as tf.Tensor1D)).toThrow(/offset .* int32/);
    expect(() => batchNormTraining(tf.zeros([2, 4], 'int32'), c, c)).toThrow(/x must be float32, got int32/);
    expect(() => batchNormTraining(x, c, c, { epsilon: 0 })).toThrow(/epsilon must be > 0, got 0/);
    expect(() => batchNormTraining(x, c, c, { activation: 'gelu' as BatchNormActivation })).toThrow(
      /activation must be one of linear, relu, got 'gelu'/,
    );
  });
});
