import { DataError } from '../errors.js';
import { Md5 } from '../md5.js';
import type { ProgressCallback } from '../progress.js';
import { BATCHES_DIR, META_FILE } from './format.js';
import type { FileSource } from './read_split.js';
import { TarReader } from './tar_reader.js';

const SLICE = 1 << 20;

/** A file the visitor picked or dropped: a Blob with a name (and, from a folder, its relative path). */
export interface NamedBlob extends Blob {
  readonly name: string;
  readonly webkitRelativePath?: string;
}

/** Where a picked file lives, for messages: its path inside the picked folder, else its name. */
export function blobPath(file: NamedBlob): string {
  return file.webkitRelativePath || file.name;
}

/** A source over in-memory files by official name; `describe` names them, `missing` ends a missing-file error. */
function memorySource(
  files: ReadonlyMap<string, Uint8Array>,
  describe: (file: string) => string,
  missing: string,
): FileSource {
  return {
    describe,
    read(file) {
      const bytes = files.get(file);
      if (bytes === undefined) {
        return Promise.reject(new DataError('MISSING_DATA', `${describe(file)} is missing. ${missing}`));
      }
      return Promise.resolve(bytes);
    },
  };
}

/**
 * The official files inside `cifar-10-binary.tar.gz` as a Blob (a dropped or picked file), streamed once through
 * the browser's gunzip (`DecompressionStream`, which checks the gzip CRC) and a tar reader (which checks every
 * header's checksum); only the entries in `wanted` are kept. Progress counts the compressed bytes read; the
 * archive's MD5 is computed on the way.
 */
export async function archiveBlobSource(
  archive: NamedBlob,
  wanted: readonly string[],
  options: { signal?: AbortSignal | undefined; onProgress?: ProgressCallback | undefined } = {},
): Promise<{ source: FileSource; md5: string }> {
  const where = blobPath(archive);
  const tar = new TarReader(where, (path) => {
    const parts = path.split('/');
    return parts.length === 2 && parts[0] === BATCHES_DIR && wanted.includes(parts[1]!);
  });
  // Read in 1 MiB slices (not `stream()`, whose chunking varies by runtime): steady progress, little held.
  let loaded = 0;
  const md5 = new Md5();
  const counted = new ReadableStream<Uint8Array<ArrayBuffer>>({
    async pull(controller) {
      if (loaded >= archive.size) return controller.close();
      const bytes = new Uint8Array(await archive.slice(loaded, loaded + SLICE).arrayBuffer());
      loaded += bytes.length;
      md5.update(bytes);
      options.onProgress?.({ phase: 'read', loaded, total: archive.size });
      controller.enqueue(bytes);
    },
  });
  try {
    const reader = counted.pipeThrough(new DecompressionStream('gzip')).getReader();
    for (;;) {
      options.signal?.throwIfAborted();
      const { done, value } = await reader.read();
      if (done) break;
      tar.push(value);
    }
  } catch (error) {
    if (error instanceof DataError || options.signal?.aborted) throw error;
    throw new DataError(
      'BAD_ARCHIVE',
      `${where} is not a readable cifar-10-binary.tar.gz (gunzip failed after ${loaded.toLocaleString('en-US')} of ${archive.size.toLocaleString('en-US')} bytes: ${(error as Error).message}); expected the official archive, whole`,
      { cause: error },
    );
  }
  const entries = tar.finish();
  const files = new Map([...entries].map(([path, bytes]) => [path.slice(BATCHES_DIR.length + 1), bytes]));
  const source = memorySource(
    files,
    (file) => `${where}:${BATCHES_DIR}/${file}`,
    `${where} should hold the official ${BATCHES_DIR}/ folder`,
  );
  return { source, md5: md5.hex() };
}

/**
 * The official files among `files` (a picked or dropped `cifar-10-batches-bin` folder), by file name; only the
 * `wanted` ones are read.
 */
export async function folderBlobSource(
  files: readonly NamedBlob[],
  wanted: readonly string[],
): Promise<FileSource> {
  const byName = new Map<string, NamedBlob>();
  for (const file of files) {
    const name = file.name.split('/').at(-1)!;
    if (wanted.includes(name)) byName.set(name, file);
  }
  const picked = files[0] === undefined ? '' : blobPath(files[0]);
  const folder = picked.includes('/') ? picked.slice(0, picked.lastIndexOf('/') + 1) : '';
  const describe = (file: string): string => {
    const found = byName.get(file);
    return found === undefined ? `${folder}${file}` : blobPath(found);
  };
  const read = new Map<string, Uint8Array>();
  for (const [name, file] of byName) read.set(name, new Uint8Array(await file.arrayBuffer()));
  return memorySource(
    read,
    describe,
    `Pick the official ${BATCHES_DIR} folder (data_batch_1..5.bin, test_batch.bin, ${META_FILE}) or cifar-10-binary.tar.gz`,
  );
}
