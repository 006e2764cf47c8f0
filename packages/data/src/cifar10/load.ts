import { mkdir, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultCacheRoot } from '../download/cache.js';
import {
  badOption,
  integer,
  optionalBoolean,
  optionalFunction,
  optionalSignal,
  optionalString,
  optionsObject,
} from '../check.js';
import { downloadVerified } from '../download/download.js';
import { DataError } from '../errors.js';
import type { ProgressCallback } from '../progress.js';
import { archiveSource } from './archive_source.js';
import type { Cifar10Dataset } from './dataset.js';
import { directorySource } from './directory_source.js';
import { ARCHIVE_FILE, BATCHES_DIR, CIFAR10_MD5, CIFAR10_URL, META_FILE, splitFiles } from './format.js';
import type { Cifar10Split } from './format.js';
import { readSplit } from './read_split.js';
import type { FileSource } from './read_split.js';

export interface LoadCifar10Options {
  /** Default 'train' (data_batch_1..5.bin, 50,000 images); 'test' is test_batch.bin (10,000). */
  readonly split?: Cifar10Split;
  /** Keep only the first `limit` images (file order); only the batch files they need are decoded. */
  readonly limit?: number;
  /**
   * The data: the `cifar-10-batches-bin` folder, a folder that contains it, or `cifar-10-binary.tar.gz`.
   * Tried first; then `INV_CIFAR10_DIR`, then the cache. An empty string is an error, not the current folder.
   */
  readonly dir?: string;
  /** Download the official archive into the cache when no local copy exists. Default false. */
  readonly download?: boolean;
  /** Archive address. Default `INV_CIFAR10_URL`, else {@link CIFAR10_URL}. */
  readonly url?: string;
  /** Expected MD5 of the downloaded archive. Default {@link CIFAR10_MD5}. */
  readonly md5?: string;
  /** Cache root (the archive goes to `<cacheDir>/cifar10/`). Default `INV_CACHE_DIR`, `$XDG_CACHE_HOME/inv`, `~/.cache/inv`. */
  readonly cacheDir?: string;
  /** Further download attempts after a cut-off transfer, each resuming with a Range request. Default 3. */
  readonly retries?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: ProgressCallback;
}

interface Candidate {
  readonly path: string;
  readonly origin: string;
}

/**
 * Loads one CIFAR-10 split in Node from the first place that has it: `dir`, `INV_CIFAR10_DIR`, the cache; else,
 * when `download` is set, from the official archive, downloaded (resumably), MD5-verified and cached.
 */
export async function loadCifar10(options?: LoadCifar10Options): Promise<Cifar10Dataset> {
  const o = checkedOptions(options);
  const split = o.split ?? 'train';
  const wanted = [...splitFiles(split), META_FILE];
  const cacheDir = join(o.cacheDir ?? defaultCacheRoot(), 'cifar10');
  const cached = join(cacheDir, ARCHIVE_FILE);
  const url = o.url ?? (process.env['INV_CIFAR10_URL'] || CIFAR10_URL);
  const candidates: Candidate[] = [];
  if (o.dir !== undefined) candidates.push({ path: resolve(o.dir), origin: 'dir option' });
  const envDir = process.env['INV_CIFAR10_DIR'];
  if (envDir) candidates.push({ path: resolve(envDir), origin: 'INV_CIFAR10_DIR' });
  candidates.push({ path: cached, origin: 'cache' });

  const help =
    `Looked at: ${candidates.map((c) => `${c.path} (${c.origin})`).join(', ')}. ` +
    `To get the data: pass { dir } (the ${BATCHES_DIR} folder or ${ARCHIVE_FILE}), set INV_CIFAR10_DIR, ` +
    `or pass { download: true } to fetch ${url} into ${cacheDir}.`;
  const read = (source: FileSource): Promise<Cifar10Dataset> =>
    readSplit(source, {
      split,
      limit: o.limit,
      signal: o.signal,
      onProgress: o.onProgress,
    });

  for (const candidate of candidates) {
    const found = await statOrUndefined(candidate.path);
    if (found === undefined) continue;
    if (found.isFile()) return read(await archiveSource(candidate.path, wanted, help));
    // Accept the folder the archive unpacks to as well as the folder it was unpacked in.
    const inner = join(candidate.path, BATCHES_DIR);
    const dir = (await statOrUndefined(inner))?.isDirectory() ? inner : candidate.path;
    return read(directorySource(dir, help));
  }
  if (o.download !== true) {
    throw new DataError('MISSING_DATA', `CIFAR-10 not found. ${help}`);
  }
  await mkdir(cacheDir, { recursive: true });
  await downloadVerified({
    url,
    dest: cached,
    md5: o.md5 ?? CIFAR10_MD5,
    retries: o.retries,
    signal: o.signal,
    onProgress: o.onProgress,
  });
  return read(await archiveSource(cached, wanted, help));
}

/** Every option checked for its type and range (see check.ts); undefined ones stay undefined. */
function checkedOptions(options: LoadCifar10Options | undefined): LoadCifar10Options {
  const where = 'loadCifar10';
  const o = optionsObject(where, options);
  const url = optionalString(where, 'url', o.url, 'http(s) URL');
  if (url !== undefined && !isHttpUrl(url)) {
    throw badOption(where, 'url', 'an absolute http: or https: URL', url);
  }
  const md5 = optionalString(where, 'md5', o.md5, 'MD5');
  if (md5 !== undefined && !/^[0-9a-f]{32}$/i.test(md5)) throw badOption(where, 'md5', '32 hex digits', md5);
  return {
    split: o.split,
    limit: o.limit === undefined ? undefined : integer(where, 'limit', o.limit, 0),
    dir: optionalString(
      where,
      'dir',
      o.dir,
      `path (the ${BATCHES_DIR} folder, a folder containing it, or ${ARCHIVE_FILE})`,
    ),
    download: optionalBoolean(where, 'download', o.download),
    url,
    md5,
    cacheDir: optionalString(where, 'cacheDir', o.cacheDir, 'path'),
    retries: o.retries === undefined ? undefined : integer(where, 'retries', o.retries, 0),
    signal: optionalSignal(where, o.signal),
    onProgress: optionalFunction(where, 'onProgress', o.onProgress),
  };
}

function isHttpUrl(url: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(url).protocol);
  } catch {
    return false;
  }
}

/** What is at `path`, or undefined when nothing is (ENOTDIR: a file stands where a folder was expected). */
async function statOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new DataError('UNREADABLE_FILE', `${path} could not be examined: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
