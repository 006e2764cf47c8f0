/**
 * Batch norm's moving-statistics update: the one-kernel path (cpu, wasm) against the stock ops it replaces,
 * bit for bit, on seeded random statistics, on every backend that starts.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { MovingAverages } from '@inv/kernels';
import { movingAverages } from '../src/batch_norm/keras_batch_norm.js';
import { useTestSeed } from '../src/testing/index.js';
import { availableTestBackends, useBackend } from './helpers/backends.js';

const random = useTestSeed('moving_averages.test.ts', beforeEach);
const backends = await availableTestBackends();

const bits = async (t: tf.Tensor): Promise<Uint32Array> =>
  new Uint32Array(((await t.data()) as Float32Array).slice().buffer);

describe.each(backends)('moving averages on %s', (backend) => {
  beforeEach(() => useBackend(backend));

  it.each([0.99, 0.9, 0.999])('momentum %f: the stock ops bit for bit', async (momentum) => {
    const [movingMean, movingVariance, mean, variance] = [0, 1, 2, 3].map((i) =>
      tf.tensor1d(random.normal(37).map((v) => v * 10 ** (i - 1))),
    );
    const fused = movingAverages(movingMean!, movingVariance!, mean!, variance!, momentum);
    const stock = [
      [movingMean!, mean!],
      [movingVariance!, variance!],
    ].map(([current, batch]) => tf.sub(current!, tf.mul(tf.sub(current!, batch!), 1 - momentum)));
    for (let k = 0; k < 2; k++) expect(await bits(fused[k]!)).toEqual(await bits(stock[k]!));
    const kernel = tf.getKernel(MovingAverages, backend) !== undefined;
    expect(kernel).toBe(backend === 'cpu' || backend === 'wasm');
    tf.dispose([movingMean!, movingVariance!, mean!, variance!, ...fused, ...stock]);
  });
});
