import * as tf from '@tensorflow/tfjs-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { initBackend, involution2dComposite } from '../src/index.js';
import { involution2dGradReference, involution2dReference } from '../src/testing/index.js';
import { useTestSeed } from '../src/testing/index.js';

const random = useTestSeed('involution2d_composite.test.ts', beforeEach);

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('involution2dComposite (cpu)', () => {
  it('matches the float64 reference, forward and gradients', async () => {
    await initBackend('cpu');
    const opts = { kernelSize: 3, stride: 2, dilation: 2, padding: 1, groupLayout: 'contiguous' as const };
    const x = random.tensorNormal([2, 8, 7, 6]) as tf.Tensor4D;
    const kernel = random.tensorNormal([2, 3, 3, 9, 3]) as tf.Tensor5D;
    const dy = random.tensorNormal([2, 3, 3, 6]);
    const ref = (t: tf.Tensor) => ({ data: Float64Array.from(t.dataSync()), shape: t.shape });
    const out = involution2dComposite(x, kernel, opts);
    expect(maxAbsDiff(out.dataSync(), involution2dReference(ref(x), ref(kernel), opts).data)).toBeLessThan(
      1e-5,
    );
    const [dx, dk] = tf.grads((a, b) =>
      tf.sum(tf.mul(involution2dComposite(a as tf.Tensor4D, b as tf.Tensor5D, opts), dy)),
    )([x, kernel]);
    const g = involution2dGradReference(ref(x), ref(kernel), ref(dy), opts);
    expect(maxAbsDiff(dx!.dataSync(), g.dx.data)).toBeLessThan(1e-5);
    expect(maxAbsDiff(dk!.dataSync(), g.dkernel.data)).toBeLessThan(1e-5);
  });

  it('names itself in shape errors', () => {
    const x = tf.zeros([1, 4, 4, 2]) as tf.Tensor4D;
    const kernel = tf.zeros([1, 4, 4, 4, 1]) as tf.Tensor5D;
    expect(() => involution2dComposite(x, kernel, { kernelSize: 3 })).toThrow(
      /involution2dComposite: kernel shape/,
    );
  });
});
