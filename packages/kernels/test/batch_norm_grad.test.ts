/**
 * inv's FusedBatchNorm gradient (registered over the stock one): every input's gradient against the closed
 * form in float64 on fresh random inputs, on every backend, for the shapes tfjs-layers uses; and no Tile.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { availableTestBackends, useBackend } from './helpers/backends.js';
import { useTestSeed } from './helpers/random.js';

const random = useTestSeed('batch_norm_grad.test.ts');

const EPSILON = 1e-3;

/** d/d{x, mean, variance, scale, offset} of Σ w·y, y = (x − m)·s/√(v + ε) + o, in float64. */
function closedForm(x: Float64Array, w: Float64Array, m: Float64Array, v: Float64Array, s: Float64Array) {
  const C = m.length;
  const dx = new Float64Array(x.length);
  const dm = new Float64Array(C);
  const dv = new Float64Array(C);
  const ds = new Float64Array(C);
  const doff = new Float64Array(C);
  for (let i = 0; i < x.length; i++) {
    const c = i % C;
    const r = 1 / Math.sqrt(v[c]! + EPSILON);
    dx[i] = w[i]! * s[c]! * r;
    dm[c]! -= w[i]! * s[c]! * r;
    dv[c]! += w[i]! * (x[i]! - m[c]!) * s[c]! * -0.5 * r ** 3;
    ds[c]! += w[i]! * (x[i]! - m[c]!) * r;
    doff[c]! += w[i]!;
  }
  return [dx, dm, dv, ds, doff];
}

function expectClose(values: tf.TypedArray, expected: Float64Array, what: string): void {
  const scale = Math.max(1, ...expected.map(Math.abs));
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(values[i]! - expected[i]!));
  expect(worst / scale, what).toBeLessThan(1e-4);
}

describe('FusedBatchNorm gradient', async () => {
  const backends = await availableTestBackends();
  beforeAll(() => expect(backends.length).toBeGreaterThan(0));

  describe.each(backends)('%s', (backend) => {
    it.each([[[5, 7, 6, 4]], [[2, 3, 5, 9]], [[9, 3]]])('matches the closed form for x %j', async (shape) => {
      await useBackend(backend);
      const C = shape[shape.length - 1]!;
      const x = random.normal(shape, 0.5, 2);
      const w = random.normal(shape);
      const m = random.normal([C]);
      const v = random.uniformTensor([C], 0.2, 3);
      const s = random.normal([C]);
      const o = random.normal([C]);
      const loss = (...args: tf.Tensor[]) => {
        const [xx, mm, vv, ss, oo] = args as [
          tf.Tensor4D,
          tf.Tensor1D,
          tf.Tensor1D,
          tf.Tensor1D,
          tf.Tensor1D,
        ];
        return tf.sum(tf.mul(tf.batchNorm(xx, mm, vv, oo, ss, EPSILON), w));
      };
      const grads = tf.grads(loss)([x, m, v, s, o]);
      const [xs, ws, ms, vs, ss] = await Promise.all(
        [x, w, m, v, s].map(async (t) => Float64Array.from(await t.data())),
      );
      const expected = closedForm(xs!, ws!, ms!, vs!, ss!);
      const names = ['x', 'mean', 'variance', 'scale', 'offset'];
      for (const [i, g] of grads.entries()) {
        expect(g.shape, names[i]).toEqual(i === 0 ? shape : [C]);
        expectClose(await g.data(), expected[i]!, names[i]!);
      }
      tf.dispose([x, w, m, v, s, o, ...grads]);
    });

    it('runs no full-size Tile', async () => {
      await useBackend(backend);
      const x = random.normal([4, 8, 8, 16]);
      const [m, v, s, o] = [tf.zeros([16]), tf.ones([16]), tf.ones([16]), tf.zeros([16])];
      const profile = await tf.profile(() =>
        tf.grads((xx: tf.Tensor) => tf.sum(tf.batchNorm(xx as tf.Tensor4D, m, v, o, s)))([x]),
      );
      expect(profile.kernelNames).toContain('FusedBatchNorm');
      expect(profile.kernelNames).not.toContain('Tile');
      tf.dispose([x, m, v, s, o]);
    });
  });
});
