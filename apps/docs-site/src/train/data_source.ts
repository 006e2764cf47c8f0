import {
  CIFAR10_MD5,
  CLASS_NAMES,
  loadCifar10Files,
  type Cifar10Dataset,
  type ProgressCallback,
} from '@inv/data/browser';
import { decodeSubset, type SubsetInfo } from './subset_format.js';

export interface LoadedData {
  /** Says where the images came from, for the page. */
  readonly source: string;
  /** What was verified beyond the format checks (an archive's MD5), or ''. */
  readonly verified: string;
  readonly train: Cifar10Dataset;
  readonly test: Cifar10Dataset;
}

/** Images kept from the visitor's own copy: the first training batch file, and as many test images as built in. */
export const OWN_TRAIN_LIMIT = 10_000;
export const OWN_TEST_LIMIT = 1_000;

/** Fetches the subset built into the site, reporting the bytes received. */
export async function loadBuiltIn(info: SubsetInfo, onProgress: ProgressCallback): Promise<LoadedData> {
  const response = await fetch(info.url);
  if (!response.ok || response.body === null)
    throw new Error(
      `${info.url}: HTTP ${response.status}; the built-in CIFAR-10 subset could not be fetched`,
    );
  const bytes = new Uint8Array(info.bytes);
  let loaded = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (loaded + value.length > bytes.length)
      throw new Error(
        `${info.url} is larger than the ${info.bytes.toLocaleString('en-US')} bytes built in: rebuild the site`,
      );
    bytes.set(value, loaded);
    loaded += value.length;
    onProgress({ phase: 'download', loaded, total: info.bytes });
  }
  const { train, test } = decodeSubset(bytes.subarray(0, loaded), info, CLASS_NAMES, info.url);
  return {
    verified: '',
    source: `the built-in subset (${info.train.toLocaleString('en-US')} training and ${info.test.toLocaleString('en-US')} test images, ${(info.bytes / 1e6).toFixed(1)} MB)`,
    train,
    test,
  };
}

/** Reads the visitor's files: `cifar-10-binary.tar.gz`, or the files of a `cifar-10-batches-bin` folder. */
export async function loadOwn(files: readonly File[], onProgress: ProgressCallback): Promise<LoadedData> {
  const { train, test, archiveMd5 } = await loadCifar10Files({
    files,
    trainLimit: OWN_TRAIN_LIMIT,
    testLimit: OWN_TEST_LIMIT,
    onProgress,
  });
  const what = files.length === 1 ? files[0]!.name : `${files.length} files of a folder`;
  // A repacked archive (another gzip level, another tar) holds the same files under another MD5: it is read,
  // and its files are checked as the official ones; the page says which it is.
  const verified =
    archiveMd5 === undefined
      ? ''
      : archiveMd5 === CIFAR10_MD5
        ? `Its MD5 is the official archive's (${CIFAR10_MD5}).`
        : `Its MD5 ${archiveMd5} is not the official archive's (${CIFAR10_MD5}): a repacked copy, whose files passed the format checks.`;
  return {
    verified,
    source: `${what} (the first ${train.size.toLocaleString('en-US')} training and ${test.size.toLocaleString('en-US')} test images)`,
    train,
    test,
  };
}

/** Every file of a drop: files as they are, folders walked (a dropped `cifar-10-batches-bin`). */
export async function droppedFiles(transfer: DataTransfer): Promise<File[]> {
  const entries = Array.from(transfer.items, (item) => item.webkitGetAsEntry()).filter(
    (entry): entry is FileSystemEntry => entry !== null,
  );
  if (entries.length === 0) return Array.from(transfer.files);
  const files: File[] = [];
  const walk = async (entry: FileSystemEntry): Promise<void> => {
    if (entry.isFile) {
      files.push(
        await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject)),
      );
      return;
    }
    const reader = (entry as FileSystemDirectoryEntry).createReader();
    for (;;) {
      const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
        reader.readEntries(resolve, reject),
      );
      if (batch.length === 0) break;
      for (const child of batch) await walk(child);
    }
  };
  for (const entry of entries) await walk(entry);
  return files;
}
