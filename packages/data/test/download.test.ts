import { existsSync } from 'node:fs';
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DataError, defaultCacheRoot, loadCifar10 } from '../src/index.js';
import type { Progress } from '../src/index.js';
import {
  makeArchive,
  randomBatchFile,
  removeTempDirs,
  tempDir,
  writeBatchesDir,
} from './helpers/fixtures.js';
import { serve } from './helpers/server.js';
import type { Route, Served } from './helpers/server.js';
import { useTestSeed } from './helpers/seed.js';

const random = useTestSeed('download.test.ts');

let archive: { bytes: Buffer; md5: string };
let other: { bytes: Buffer; md5: string };
let test: Uint8Array;
const servers: Served[] = [];

beforeAll(async () => {
  test = randomBatchFile(random);
  const root = await tempDir();
  await writeBatchesDir(root, { 'test_batch.bin': test });
  archive = await makeArchive(root, join(root, 'cifar-10-binary.tar.gz'));
  const otherRoot = await tempDir();
  await writeBatchesDir(otherRoot, { 'test_batch.bin': randomBatchFile(random) });
  other = await makeArchive(otherRoot, join(otherRoot, 'cifar-10-binary.tar.gz'));
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

afterAll(removeTempDirs);

async function server(route: Partial<Route>): Promise<Served> {
  const served = await serve({ '/cifar-10-binary.tar.gz': { body: archive.bytes, range: true, ...route } });
  servers.push(served);
  return served;
}

/** The rejection of `promise`, which must be a DataError. */
async function rejection(promise: Promise<unknown>): Promise<DataError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DataError);
  return error as DataError;
}

/** What the cache folder holds after a load: only ever the complete archive (or a `.part` in progress). */
async function cacheFiles(cacheDir: string): Promise<string[]> {
  const dir = join(cacheDir, 'cifar10');
  return existsSync(dir) ? (await readdir(dir)).sort() : [];
}

function expectTestSplit(images: Uint8Array, labels: Uint8Array): void {
  expect(labels[0]).toBe(test[0]);
  expect(labels[9_999]).toBe(test[9_999 * 3073]);
  // pixel (0, 0) of record 0: R, G, B from the three planes
  expect([...images.subarray(0, 3)]).toEqual([test[1], test[1 + 1024], test[1 + 2048]]);
}

