import type * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import type { ReferenceArray } from '../../src/testing/index.js';

/** Largest |a−b| relative to the reference's largest magnitude (sums over hundreds of terms). */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let diff = 0;
  let scale = 1e-6;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return diff / scale;
}

/** A tensor's values in float64, for the references. */
export const ref = (t: tf.Tensor): ReferenceArray => ({
  data: Float64Array.from(t.dataSync()),
  shape: t.shape,
});
