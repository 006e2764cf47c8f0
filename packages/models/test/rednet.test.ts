import type * as tf from '@tensorflow/tfjs';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useTestSeed } from '@inv/core/testing';
import { initBackend, Involution } from '@inv/core';
import { createModel, parameterCounts, rednet } from '../src/index.js';

const random = useTestSeed('rednet.test.ts', beforeEach);

beforeAll(async () => {
  await initBackend('cpu');
});

describe('rednet', () => {
  it('stacks 1-2-4-1 / 2-3-5-2 / 3-4-6-3 bottlenecks whose spatial conv is an involution', () => {
    for (const [depth, blocks] of [
      [26, 8],
      [38, 12],
      [50, 16],
    ] as const) {
      const model = rednet({ depth, width: 8 });
      const involutions = model.layers.filter((l) => l instanceof Involution);
      expect(involutions).toHaveLength(blocks);
      expect(model.layers.filter((l) => l.getClassName() === 'Conv2D')).toHaveLength(1 + 2 * blocks + 4);
    }
  });

  it('downsamples 32→16→8→4 and ends in logits, at any batch size', () => {
    const model = rednet({ depth: 26, width: 8 });
    const shapes = model.layers
      .filter((l) => l instanceof Involution)
      .map((l) => (l.outputShape as number[]).slice(1));
    expect(shapes).toEqual([
      [32, 32, 8],
      [16, 16, 16],
      [16, 16, 16],
      [8, 8, 32],
      [8, 8, 32],
      [8, 8, 32],
      [8, 8, 32],
      [4, 4, 64],
    ]);
    expect((model.predict(random.tensorUniform([3, 32, 32, 3], 0, 1)) as tf.Tensor).shape).toEqual([3, 10]);
  });

  it('counts parameters as the architecture implies (width 16: RedNet-26 469,855)', () => {
    expect(parameterCounts(createModel('rednet-26'))).toEqual({
      total: 469_855,
      trainable: 462_071,
      nonTrainable: 7_784,
    });
    // Width scales the count roughly quadratically.
    const small = parameterCounts(rednet({ depth: 26, width: 8 })).total;
    expect(small).toBeGreaterThan(469_855 / 5);
    expect(small).toBeLessThan(469_855 / 3);
  });

  it('rejects an unknown depth, naming the valid ones', () => {
    expect(() => rednet({ depth: 18 as never })).toThrow('rednet: depth must be one of 26, 38, 50, got 18');
  });
});