describe('download into the cache', () => {
  it('downloads, verifies, caches atomically, and then loads from the cache without the network', async () => {
    const s = await server({});
    const cacheDir = await tempDir();
    const progress: Progress[] = [];
    const ds = await loadCifar10({
      split: 'test',
      download: true,
      url: `${s.url}/cifar-10-binary.tar.gz`,
      md5: archive.md5,
      cacheDir,
      onProgress: (p) => progress.push(p),
    });
    expectTestSplit(ds.images, ds.labels);
    expect(await cacheFiles(cacheDir)).toEqual(['cifar-10-binary.tar.gz']);
    expect((await stat(join(cacheDir, 'cifar10', 'cifar-10-binary.tar.gz'))).size).toBe(archive.bytes.length);
    const downloads = progress.filter((p) => p.phase === 'download');
    expect(downloads.at(-1)).toEqual({
      phase: 'download',
      loaded: archive.bytes.length,
      total: archive.bytes.length,
    });
    expect(progress.at(-1)).toMatchObject({ phase: 'read' });

    const again = await loadCifar10({
      split: 'test',
      download: true,
      url: `${s.url}/cifar-10-binary.tar.gz`,
      cacheDir,
    });
    expectTestSplit(again.images, again.labels);
    expect(s.log).toHaveLength(1);
  });

  it('takes the address from INV_CIFAR10_URL and the cache from INV_CACHE_DIR', async () => {
    const s = await server({});
    const cacheDir = await tempDir();
    vi.stubEnv('INV_CIFAR10_URL', `${s.url}/cifar-10-binary.tar.gz`);
    vi.stubEnv('INV_CACHE_DIR', cacheDir);
    await loadCifar10({ split: 'test', limit: 10, download: true, md5: archive.md5 });
    expect(await cacheFiles(cacheDir)).toEqual(['cifar-10-binary.tar.gz']);
  });

  it('rejects an MD5 mismatch with expected and got, and caches nothing', async () => {
    const s = await server({ body: other.bytes });
    const cacheDir = await tempDir();
    const error = await rejection(
      loadCifar10({
        split: 'test',
        download: true,
        url: `${s.url}/cifar-10-binary.tar.gz`,
        md5: archive.md5,
        cacheDir,
      }),
    );
    expect(error.code).toBe('CHECKSUM_MISMATCH');
    expect(error.message).toContain(`expected ${archive.md5}`);
    expect(error.message).toContain(`is ${other.md5}`);
    expect(await cacheFiles(cacheDir)).toEqual([]);
  });

  it('keeps a cut-off download as a partial, never as complete, and resumes it with a Range request', async () => {
    const s = await server({ cuts: 1 });
    const cacheDir = await tempDir();
    const options = {
      split: 'test',
      download: true,
      url: `${s.url}/cifar-10-binary.tar.gz`,
      md5: archive.md5,
      cacheDir,
    } as const;
    const error = await rejection(loadCifar10({ ...options, retries: 0 }));
    expect(error.code).toBe('DOWNLOAD_TRUNCATED');
    // The cut lands about halfway (bytes in flight at the reset may be lost): the message counts what arrived.
    const match = /stopped after ([\d,]+) of ([\d,]+) bytes/.exec(error.message);
    expect(match?.[2]).toBe(archive.bytes.length.toLocaleString('en-US'));
    const received = Number(match![1]!.replaceAll(',', ''));
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThanOrEqual(archive.bytes.length / 2);
    expect((await stat(join(cacheDir, 'cifar10', 'cifar-10-binary.tar.gz.part'))).size).toBe(received);
    expect(await cacheFiles(cacheDir)).toEqual(['cifar-10-binary.tar.gz.part']);
    // Without download permission the partial is not data.
    expect((await rejection(loadCifar10({ ...options, download: false }))).code).toBe('MISSING_DATA');

    const ds = await loadCifar10(options);
    expectTestSplit(ds.images, ds.labels);
    expect(s.log.map((r) => [r.range, r.status])).toEqual([
      [undefined, 200],
      [`bytes=${received}-`, 206],
    ]);
    expect(await cacheFiles(cacheDir)).toEqual(['cifar-10-binary.tar.gz']);
  });

  it('resumes within one call (retries) when the connection drops', async () => {
    const s = await server({ cuts: 2 });
    const cacheDir = await tempDir();
    const ds = await loadCifar10({
      split: 'test',
      download: true,
      url: `${s.url}/cifar-10-binary.tar.gz`,
      md5: archive.md5,
      cacheDir,
    });
    expectTestSplit(ds.images, ds.labels);
    expect(s.log.map((r) => r.status)).toEqual([200, 206, 206]);
  });

  it('restarts from byte 0 when the server ignores Range', async () => {
    const s = await server({ cuts: 1, range: false });
    const cacheDir = await tempDir();
    const ds = await loadCifar10({
      split: 'test',
      download: true,
      url: `${s.url}/cifar-10-binary.tar.gz`,
      md5: archive.md5,
      cacheDir,
    });
    expectTestSplit(ds.images, ds.labels);
    expect(s.log.map((r) => [r.range === undefined, r.status])).toEqual([
      [true, 200],
      [false, 200],
    ]);
  });

  it('finishes a partial that is already complete (416) without downloading again', async () => {
    const s = await server({});
    const cacheDir = await tempDir();
    const dir = join(cacheDir, 'cifar10');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'cifar-10-binary.tar.gz.part'), archive.bytes);
    await loadCifar10({
      split: 'test',
      limit: 1,
      download: true,
      url: `${s.url}/cifar-10-binary.tar.gz`,
      md5: archive.md5,
      cacheDir,
    });
    expect(s.log.map((r) => r.status)).toEqual([416]);
    expect(await cacheFiles(cacheDir)).toEqual(['cifar-10-binary.tar.gz']);
  });

  it('reports HTTP errors and unreachable servers', async () => {
    const s = await server({});
    const cacheDir = await tempDir();
    const missing = await rejection(
      loadCifar10({ split: 'test', download: true, url: `${s.url}/nope.tar.gz`, cacheDir }),
    );
    expect(missing.code).toBe('DOWNLOAD_FAILED');
    expect(missing.message).toContain('HTTP 404');
    await s.close();
    const refused = await rejection(
      loadCifar10({ split: 'test', download: true, url: `${s.url}/cifar-10-binary.tar.gz`, cacheDir }),
    );
    expect(refused.code).toBe('DOWNLOAD_FAILED');
    expect(await cacheFiles(cacheDir)).toEqual([]);
  });
});

describe('defaultCacheRoot', () => {
  it('is INV_CACHE_DIR, else $XDG_CACHE_HOME/inv, else ~/.cache/inv', () => {
    expect(defaultCacheRoot({ INV_CACHE_DIR: '/a', XDG_CACHE_HOME: '/b' })).toBe('/a');
    expect(defaultCacheRoot({ XDG_CACHE_HOME: '/b' })).toBe('/b/inv');
    expect(defaultCacheRoot({})).toMatch(/\.cache\/inv$/);
  });
});
