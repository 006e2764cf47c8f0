/**
 * A damaged copy of the data either loads exactly as the intact one or fails with a DataError that names the
 * damaged file (never a raw TypeError, never a silently different result): files truncated, extended,
 * deleted, replaced by folders, labels pushed out of range, the meta file altered, the archive truncated and
 * its bytes flipped at seeded random places. (Pixel bytes carry no checksum in the official format: a flipped
 * pixel of an unpacked folder loads as it is.)
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataError, loadCifar10 } from '../src/index.js';
import type { Cifar10Dataset } from '../src/index.js';
import {
  CLASS_NAMES,
  RECORD,
  RECORDS,
  makeArchive,
  randomBatchFile,
  removeTempDirs,
  tempDir,
  writeBatchesDir,
} from './helpers/fixtures.js';
import { useTestSeed } from './helpers/seed.js';

const random = useTestSeed('corrupt.test.ts');
const int = (n: number): number => Math.floor(random() * n);

const BATCH = 'test_batch.bin';
const META = 'batches.meta.txt';
const META_TEXT = `${CLASS_NAMES.join('\n')}\n`;

let batch: Uint8Array;
let archive: Uint8Array;
let intact: Cifar10Dataset;
let cache: string;

beforeAll(async () => {
  batch = randomBatchFile(random);
  const root = await tempDir();
  await writeBatchesDir(root, { [BATCH]: batch });
  archive = (await makeArchive(root, join(root, 'cifar-10-binary.tar.gz'))).bytes;
  cache = await tempDir('inv-empty-cache-');
  intact = await loadCifar10({ dir: root, split: 'test', cacheDir: cache });
});

afterAll(removeTempDirs);

/** Loads the test split from `dir`; a failure must be a DataError whose message names `file`. */
async function loadOrNamedError(dir: string, file: string): Promise<Cifar10Dataset | DataError> {
  try {
    return await loadCifar10({ dir, split: 'test', cacheDir: cache });
  } catch (error) {
    expect(error, String(error)).toBeInstanceOf(DataError);
    expect((error as DataError).message).toContain(file);
    return error as DataError;
  }
}

/** The error of loading a folder with `files` (name → bytes, or 'folder'), which must name `damaged`. */
async function folderError(
  files: Record<string, Uint8Array | string | 'folder'>,
  damaged: string,
): Promise<DataError> {
  const dir = join(await tempDir(), 'cifar-10-batches-bin');
  await mkdir(dir);
  for (const [name, content] of Object.entries(files)) {
    if (content === 'folder') await mkdir(join(dir, name));
    else await writeFile(join(dir, name), content);
  }
  const result = await loadOrNamedError(dir, join(dir, damaged));
  expect(result).toBeInstanceOf(DataError);
  return result as DataError;
}

const expectSame = (got: Cifar10Dataset): void => {
  expect(got.size).toBe(intact.size);
  expect(Buffer.from(got.labels).equals(Buffer.from(intact.labels))).toBe(true);
  expect(Buffer.from(got.images).equals(Buffer.from(intact.images))).toBe(true);
  expect(got.classNames).toEqual(intact.classNames);
};

describe('a damaged folder fails naming the file', () => {
  it('batch file truncated, extended, empty: BAD_FILE_SIZE with the sizes', async () => {
    for (const length of [int(batch.length), batch.length - 1 - int(RECORD), 0]) {
      const error = await folderError({ [META]: META_TEXT, [BATCH]: batch.subarray(0, length) }, BATCH);
      expect(error.code).toBe('BAD_FILE_SIZE');
      expect(error.message).toContain(`${length.toLocaleString('en-US')} bytes`);
    }
    const longer = new Uint8Array(batch.length + 1 + int(RECORD));
    longer.set(batch);
    expect((await folderError({ [META]: META_TEXT, [BATCH]: longer }, BATCH)).code).toBe('BAD_FILE_SIZE');
  });

  it('a label byte out of range: BAD_LABEL with the record', async () => {
    for (let n = 0; n < 5; n++) {
      const record = int(RECORDS);
      const bytes = batch.slice();
      bytes[record * RECORD] = 10 + int(246);
      const error = await folderError({ [META]: META_TEXT, [BATCH]: bytes }, BATCH);
      expect(error.code).toBe('BAD_LABEL');
      expect(error.message).toContain(`record ${record} `);
    }
  });

  it('a file missing, or a folder in its place: MISSING_DATA / UNREADABLE_FILE', async () => {
    expect((await folderError({ [META]: META_TEXT }, BATCH)).code).toBe('MISSING_DATA');
    expect((await folderError({ [BATCH]: batch }, META)).code).toBe('MISSING_DATA');
    expect((await folderError({ [META]: META_TEXT, [BATCH]: 'folder' }, BATCH)).code).toBe('UNREADABLE_FILE');
    expect((await folderError({ [META]: 'folder', [BATCH]: batch }, META)).code).toBe('UNREADABLE_FILE');
  });

  it('the meta file with a flipped byte or truncated: BAD_META, or unchanged', async () => {
    const meta = new TextEncoder().encode(META_TEXT);
    for (let n = 0; n < 12; n++) {
      const bytes = meta.slice(0, n < 4 ? int(meta.length) : meta.length);
      const at = int(bytes.length);
      if (n >= 4) bytes[at] = bytes[at]! ^ (1 << int(8));
      const dir = join(await tempDir(), 'cifar-10-batches-bin');
      await mkdir(dir);
      await writeFile(join(dir, META), bytes);
      await writeFile(join(dir, BATCH), batch);
      const result = await loadOrNamedError(dir, join(dir, META));
      if (result instanceof DataError) expect(result.code).toBe('BAD_META');
      else expectSame(result);
    }
  });
});

describe('a damaged archive fails naming the archive', () => {
  const load = async (bytes: Uint8Array): Promise<void> => {
    const path = join(await tempDir(), 'cifar-10-binary.tar.gz');
    await writeFile(path, bytes);
    const result = await loadOrNamedError(path, path);
    if (!(result instanceof DataError)) expectSame(result);
    await rm(path);
  };

  it('truncated anywhere', async () => {
    for (let n = 0; n < 4; n++) await load(archive.subarray(0, int(archive.length)));
  });

  it('with a flipped bit anywhere: an error naming it, or the same data', async () => {
    for (let n = 0; n < 10; n++) {
      const bytes = archive.slice();
      // Half the flips in the gzip header and the first blocks, where the parsers are most exposed.
      const at = n % 2 === 0 ? int(Math.min(bytes.length, 1024)) : int(bytes.length);
      bytes[at] = bytes[at]! ^ (1 << int(8));
      await load(bytes);
    }
  });

  it('replaced by a batch file: an error naming it', async () => {
    const path = join(await tempDir(), 'cifar-10-binary.tar.gz');
    await writeFile(path, batch);
    expect(await loadOrNamedError(path, path)).toBeInstanceOf(DataError);
  });
});
