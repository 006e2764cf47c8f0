/**
 * Atomic writes: readers see the old file (folder) or the whole new one. A failed write removes its temporary
 * `NAME.tmp-PID-TIME` and says which path could not be written and why (ENOSPC, EISDIR...).
 */
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { describeFsError } from './files.js';

/** The marker of temporary siblings: a crash can leave them behind, and run folders ignore them. */
export const TEMP_MARKER = '.tmp-';

const tempPath = (path: string) => `${path}${TEMP_MARKER}${process.pid}-${Date.now()}`;

async function failed(path: string, temp: string, error: unknown): Promise<never> {
  await rm(temp, { recursive: true, force: true });
  throw new Error(`cannot write ${path}: ${describeFsError(error)}`, { cause: error });
}

/** Writes `data` to `path` so that readers see the old file or the whole new one, never a partial one. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temp = tempPath(path);
  try {
    await mkdir(dirname(path), { recursive: true });
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await failed(path, temp, error);
  }
}

/**
 * Creates directory `path` (which must not exist yet) from what `fill` writes into a temporary sibling, so the
 * directory appears complete or not at all.
 */
export async function writeDirAtomic(path: string, fill: (tempDir: string) => Promise<void>): Promise<void> {
  const temp = tempPath(path);
  try {
    await mkdir(temp, { recursive: true });
    await fill(temp);
    await rename(temp, path);
  } catch (error) {
    await failed(path, temp, error);
  }
}
