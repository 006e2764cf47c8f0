// The Train page's pure parts, in Node: the built-in subset's layout and the confusion matrix.
import { describe, expect, it } from 'vitest';
import { CLASS_NAMES, type Cifar10Dataset } from '@inv/data';
import { confusionMatrix } from '../src/train/confusion.js';
import { decodeSubset, encodeSubset, subsetBytes } from '../src/train/subset_format.js';

function split(name: 'train' | 'test', size: number, salt: number): Cifar10Dataset {
  return {
    split: name,
    size,
    images: Uint8Array.from({ length: size * 3072 }, (_, i) => (i * 31 + salt) % 256),
    labels: Uint8Array.from({ length: size }, (_, i) => (i * 7 + salt) % 10),
    classNames: CLASS_NAMES,
  };
}

describe('the built-in subset', () => {
  it('decodes to exactly the splits it was encoded from', () => {
    const [train, test] = [split('train', 5, 1), split('test', 3, 2)];
    const bytes = encodeSubset(train, test);
    expect(bytes.length).toBe(subsetBytes(5, 3));
    expect(bytes.length).toBe(8 * 3073);
    const decoded = decodeSubset(bytes, { train: 5, test: 3 }, CLASS_NAMES, 'subset.bin');
    for (const [got, want] of [
      [decoded.train, train],
      [decoded.test, test],
    ] as const) {
      expect(got.size).toBe(want.size);
      expect(Array.from(got.labels)).toEqual(Array.from(want.labels));
      expect(Buffer.from(got.images).equals(Buffer.from(want.images))).toBe(true);
    }
    // 3,000 + 1,000 images: the size the site states.
    expect(subsetBytes(3000, 1000)).toBe(12_292_000);
  });

  it('names the asset, its size and the expected one when it is cut or its labels are out of range', () => {
    const bytes = encodeSubset(split('train', 2, 0), split('test', 1, 0));
    expect(() => decodeSubset(bytes.subarray(1), { train: 2, test: 1 }, CLASS_NAMES, 'subset.bin')).toThrow(
      'subset.bin has 9,218 bytes; expected 9,219 (2 training and 1 test images): rebuild the site',
    );
    bytes[1] = 12;
    expect(() => decodeSubset(bytes, { train: 2, test: 1 }, CLASS_NAMES, 'subset.bin')).toThrow(
      'subset.bin: train label 1 is 12; expected 0..9',
    );
  });
});

describe('confusionMatrix', () => {
  it('counts each true class by predicted class', () => {
    const matrix = confusionMatrix([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2], 3);
    expect(matrix).toEqual([
      [1, 1, 0],
      [0, 1, 0],
      [1, 0, 2],
    ]);
  });
});
