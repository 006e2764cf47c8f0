import { describe, expect, it } from 'vitest';
import { summarize } from '../src/index.js';

describe('summarize', () => {
  it('gives the middle sample of an odd count, whatever the order', () => {
    expect(summarize([5, 1, 9, 3, 7])).toEqual({ medianMs: 5, minMs: 1, maxMs: 9 });
  });

  it('gives the mean of the middle two of an even count', () => {
    expect(summarize([4, 1, 10, 2])).toEqual({ medianMs: 3, minMs: 1, maxMs: 10 });
  });

  it('handles a single sample and leaves its input unsorted', () => {
    const samples = [3, 1, 2];
    expect(summarize([42])).toEqual({ medianMs: 42, minMs: 42, maxMs: 42 });
    summarize(samples);
    expect(samples).toEqual([3, 1, 2]);
  });

  it('refuses an empty sample with a clear error', () => {
    expect(() => summarize([])).toThrow(/no samples/);
  });
});
