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
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        throw new DataError(
          'MISSING_DATA',
          `CIFAR-10 file ${path} not found (${dir} lacks ${file}). ${help}`,
          {
            cause: error,
          },
        );
      }
    },
  };
}
