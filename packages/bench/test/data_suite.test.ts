import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useTestSeed } from '@inv/core/testing';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { DATA_TARGET_IMAGES_PER_SECOND, dataDirOf, dataSuite, QUICK_IMAGES } from '../src/index.js';
import { smokeRun } from './helpers/smoke_run.js';

const RECORD = 3073;
const random = useTestSeed('data_suite.test.ts', beforeEach);

/** One official-format training file (label byte + 3 planes of 32×32 per record) and the class names. */
function writeBatchesDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'inv-bench-data-'));
  const bytes = new Uint8Array(QUICK_IMAGES * RECORD);
  for (let i = 0; i < bytes.length; i++) bytes[i] = random.int(256);
  for (let r = 0; r < QUICK_IMAGES; r++) bytes[r * RECORD] = bytes[r * RECORD]! % 10;
  writeFileSync(join(dir, 'data_batch_1.bin'), bytes);
  writeFileSync(
    join(dir, 'batches.meta.txt'),
    'airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n',
  );
  return dir;
}

const dir = writeBatchesDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (dataDir: string) => smokeRun(dataSuite, ['cpu'], { dataDir, maxCaseMs: 0 });

describe('data suite', () => {
  it('finds the data from --data-dir, then INV_CIFAR10_DIR, then the workspace default', () => {
    expect(dataDirOf({ quick: false, dataDir: '/a' }, { INV_CIFAR10_DIR: '/b' })).toBe('/a');
    expect(dataDirOf({ quick: false }, { INV_CIFAR10_DIR: '/b' })).toBe('/b');
    expect(dataDirOf({ quick: false }, {})).toMatch(/shared\/datasets\/cifar10\/cifar-10-batches-bin$/);
  });

  it('measures loading and an epoch with and without augmentation, in images/s, against the target', async () => {
    const report = await run(dir);
    expect(report.results.map((r) => [r.impl, r.mode, r.status])).toEqual([
      ['loadCifar10', 'load', 'ok'],
      ['batchIterator', 'epoch', 'ok'],
      ['batchIterator+augment', 'epoch', 'ok'],
    ]);
    for (const row of report.results) {
      if (row.status !== 'ok') continue;
      expect(row.imagesPerSecond).toBeCloseTo(QUICK_IMAGES / (row.timing.medianMs / 1000), 6);
    }
    expect(report.throughput).toHaveLength(3);
    for (const t of report.throughput) {
      expect(t.minImagesPerSecond).toBe(DATA_TARGET_IMAGES_PER_SECOND);
      expect(t.met).toBe(t.imagesPerSecond! >= DATA_TARGET_IMAGES_PER_SECOND);
    }
  });

  it('gives a row per case saying where it looked when there is no data', async () => {
    const missing = join(dir, 'nowhere');
    const report = await run(missing);
    expect(report.results).toHaveLength(3);
    for (const row of report.results) {
      expect(row.status === 'unavailable' && row.reason).toBe(
        `no CIFAR-10 data: ${missing} does not exist (set INV_CIFAR10_DIR or pass --data-dir)`,
      );
    }
    expect(report.throughput.every((t) => t.met === null)).toBe(true);
  });
});
