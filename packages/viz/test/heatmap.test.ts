import * as tf from '@tensorflow/tfjs';
import { seedConvModel, seedInvolutionModel } from '@inv/models';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  kernelHeatmaps,
  kernelModel,
  normalizeHeatmaps,
  predictKernels,
  REDUCTIONS,
  reduceKernel,
  type Heatmaps,
  type Reduction,
} from '../src/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Float64 reduction of a [B,H,W,T,G] kernel given as nested loops over plain numbers. */
function reference(values: Float32Array, [b, h, w, t, g]: number[], reduce: Reduction): number[] {
  const out: number[] = [];
  for (let p = 0; p < b! * h! * w!; p++) {
    const taps = Array.from(values.subarray(p * t! * g!, (p + 1) * t! * g!), Number);
    const sum = (xs: number[]) => xs.reduce((a, x) => a + x, 0);
    out.push(
      { sum: sum(taps), mean: sum(taps) / taps.length, abs: sum(taps.map(Math.abs)), max: Math.max(...taps) }[
        reduce
      ],
    );
  }
  return out;
}

describe('reduceKernel / kernelHeatmaps', () => {
  const shape = [2, 5, 4, 9, 3];
  it.each(REDUCTIONS)('%s equals a float64 reduction over taps and groups', async (reduce) => {
    const kernel = tf.randomNormal(shape, 0, 1, 'float32', 7);
    const values = (await kernel.data()) as Float32Array;
    const maps = await kernelHeatmaps(kernel, reduce);
    expect([maps.count, maps.height, maps.width]).toEqual([2, 5, 4]);
    const expected = reference(values, shape, reduce);
    Array.from(maps.data).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
    kernel.dispose();
  });

  it('rejects a tensor that is not a rank-5 kernel, and an unknown reduction', () => {
    expect(() => reduceKernel(tf.zeros([2, 3, 3, 9]), 'sum')).toThrow(
      /expected an involution kernel \[batch, height, width, K\*K, groups\], got shape \[2, 3, 3, 9\]/,
    );
    expect(() => reduceKernel(tf.zeros(shape), 'median' as Reduction)).toThrow(
      "unknown reduction 'median'; expected one of: sum, mean, abs, max",
    );
  });
});

describe('normalizeHeatmaps', () => {
  const maps: Heatmaps = { count: 2, height: 1, width: 3, data: Float32Array.from([1, 2, 3, 10, 20, 40]) };
  it('per image: each map min-max scaled to [0, 1] on its own', () => {
    expect(Array.from(normalizeHeatmaps(maps, 'image').data)).toEqual(
      [0, 0.5, 1, 0, 1 / 3, 1].map(Math.fround),
    );
  });
  it('per layer: one min and max for the whole stack', () => {
    const expected = [1, 2, 3, 10, 20, 40].map((v) => Math.fround((v - 1) / 39));
    expect(Array.from(normalizeHeatmaps(maps, 'layer').data)).toEqual(expected);
  });
  it('a constant map becomes 0 (not NaN); an unknown mode lists the valid ones', () => {
    const flat: Heatmaps = { count: 1, height: 2, width: 2, data: new Float32Array(4).fill(5) };
    expect(Array.from(normalizeHeatmaps(flat, 'image').data)).toEqual([0, 0, 0, 0]);
    expect(() => normalizeHeatmaps(flat, 'batch' as never)).toThrow('expected one of: image, layer');
  });
});

describe('kernelModel', () => {
  it('exposes the three kernels of seedInvolutionModel with their shapes', () => {
    const kernels = kernelModel(seedInvolutionModel({ seed: 1 }));
    expect(kernels.layerNames).toEqual(['inv_1', 'inv_2', 'inv_3']);
    const out = predictKernels(kernels, tf.randomUniform([2, 32, 32, 3]) as tf.Tensor4D);
    expect(out.map((k) => k.shape)).toEqual([
      [2, 32, 32, 9, 1],
      [2, 16, 16, 9, 1],
      [2, 8, 8, 9, 1],
    ]);
    tf.dispose(out);
  });

  it('says so when a model has no Involution layer returning its kernel', () => {
    expect(() => kernelModel(seedConvModel())).toThrow(
      /has no Involution layer built with returnKernel: true \(it has no Involution layer\)/,
    );
  });
});
