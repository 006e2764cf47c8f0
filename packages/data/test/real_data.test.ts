import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CIFAR10_STATS, channelStats, loadCifar10 } from '../src/index.js';
import type { Cifar10Dataset } from '../src/index.js';
import { CLASS_NAMES } from './helpers/fixtures.js';

// The real data sits beside the repository (never committed): <repo>/../shared/datasets/cifar10/cifar-10-batches-bin.
const dir = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../../shared/datasets/cifar10/cifar-10-batches-bin',
);
const present = existsSync(dir);
if (!present) console.warn(`[@inv/data] real CIFAR-10 tests skipped: ${dir} is absent`);

function perClass(ds: Cifar10Dataset): number[] {
  const counts = new Array<number>(10).fill(0);
  for (const label of ds.labels) counts[label]!++;
  return counts;
}

describe.skipIf(!present)('real CIFAR-10', () => {
  it('has 50,000 training and 10,000 test images, balanced, with the official class names', async () => {
    const train = await loadCifar10({ dir });
    const test = await loadCifar10({ dir, split: 'test' });
    expect(train.size).toBe(50_000);
    expect(test.size).toBe(10_000);
    expect(perClass(train)).toEqual(new Array(10).fill(5_000));
    expect(perClass(test)).toEqual(new Array(10).fill(1_000));
    expect(train.classNames).toEqual(CLASS_NAMES);

    const stats = channelStats(train);
    for (let c = 0; c < 3; c++) {
      expect(Math.abs(stats.mean[c]! - CIFAR10_STATS.mean[c]!)).toBeLessThan(0.02);
      expect(Math.abs(stats.std[c]! - CIFAR10_STATS.std[c]!)).toBeLessThan(0.02);
    }
    expect(stats.mean[0]).toBeGreaterThan(stats.mean[2]);
  });
});
