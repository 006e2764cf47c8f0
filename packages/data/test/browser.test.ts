import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError, loadCifar10 } from '../src/browser.js';
import { CLASS_NAMES, randomBatchFile } from './helpers/fixtures.js';
import { serve } from './helpers/server.js';
import { useTestSeed } from './helpers/seed.js';

const random = useTestSeed('browser.test.ts');

const src = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

/** Every module the browser entry reaches through relative imports, and the bare modules they import. */
function browserGraph(): { files: Set<string>; bare: Set<string> } {
  const files = new Set<string>();
  const bare = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(
      /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*'([^']+)'/g,
    )) {
      if (spec!.startsWith('.')) visit(join(dirname(file), spec!.replace(/\.js$/, '.ts')));
      else bare.add(spec!);
    }
  };
  visit(join(src, 'browser.ts'));
  return { files, bare };
}

describe('browser entry', () => {
  it('reaches no Node-only module', () => {
    const { files, bare } = browserGraph();
    expect(files.size).toBeGreaterThan(5);
    expect([...bare].sort()).toEqual(['@tensorflow/tfjs', '@tensorflow/tfjs-core']);
  });

  const test = randomBatchFile(random);
  const meta = new TextEncoder().encode(CLASS_NAMES.join('\n'));
  const served = serve({
    '/data/test_batch.bin': { body: test, range: true },
    '/data/batches.meta.txt': { body: meta, range: true },
  });
  afterAll(async () => (await served).close());

  it('loads a split over fetch with the shared decoder', async () => {
    const { url } = await served;
    const progress: number[] = [];
    const ds = await loadCifar10({
      url: `${url}/data`,
      split: 'test',
      limit: 500,
      onProgress: (p) => progress.push(p.loaded),
    });
    expect(ds.size).toBe(500);
    expect(ds.classNames).toEqual(CLASS_NAMES);
    expect(ds.labels[499]).toBe(test[499 * 3073]);
    // record 499, pixel (31, 31): the last byte of each plane
    const last = 499 * 3073 + 1 + 1023;
    expect([...ds.images.subarray(500 * 3072 - 3)]).toEqual([
      test[last],
      test[last + 1024],
      test[last + 2048],
    ]);
    expect(progress).toEqual([30_730_000]);
  });

  it('names the URL of a file the server does not have', async () => {
    const { url } = await served;
    const error = await loadCifar10({ url: `${url}/data/`, split: 'train' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).code).toBe('MISSING_DATA');
    expect((error as DataError).message).toContain(`${url}/data/data_batch_1.bin`);
    expect((error as DataError).message).toContain('HTTP 404');
  });
});
