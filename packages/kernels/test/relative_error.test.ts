import { describe, expect, it } from 'vitest';
import { relativeError } from '../src/testing/index.js';

describe('relativeError (@inv/kernels/testing)', () => {
  it('is the largest difference over the largest reference magnitude', () => {
    expect(relativeError([1, 2.5, -4], [1, 2, -5])).toBeCloseTo(1 / 5, 12);
    expect(relativeError([3, 3], [3, 3])).toBe(0);
  });

  it('divides by the floor where the reference is smaller', () => {
    expect(relativeError([2e-7], [1e-7])).toBeCloseTo(1e-7 / 1e-6, 12);
    expect(relativeError([0.011], [0.001], 1e-2)).toBeCloseTo(0.01 / 1e-2, 12);
  });

  it('names mismatched lengths', () => {
    expect(() => relativeError([1, 2], [1])).toThrow('relativeError: 2 values against a reference of 1');
  });
});
