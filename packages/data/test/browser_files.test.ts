/**
 * The browser's loader of the visitor's own files (`loadCifar10Files`): the official archive streamed through
 * `DecompressionStream` and the tar reader, or a picked folder's files, each loading exactly what the Node loader
 * loads from the same files; a damaged archive fails with a BAD_ARCHIVE (or another DataError) naming it.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataError, loadCifar10Files, type Cifar10Dataset } from '../src/browser.js';
import { loadCifar10 } from '../src/index.js';
import {
  CLASS_NAMES,
  makeArchive,
  randomBatchFile,
  removeTempDirs,
  tempDir,
  writeBatchesDir,
} from './helpers/fixtures.js';
import { useTestSeed } from './helpers/seed.js';

const random = useTestSeed('browser_files.test.ts');
const int = (n: number): number => Math.floor(random() * n);

const ARCHIVE = 'cifar-10-binary.tar.gz';
let folder: string;
let archive: Uint8Array;
let archiveMd5: string;
let train: Cifar10Dataset;
let test: Cifar10Dataset;

beforeAll(async () => {
  const root = await tempDir();
  folder = await writeBatchesDir(root, {
    'data_batch_1.bin': randomBatchFile(random),
    'test_batch.bin': randomBatchFile(random),
  });
  ({ bytes: archive, md5: archiveMd5 } = await makeArchive(root, join(root, ARCHIVE)));
  train = await loadCifar10({ dir: folder, split: 'train', limit: 300 });
  test = await loadCifar10({ dir: folder, split: 'test', limit: 10_000 });
});

afterAll(removeTempDirs);

const archiveFile = (bytes: Uint8Array, name = ARCHIVE) => new File([Uint8Array.from(bytes)], name);

const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

function expectSame(loaded: { train: Cifar10Dataset; test: Cifar10Dataset }): void {
  expect(loaded.train.size).toBe(300);
  expect(same(loaded.train.images, train.images)).toBe(true);
  expect(same(loaded.train.labels, train.labels)).toBe(true);
  expect(loaded.test.size).toBe(10_000);
  expect(same(loaded.test.images, test.images)).toBe(true);
  expect(same(loaded.test.labels, test.labels)).toBe(true);
  expect(loaded.test.classNames).toEqual(CLASS_NAMES);
}

/** Loads `bytes` as a dropped archive: the same data, or a DataError naming the archive. */
async function loadOrNamedError(bytes: Uint8Array): Promise<DataError | undefined> {
  try {
    expectSame(await loadCifar10Files({ files: archiveFile(bytes), trainLimit: 300 }));
    return undefined;
  } catch (error) {
    expect(error, String(error)).toBeInstanceOf(DataError);
    expect((error as DataError).message).toContain(ARCHIVE);
    return error as DataError;
  }
}

describe('loadCifar10Files', () => {
  it('streams the official archive once, keeping only the files the limits need, with progress', async () => {
    const progress: number[] = [];
    const loaded = await loadCifar10Files({
      files: [archiveFile(archive)],
      trainLimit: 300,
      onProgress: (p) => {
        expect(p.total).toBe(archive.length);
        progress.push(p.loaded);
      },
    });
    expectSame(loaded);
    // The MD5 computed on the way, and checked when one is given.
    expect(loaded.archiveMd5).toBe(archiveMd5);
    const checked = await loadCifar10Files({ files: archiveFile(archive), trainLimit: 300, md5: archiveMd5 });
    expect(checked.archiveMd5).toBe(archiveMd5);
    const wrong = await loadCifar10Files({
      files: archiveFile(archive),
      md5: 'c32a1d4ab5d03f1284b67883e8d87530',
    }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(DataError);
    expect((wrong as DataError).code).toBe('CHECKSUM_MISMATCH');
    expect((wrong as DataError).message).toBe(
      `${ARCHIVE} has MD5 ${archiveMd5}; expected c32a1d4ab5d03f1284b67883e8d87530`,
    );
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toBe(archive.length);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it("reads a picked folder's files by name", async () => {
    const names = ['batches.meta.txt', 'data_batch_1.bin', 'test_batch.bin'];
    const files = await Promise.all(
      names.map(async (name) => new File([await readFile(join(folder, name))], name)),
    );
    const loaded = await loadCifar10Files({ files, trainLimit: 300 });
    expectSame(loaded);
    expect(loaded.archiveMd5).toBeUndefined();
    const error = await loadCifar10Files({ files: files.slice(0, 2), trainLimit: 300 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).code).toBe('MISSING_DATA');
    expect((error as DataError).message).toContain('test_batch.bin is missing');
  });

  it('says which archive is cut off, and where', async () => {
    for (let n = 0; n < 4; n++) {
      const error = await loadOrNamedError(archive.subarray(0, 1 + int(archive.length - 1)));
      expect(error?.code).toBe('BAD_ARCHIVE');
    }
    // Cut inside the tar stream's first batch file, past the gzip header: the tar reader says where.
    const error = await loadOrNamedError(archive.subarray(0, archive.length >> 2));
    expect(error?.message).toMatch(/cut off|gunzip failed/);
  });

  it('with a flipped bit anywhere: an error naming it, or the same data', async () => {
    let errors = 0;
    for (let n = 0; n < 8; n++) {
      const bytes = archive.slice();
      const at = n % 2 === 0 ? int(Math.min(bytes.length, 1024)) : int(bytes.length);
      bytes[at] = bytes[at]! ^ (1 << int(8));
      if ((await loadOrNamedError(bytes)) !== undefined) errors++;
    }
    // Most flips land in the deflate stream, whose CRC-32 catches them.
    expect(errors).toBeGreaterThan(0);
  });

  it('names a file that is no archive, and a bad option', async () => {
    const error = await loadOrNamedError(new TextEncoder().encode('not an archive at all'));
    expect(error?.code).toBe('BAD_ARCHIVE');
    await expect(loadCifar10Files({ files: [] })).rejects.toThrow(/files/);
  });
});
