/** Reading a run's files: every error names the file and what it was expected to hold. */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

/** Why a file operation failed, in words: `EISDIR (it is a folder)`. */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const words: Record<string, string> = {
    ENOENT: 'it does not exist',
    EISDIR: 'it is a folder, not a file',
    ENOTDIR: 'a part of its path is a file, not a folder',
    EACCES: 'permission denied',
    ENOSPC: 'no space left on the device',
    EDQUOT: 'disk quota exceeded',
    EROFS: 'read-only file system',
  };
  return code !== undefined && code in words ? `${code}: ${words[code]}` : (error as Error).message;
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The bytes of `path`; `missing`, when given, replaces the error for a file that does not exist. */
export async function readRunFile(
  path: string,
  expected: string,
  options: { missing?: string } = {},
): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    if (options.missing !== undefined && (error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new Error(options.missing);
    throw new Error(`cannot read ${path} (expected ${expected}): ${describeFsError(error)}`);
  }
}

/** The bytes of `path`, or null when it does not exist (an optional file of a run). */
export async function readOptionalRunFile(path: string, expected: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`cannot read ${path} (expected ${expected}): ${describeFsError(error)}`);
  }
}

/** Parses `path` as JSON, naming the file when it is empty or not JSON. */
export function parseJson(text: string, path: string, expected: string): unknown {
  if (text.trim() === '') throw new Error(`${path} is empty; expected ${expected} (JSON)`);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`${path} is not valid JSON (expected ${expected}): ${(error as Error).message}`);
  }
}

export async function readJsonFile(
  path: string,
  expected: string,
  options: { missing?: string } = {},
): Promise<unknown> {
  return parseJson((await readRunFile(path, expected, options)).toString('utf8'), path, expected);
}
