/**
 * axisSoftmax on every backend (the engine on cpu and wasm, the composite elsewhere): outputs and gradients
 * against float64 on fresh random inputs, the float64 gradient against central differences, and the errors.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { axisSoftmax } from '../src/index.js';
import {
  axisSoftmaxComposite,
  axisSoftmaxGradComposite,
} from '../src/kernels/composite/axis_softmax_composite.js';
import { axisSoftmaxGradReference, axisSoftmaxReference, type AxisSoftmaxView } from '@inv/kernels/testing';
import { availableTestBackends, useBackend } from './helpers/backends.js';
import { useTestSeed } from '../src/testing/index.js';

const random = useTestSeed('axis_softmax.test.ts', beforeEach);

/** `shape` as [outer, n, inner] around `axis` (non-negative). */
const viewOf = (shape: number[], axis: number): AxisSoftmaxView => ({
  outer: shape.slice(0, axis).reduce((p, d) => p * d, 1),
  n: shape[axis]!,
  inner: shape.slice(axis + 1).reduce((p, d) => p * d, 1),
});
const softmax64 = (x: Float64Array, shape: number[], axis: number) =>
  axisSoftmaxReference(x, viewOf(shape, axis));
/** d/dx of Σ softmax(x)·w in float64: y·(w − Σ_axis y·w). */
const gradient64 = (x: Float64Array, w: Float64Array, shape: number[], axis: number) =>
  axisSoftmaxGradReference(softmax64(x, shape, axis), w, viewOf(shape, axis)).dx;

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

const f64 = async (t: tf.Tensor) => Float64Array.from(await t.data());

// The softmax generator's [B, H, W, K², G] over the taps, first, last and one-element axes, odd sizes.
const CASES: [number[], number][] = [
  [[2, 3, 3, 9, 2], 3],
  [[3, 2, 2, 9, 1], -2],
  [[5, 7], 0],
  [[4, 7], -1],
  [[3, 1, 5], 1],
  [[11], 0],
];

describe('axisSoftmax', async () => {
  const backends = await availableTestBackends();
  beforeAll(() => expect(backends.length).toBeGreaterThan(0));

  describe.each(backends)('%s', (backend) => {
    it.each(CASES)('output and gradient match float64 for %j along axis %i', async (shape, axis) => {
      await useBackend(backend);
      const a = axis < 0 ? axis + shape.length : axis;
      const x = random.tensorNormal(shape, 0, 3);
      const w = random.tensorNormal(shape);
      const y = axisSoftmax(x, axis);
      const dx = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(axisSoftmax(v, axis), w)))(x);
      const [x64, w64] = [await f64(x), await f64(w)];
      expect(y.shape).toEqual(shape);
      expect(maxAbsDiff(await y.data(), softmax64(x64, shape, a))).toBeLessThan(2e-6);
      expect(maxAbsDiff(await dx.data(), gradient64(x64, w64, shape, a))).toBeLessThan(4e-6);
      tf.dispose([x, w, y, dx]);
    });
  });

  it('the float64 gradient is the central difference of Σ softmax·w', () => {
    const shape = [2, 3, 4];
    const x = Float64Array.from({ length: 24 }, () => 2 * random.uniform());
    const w = Float64Array.from({ length: 24 }, () => random.uniform());
    const f = (v: Float64Array) => softmax64(v, shape, 1).reduce((s, y, i) => s + y * w[i]!, 0);
    const analytic = gradient64(x, w, shape, 1);
    const h = 1e-6;
    for (let i = 0; i < x.length; i++) {
      const [up, down] = [Float64Array.from(x), Float64Array.from(x)];
      up[i]! += h;
      down[i]! -= h;
      expect(Math.abs((f(up) - f(down)) / (2 * h) - analytic[i]!)).toBeLessThan(1e-8);
    }
  });

  it('the composite kernels (for backends without the engine) agree with the engine on cpu', async () => {
    await useBackend('cpu');
    const x = random.tensorNormal([3, 4, 9, 2], 0, 3);
    const dy = random.tensorNormal([3, 4, 9, 2]);
    const y = axisSoftmax(x, 2);
    expect(maxAbsDiff(await axisSoftmaxComposite(x, 2).data(), await y.data())).toBeLessThan(1e-6);
    const grad = tf.engine().runKernel('InvAxisSoftmaxGrad', { dy, y }, { axis: 2 }) as tf.Tensor;
    expect(maxAbsDiff(await axisSoftmaxGradComposite(dy, y, 2).data(), await grad.data())).toBeLessThan(1e-6);
    tf.dispose([x, dy, y, grad]);
  });

  it('names a non-float input and an axis out of range', async () => {
    await useBackend('cpu');
    expect(() => axisSoftmax(tf.ones([2, 3], 'int32'), 0)).toThrow(
      'axisSoftmax: logits must be float32, got int32',
    );
    expect(() => axisSoftmax(tf.ones([2, 3]), 2)).toThrow(
      'axisSoftmax: axis must be an integer in [-2, 1] for logits of shape [2, 3], got 2',
    );
  });
});
