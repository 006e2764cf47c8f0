import { DataError } from '../errors.js';
import type { FileSource } from './read_split.js';

/** The official files served under `baseUrl` (a folder URL), read with `fetch` as ArrayBuffers. */
export function fetchSource(baseUrl: string, fetchImpl: typeof fetch = globalThis.fetch): FileSource {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const describe = (file: string): string => new URL(file, base).href;
  return {
    describe,
    async read(file, signal) {
      const url = describe(file);
      const response = await fetchImpl(url, { signal: signal ?? null });
      if (!response.ok) {
        throw new DataError(
          'MISSING_DATA',
          `CIFAR-10 file ${url} could not be fetched (HTTP ${response.status}); serve the files of the official ` +
            `cifar-10-batches-bin folder (data_batch_1..5.bin, test_batch.bin, batches.meta.txt) under ${base}`,
        );
      }
      return new Uint8Array(await response.arrayBuffer());
    },
  };
}
