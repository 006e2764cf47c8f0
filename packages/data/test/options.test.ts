/**
 * Wrong option types and values in @inv/data's public functions fail with a BAD_OPTION DataError naming the
 * function, the option, the value and what was expected: never a TypeError, never a silent default.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  DataError,
  batchIterator,
  channelStats,
  loadCifar10,
  mulberry32,
  normalizationTable,
  shuffledIndices,
  toTfDataset,
} from '../src/index.js';
import type { Cifar10Dataset } from '../src/index.js';
import { loadCifar10 as loadCifar10Browser } from '../src/browser.js';

/** The error of `run` (sync throw or rejection), which must be a BAD_OPTION DataError. */
async function badOption(run: () => unknown): Promise<string> {
  let error: unknown;
  try {
    await run();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(DataError);
  expect((error as DataError).code).toBe('BAD_OPTION');
  return (error as DataError).message;
}

const load = loadCifar10 as (options?: unknown) => Promise<unknown>;
const loadBrowser = loadCifar10Browser as (options?: unknown) => Promise<unknown>;

const dataset: Cifar10Dataset = {
  split: 'test',
  size: 2,
  images: new Uint8Array(2 * 3072),
  labels: new Uint8Array([3, 9]),
  classNames: [],
};

describe('loadCifar10 (Node) options', () => {
  it.each([
    [{ dir: 42 }, 'loadCifar10: dir must be a non-empty path', 'got 42'],
    [{ dir: '' }, 'loadCifar10: dir must be a non-empty path', 'got ""'],
    [{ dir: ['a'] }, 'dir must be', 'got an array of length 1'],
    [{ cacheDir: '' }, 'cacheDir must be a non-empty path', 'got ""'],
    [{ limit: '5' }, 'limit must be an integer ≥ 0', 'got "5"'],
    [{ limit: 2.5 }, 'limit must be an integer ≥ 0', 'got 2.5'],
    [{ download: 'yes' }, 'download must be true or false', 'got "yes"'],
    [
      { url: 'ftp://x/cifar.tar.gz' },
      'url must be an absolute http: or https: URL',
      'got "ftp://x/cifar.tar.gz"',
    ],
    [{ url: 'not a url' }, 'url must be an absolute http: or https: URL', 'got "not a url"'],
    [{ md5: 'abc' }, 'md5 must be 32 hex digits', 'got "abc"'],
    [{ retries: -1 }, 'retries must be an integer ≥ 0', 'got -1'],
    [{ signal: {} }, 'signal must be an AbortSignal', 'got an object'],
    [{ onProgress: 'log' }, 'onProgress must be a function', 'got "log"'],
  ])('%j', async (options, expected, got) => {
    const message = await badOption(() => load(options));
    expect(message).toContain(expected);
    expect(message).toContain(got);
  });

  it('names a bad INV_CIFAR10_URL when it comes to downloading', async () => {
    vi.stubEnv('INV_CIFAR10_URL', 'not a url');
    vi.stubEnv('INV_CIFAR10_DIR', '');
    const cacheDir = mkdtempSync(join(tmpdir(), 'inv-options-'));
    try {
      const error = await load({ download: true, cacheDir }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DataError);
      expect((error as DataError).message).toContain('cannot download "not a url"');
    } finally {
      vi.unstubAllEnvs();
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });

  it('rejects options that are not an object, and a bad split', async () => {
    expect(await badOption(() => load('dir'))).toContain('loadCifar10: options must be an object');
    expect(await badOption(() => load({ split: 'val' }))).toContain(
      "split must be 'train' or 'test', got \"val\"",
    );
  });
});

describe('loadCifar10 (browser) options', () => {
  it('needs a parseable url and checks the rest', async () => {
    expect(await badOption(() => loadBrowser('http://x/'))).toContain(
      'loadCifar10: options must be an object',
    );
    expect(await badOption(() => loadBrowser())).toContain('url must be the folder URL');
    expect(await badOption(() => loadBrowser({}))).toContain('url must be the folder URL');
    expect(await badOption(() => loadBrowser({ url: '' }))).toContain('url must be a non-empty folder URL');
    expect(await badOption(() => loadBrowser({ url: 'data/' }))).toContain('url must be an absolute URL');
    expect(await badOption(() => loadBrowser({ url: 'http://x/', fetch: 1 }))).toContain(
      'fetch must be a function',
    );
    expect(await badOption(() => loadBrowser({ url: 'http://x/', limit: -1 }))).toContain('limit must be');
  });
});

describe('batch options', () => {
  it.each([
    [{ batchSize: '32' }, 'batchSize must be an integer ≥ 1, got "32"'],
    [{ shuffle: 1 }, 'shuffle must be true or false, got 1'],
    [{ dropRemainder: 'no' }, 'dropRemainder must be true or false, got "no"'],
    [{ augment: 4 }, 'augment must be true, false or { padding?, flip?, cutout? }, got 4'],
    [{ augment: { padding: -2 } }, 'augment.padding must be an integer ≥ 0, got -2'],
    [{ augment: { flip: 'yes' } }, 'augment.flip must be true or false, got "yes"'],
    [
      { normalization: 'zscore' },
      "normalization must be 'scale', 'standardize' or { mean: [r, g, b], std: [r, g, b] }",
    ],
    [{ normalization: { mean: [0, 0], std: [1, 1, 1] } }, 'normalization needs 3 finite means'],
    [{ labels: 'sparse' }, "labels must be 'int32' or 'oneHot', got \"sparse\""],
    [{ firstBatch: 1.5 }, 'firstBatch must be an integer ≥ 0, got 1.5'],
  ])('batchIterator %j', async (options, expected) => {
    const message = await badOption(() => batchIterator(dataset, options as never));
    expect(message).toContain(expected);
  });

  it('toTfDataset checks the same options and both check the dataset', async () => {
    expect(await badOption(() => toTfDataset(dataset, { prefetch: -1 }))).toContain(
      'toTfDataset: prefetch must be an integer ≥ 0, got -1',
    );
    expect(await badOption(() => batchIterator(dataset, 'fast' as never))).toContain(
      'batchIterator: options must be an object',
    );
    expect(await badOption(() => batchIterator(undefined as never))).toContain(
      'batchIterator: dataset must be',
    );
    expect(await badOption(() => toTfDataset({ ...dataset, images: new Uint8Array(5) }))).toContain(
      'dataset.images must be a Uint8Array of size × 3072 = 6144 bytes, got a Uint8Array of length 5',
    );
    const badLabel = { ...dataset, labels: new Uint8Array([3, 12]) };
    const error = (() => {
      try {
        batchIterator(badLabel);
      } catch (e) {
        return e as DataError;
      }
      return undefined;
    })();
    expect(error?.code).toBe('BAD_LABEL');
    expect(error?.message).toContain('dataset.labels[1] is 12');
  });
});

describe('the other public functions', () => {
  it('check their arguments', async () => {
    expect(await badOption(() => normalizationTable(undefined as never))).toContain(
      'normalizationTable: normalization must be',
    );
    expect(await badOption(() => channelStats({} as Cifar10Dataset))).toContain(
      'channelStats: dataset.images must be a Uint8Array of RGB pixels',
    );
    expect(await badOption(() => mulberry32('7' as never))).toContain('mulberry32: seed must be an integer');
    expect(await badOption(() => mulberry32(2 ** 32))).toContain('seed must be an integer in [-2^31, 2^32)');
    expect(await badOption(() => shuffledIndices(-1, 0))).toContain(
      'shuffledIndices: n must be an integer ≥ 0, got -1',
    );
  });
});
