import { posix } from 'node:path';
import { list } from 'tar';
import { DataError } from '../errors.js';
import { BATCHES_DIR } from './format.js';
import type { FileSource } from './read_split.js';

/**
 * The official files inside `cifar-10-binary.tar.gz`, streamed once through gunzip and the tar parser; only the
 * entries in `wanted` are kept in memory. `help` ends a missing-file error.
 */
export async function archiveSource(
  archive: string,
  wanted: readonly string[],
  help: string,
): Promise<FileSource> {
  const entries = new Map<string, Uint8Array>();
  try {
    await list({
      file: archive,
      strict: true,
      onReadEntry(entry) {
        const name = entryName(entry.path);
        if (entry.type !== 'File' || name === undefined || !wanted.includes(name)) return;
        // Chunks kept as they come (a corrupt header's size is not trusted to size a buffer); a size other than
        // the official one is reported by the decoder.
        const chunks: Buffer[] = [];
        entry.on('data', (chunk: Buffer) => chunks.push(chunk));
        entry.on('end', () => entries.set(name, Buffer.concat(chunks)));
      },
    });
  } catch (error) {
    throw new DataError(
      'BAD_ARCHIVE',
      `${archive} is not a readable cifar-10-binary.tar.gz: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const describe = (file: string): string => `${archive}:${BATCHES_DIR}/${file}`;
  return {
    describe,
    async read(file) {
      const bytes = entries.get(file);
      if (bytes === undefined) {
        throw new DataError('MISSING_DATA', `${archive} has no entry ${BATCHES_DIR}/${file}. ${help}`);
      }
      return bytes;
    },
  };
}

/** The file name of an entry of the official archive (`cifar-10-batches-bin/<name>`), else undefined. */
function entryName(path: string): string | undefined {
  const normal = posix.normalize(path);
  return posix.dirname(normal) === BATCHES_DIR ? posix.basename(normal) : undefined;
}
