import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataError } from '../errors.js';
import type { FileSource } from './read_split.js';

/** The official files in a folder. `help` ends a missing-file error: where else was looked, how to get the data. */
export function directorySource(dir: string, help: string): FileSource {
  return {
    describe: (file) => join(dir, file),
    async read(file, signal) {
      const path = join(dir, file);
      try {
        return await readFile(path, { signal });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (signal?.aborted) throw error;
        if (code === 'ENOENT') {
          throw new DataError(
            'MISSING_DATA',
            `CIFAR-10 file ${path} not found (${dir} lacks ${file}). ${help}`,
            {
              cause: error,
            },
          );
        }
        // Node's own messages (EISDIR, EACCES, EIO...) name the system call but not the file.
        throw new DataError(
          'UNREADABLE_FILE',
          `CIFAR-10 file ${path} could not be read (expected a readable file): ${(error as Error).message}`,
          { cause: error },
        );
      }
    },
  };
}
