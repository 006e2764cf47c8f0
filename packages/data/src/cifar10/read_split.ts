import type { ProgressCallback } from '../progress.js';
import type { Cifar10Dataset } from './dataset.js';
import { decodeBatchFile, decodeClassNames } from './decode.js';
import { FILE_BYTES, META_FILE, PIXELS_PER_IMAGE, RECORDS_PER_FILE, splitFiles } from './format.js';
import type { Cifar10Split } from './format.js';

/** Where the files of the official layout come from: a folder, an archive, a web server. */
export interface FileSource {
  /** Where `file` lives (a path or URL), for messages. */
  describe(file: string): string;
  /** The bytes of `file` (a name of the official layout); a missing file is a specific `DataError`. */
  read(file: string, signal?: AbortSignal): Promise<Uint8Array>;
}

export interface ReadSplitOptions {
  readonly split: Cifar10Split;
  /** Keep only the first `limit` records of the split (file order); all when undefined. */
  readonly limit?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ProgressCallback | undefined;
}

/** Reads and decodes one split from `source`, touching only the batch files the limit needs. */
export async function readSplit(source: FileSource, options: ReadSplitOptions): Promise<Cifar10Dataset> {
  const files = splitFiles(options.split);
  const size = recordCount(files.length * RECORDS_PER_FILE, options.limit);
  const needed = files.slice(0, Math.ceil(size / RECORDS_PER_FILE));
  const images = new Uint8Array(size * PIXELS_PER_IMAGE);
  const labels = new Uint8Array(size);
  const total = needed.length * FILE_BYTES;

  const classNames = decodeClassNames(
    await source.read(META_FILE, options.signal),
    source.describe(META_FILE),
  );
  for (const [i, file] of needed.entries()) {
    options.signal?.throwIfAborted();
    const offset = i * RECORDS_PER_FILE;
    const bytes = await source.read(file, options.signal);
    decodeBatchFile(
      bytes,
      source.describe(file),
      Math.min(RECORDS_PER_FILE, size - offset),
      images,
      labels,
      offset,
    );
    options.onProgress?.({ phase: 'read', loaded: (i + 1) * FILE_BYTES, total });
  }
  return { split: options.split, size, images, labels, classNames };
}

/** Records to read: all `available`, or the first `limit` (checked by the loaders). */
function recordCount(available: number, limit: number | undefined): number {
  return limit === undefined ? available : Math.min(limit, available);
}
