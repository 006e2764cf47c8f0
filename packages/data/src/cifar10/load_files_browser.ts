import {
  badOption,
  integer,
  optionalFunction,
  optionalSignal,
  optionalString,
  optionsObject,
} from '../check.js';
import { DataError } from '../errors.js';
import type { ProgressCallback } from '../progress.js';
import { archiveBlobSource, folderBlobSource, type NamedBlob } from './blob_source.js';
import type { Cifar10Dataset } from './dataset.js';
import { META_FILE, RECORDS_PER_FILE, splitFiles, type Cifar10Split } from './format.js';
import { readSplit, type FileSource } from './read_split.js';

export interface LoadCifar10FilesOptions {
  /**
   * The visitor's files: the official `cifar-10-binary.tar.gz` (a `File`, or a list holding only it), or the
   * files of a picked or dropped `cifar-10-batches-bin` folder.
   */
  readonly files: NamedBlob | readonly NamedBlob[];
  /** Keep only the first `trainLimit` training images (file order); all 50,000 when undefined. */
  readonly trainLimit?: number;
  /** Keep only the first `testLimit` test images; all 10,000 when undefined. */
  readonly testLimit?: number;
  /** The MD5 an archive must have (e.g. {@link CIFAR10_MD5}): another is a `CHECKSUM_MISMATCH`. Default: any. */
  readonly md5?: string;
  readonly signal?: AbortSignal;
  /** The compressed bytes read of an archive, or the batch files read of a folder. */
  readonly onProgress?: ProgressCallback;
}

/** Both splits, and the archive's MD5 when they came from an archive (undefined for a folder). */
export interface Cifar10Files {
  readonly train: Cifar10Dataset;
  readonly test: Cifar10Dataset;
  readonly archiveMd5: string | undefined;
}

/** Whether `name` is a gzipped tar by its name (the official `cifar-10-binary.tar.gz`, or any `.tgz`). */
function isArchiveName(name: string): boolean {
  return /\.(tar\.gz|tgz)$/i.test(name);
}

/** The files a split's first `limit` records need. */
function neededFiles(split: Cifar10Split, limit: number | undefined): readonly string[] {
  const files = splitFiles(split);
  return limit === undefined ? files : files.slice(0, Math.ceil(limit / RECORDS_PER_FILE));
}

/**
 * Loads both CIFAR-10 splits in the browser from the visitor's own files, with no server: the official archive
 * is streamed once through gunzip and a tar reader (keeping only the batch files the limits need), a folder's
 * files are read directly. Every file is checked as `loadCifar10` checks it (sizes, labels, class names); a
 * damaged archive is a `BAD_ARCHIVE` naming it.
 */
export async function loadCifar10Files(options: LoadCifar10FilesOptions): Promise<Cifar10Files> {
  const where = 'loadCifar10Files';
  const o = optionsObject(where, options);
  const list: readonly NamedBlob[] | undefined =
    o.files instanceof Blob ? [o.files] : Array.isArray(o.files) ? o.files : undefined;
  const expected = 'a File (cifar-10-binary.tar.gz) or the Files of a cifar-10-batches-bin folder';
  if (list === undefined || list.length === 0 || !list.every((f) => f instanceof Blob))
    throw badOption(where, 'files', expected, o.files);
  const trainLimit = o.trainLimit === undefined ? undefined : integer(where, 'trainLimit', o.trainLimit, 0);
  const testLimit = o.testLimit === undefined ? undefined : integer(where, 'testLimit', o.testLimit, 0);
  const signal = optionalSignal(where, o.signal);
  const onProgress = optionalFunction(where, 'onProgress', o.onProgress);
  const md5 = optionalString(where, 'md5', o.md5, 'an MD5 as 32 hex digits')?.toLowerCase();
  const wanted = [META_FILE, ...neededFiles('train', trainLimit), ...neededFiles('test', testLimit)];
  const archive = list.length === 1 && isArchiveName(list[0]!.name);
  let source: FileSource;
  let archiveMd5: string | undefined;
  if (archive) {
    ({ source, md5: archiveMd5 } = await archiveBlobSource(list[0]!, wanted, { signal, onProgress }));
    if (md5 !== undefined && archiveMd5 !== md5)
      throw new DataError('CHECKSUM_MISMATCH', `${list[0]!.name} has MD5 ${archiveMd5}; expected ${md5}`);
  } else source = await folderBlobSource(list, wanted);
  const progress = archive ? undefined : onProgress;
  return {
    train: await readSplit(source, { split: 'train', limit: trainLimit, signal, onProgress: progress }),
    test: await readSplit(source, { split: 'test', limit: testLimit, signal, onProgress: progress }),
    archiveMd5,
  };
}
