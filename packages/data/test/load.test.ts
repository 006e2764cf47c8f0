import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DataError, loadCifar10 } from '../src/index.js';
import type { Cifar10Dataset } from '../src/index.js';
import {
  CLASS_NAMES,
  RECORD,
  RECORDS,
  makeArchive,
  officialPixel,
  randomBatchFile,
  removeTempDirs,
  tempDir,
  writeBatchesDir,
} from './helpers/fixtures.js';
import { useTestSeed } from './helpers/seed.js';

const random = useTestSeed('load.test.ts');

const TRAIN = [
  'data_batch_1.bin',
  'data_batch_2.bin',
  'data_batch_3.bin',
  'data_batch_4.bin',
  'data_batch_5.bin',
];

/** Counts every pixel and label of `dataset` that differs from `files` read the official way (planes → NHWC). */
function mismatches(dataset: Cifar10Dataset, files: Uint8Array[]): number {
  let bad = 0;
  for (let n = 0; n < dataset.size; n++) {
    const file = files[Math.floor(n / RECORDS)]!;
    const r = n % RECORDS;
    if (dataset.labels[n] !== file[r * RECORD]) bad++;
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        for (let c = 0; c < 3; c++) {
          if (dataset.images[((n * 32 + y) * 32 + x) * 3 + c] !== officialPixel(file, r, y, x, c)) bad++;
        }
      }
    }
  }
  return bad;
}

/** The rejection of `promise`, which must be a DataError. */
async function dataError(promise: Promise<unknown>): Promise<DataError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DataError);
  return error as DataError;
}

let root: string;
let dir: string;
let train: Uint8Array[];
let test: Uint8Array;

beforeAll(async () => {
  root = await tempDir();
  train = TRAIN.map(() => randomBatchFile(random));
  test = randomBatchFile(random);
  dir = await writeBatchesDir(root, {
    ...Object.fromEntries(TRAIN.map((name, i) => [name, train[i]!])),
    'test_batch.bin': test,
  });
});

afterEach(() => {
  vi.unstubAllEnvs();
});

afterAll(removeTempDirs);

const noCache = async (): Promise<string> => tempDir('inv-empty-cache-');

describe('loadCifar10 from a directory', () => {
  it('round-trips every pixel and label of the test split (R, G, B planes → NHWC)', async () => {
    const ds = await loadCifar10({ dir, split: 'test', cacheDir: await noCache() });
    expect(ds.split).toBe('test');
    expect(ds.size).toBe(10_000);
    expect(ds.images.length).toBe(10_000 * 32 * 32 * 3);
    expect(ds.classNames).toEqual(CLASS_NAMES);
    expect(mismatches(ds, [test])).toBe(0);
  });

  it('reads the five training files in order', async () => {
    const ds = await loadCifar10({ dir, cacheDir: await noCache() });
    expect(ds.split).toBe('train');
    expect(ds.size).toBe(50_000);
    expect(mismatches(ds, train)).toBe(0);
  });

  it('accepts the folder that contains cifar-10-batches-bin, and honours limit', async () => {
    const ds = await loadCifar10({ dir: root, limit: 12_345, cacheDir: await noCache() });
    expect(ds.size).toBe(12_345);
    expect(mismatches(ds, train)).toBe(0);
    expect((await loadCifar10({ dir, limit: 0, cacheDir: await noCache() })).size).toBe(0);
    expect((await loadCifar10({ dir, split: 'test', limit: 99_999, cacheDir: await noCache() })).size).toBe(
      10_000,
    );
  });

  it('takes dir over INV_CIFAR10_DIR, and INV_CIFAR10_DIR over the cache', async () => {
    const other = await tempDir();
    const otherTest = randomBatchFile(random);
    await writeBatchesDir(other, { 'test_batch.bin': otherTest });
    vi.stubEnv('INV_CIFAR10_DIR', other);
    expect(mismatches(await loadCifar10({ dir, split: 'test', limit: 100 }), [test])).toBe(0);
    expect(
      mismatches(await loadCifar10({ split: 'test', limit: 100, cacheDir: await noCache() }), [otherTest]),
    ).toBe(0);
  });

  it('reads the official .tar.gz directly, streaming', async () => {
    const archiveRoot = await tempDir();
    await writeBatchesDir(archiveRoot, { 'test_batch.bin': test });
    const archive = join(archiveRoot, 'cifar-10-binary.tar.gz');
    await makeArchive(archiveRoot, archive);
    const ds = await loadCifar10({ dir: archive, split: 'test', cacheDir: await noCache() });
    expect(ds.classNames).toEqual(CLASS_NAMES);
    expect(mismatches(ds, [test])).toBe(0);
    const missing = await dataError(loadCifar10({ dir: archive, split: 'train', cacheDir: await noCache() }));
    expect(missing.code).toBe('MISSING_DATA');
    expect(missing.message).toContain('cifar-10-batches-bin/data_batch_1.bin');
  });
});

describe('loadCifar10 errors', () => {
  it('names every path looked at and how to get the data when nothing is found', async () => {
    const cache = await noCache();
    vi.stubEnv('INV_CIFAR10_DIR', '/nonexistent/env-dir');
    const error = await dataError(loadCifar10({ dir: '/nonexistent/option-dir', cacheDir: cache }));
    expect(error.code).toBe('MISSING_DATA');
    expect(error.message).toContain('/nonexistent/option-dir (dir option)');
    expect(error.message).toContain('/nonexistent/env-dir (INV_CIFAR10_DIR)');
    expect(error.message).toContain(join(cache, 'cifar10', 'cifar-10-binary.tar.gz'));
    expect(error.message).toMatch(/INV_CIFAR10_DIR.*download: true/s);
  });

  it('names the missing file of an incomplete folder', async () => {
    const partial = await tempDir();
    const partialDir = await writeBatchesDir(partial, { 'data_batch_1.bin': train[0]! });
    const error = await dataError(loadCifar10({ dir: partial, cacheDir: await noCache() }));
    expect(error.code).toBe('MISSING_DATA');
    expect(error.message).toContain(join(partialDir, 'data_batch_2.bin'));
    expect(error.message).toContain('download: true');
  });

  it('names the file and its size when it is not 10,000 × 3,073 bytes', async () => {
    const bad = await tempDir();
    const badDir = await writeBatchesDir(bad, { 'test_batch.bin': test.subarray(0, RECORD * 9_999) });
    const error = await dataError(loadCifar10({ dir: bad, split: 'test', limit: 5 }));
    expect(error.code).toBe('BAD_FILE_SIZE');
    expect(error.message).toContain(join(badDir, 'test_batch.bin'));
    expect(error.message).toContain('30,726,927 bytes');
    expect(error.message).toContain('30,730,000');
  });

  it('names the file and record of a label above 9', async () => {
    const bad = await tempDir();
    const bytes = test.slice();
    bytes[7 * RECORD] = 10;
    const badDir = await writeBatchesDir(bad, { 'test_batch.bin': bytes });
    const error = await dataError(loadCifar10({ dir: bad, split: 'test' }));
    expect(error.code).toBe('BAD_LABEL');
    expect(error.message).toContain(join(badDir, 'test_batch.bin'));
    expect(error.message).toContain('record 7');
    expect(error.message).toContain('label 10');
  });

  it('rejects a meta file without 10 class names, a bad split and a bad limit', async () => {
    const bad = await tempDir();
    const badDir = await writeBatchesDir(bad, { 'test_batch.bin': test });
    await writeFile(join(badDir, 'batches.meta.txt'), 'cat\ndog\n');
    expect((await dataError(loadCifar10({ dir: bad, split: 'test' }))).code).toBe('BAD_META');
    expect((await dataError(loadCifar10({ dir, split: 'val' as 'test' }))).code).toBe('BAD_OPTION');
    expect((await dataError(loadCifar10({ dir, split: 'test', limit: -1 }))).code).toBe('BAD_OPTION');
  });

  it('reports a truncated archive as unreadable', async () => {
    const archiveRoot = await tempDir();
    await writeBatchesDir(archiveRoot, { 'test_batch.bin': test });
    const archive = join(archiveRoot, 'cifar-10-binary.tar.gz');
    const { bytes } = await makeArchive(archiveRoot, archive);
    await writeFile(archive, bytes.subarray(0, bytes.length >> 1));
    const error = await dataError(loadCifar10({ dir: archive, split: 'test' }));
    expect(error.code).toBe('BAD_ARCHIVE');
    expect(error.message).toContain(archive);
  });
});
