/**
 * The CIFAR-10 files a run reads, fingerprinted: config.json records the SHA-256 of each, and resuming,
 * evaluating or drawing a run checks them, so changed or damaged data is an error naming the file rather than a
 * silently different result. (@inv/data checks sizes and labels; it cannot know a pixel was flipped.)
 */
import { splitFiles, type Cifar10Split } from '@inv/data';
import { stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { readRunFile, sha256 } from './files.js';

// As @inv/data's loader: the folder the official archive unpacks to, and the class-name file.
const BATCHES_DIR = 'cifar-10-batches-bin';
const META_FILE = 'batches.meta.txt';
const RECORDS_PER_FILE = 10_000;

export interface SplitRead {
  split: Cifar10Split;
  limit: number | undefined;
}

/** What a run with `limit` reads: its first `limit` training images and test images (the test split has 10,000). */
export function runSplits(limit: number | undefined): SplitRead[] {
  return [
    { split: 'train', limit },
    { split: 'test', limit: limit === undefined ? undefined : Math.min(limit, RECORDS_PER_FILE) },
  ];
}

/**
 * The files `split` (its first `limit` images) is read from under `dataDir`, as loadCifar10 finds them: the
 * archive itself, or the batch files of the folder (or of its cifar-10-batches-bin). Undefined: the data comes
 * from `INV_CIFAR10_DIR` or the cache, which the run does not fingerprint.
 */
async function dataFiles(
  dataDir: string | undefined,
  split: Cifar10Split,
  limit: number | undefined,
): Promise<string[]> {
  if (dataDir === undefined) return [];
  const root = resolve(dataDir);
  const found = await stat(root).catch(() => undefined);
  if (found?.isFile()) return [root];
  const inner = join(root, BATCHES_DIR);
  const dir = (await stat(inner).catch(() => undefined))?.isDirectory() ? inner : root;
  const files = splitFiles(split);
  const used =
    limit === undefined ? files.length : Math.min(files.length, Math.ceil(limit / RECORDS_PER_FILE));
  return [...files.slice(0, used), META_FILE].map((file) => join(dir, file));
}

/**
 * SHA-256 of the data files this process has hashed, by path and the file's identity (inode, size, and the
 * change time in ns, which every write updates and no user call can set back): `compare` and a test that
 * checks many cases read the same 30 MB files again and again.
 */
const hashes = new Map<string, string>();

async function dataFileSha256(path: string, expected: string): Promise<string> {
  const info = await stat(path, { bigint: true }).catch(() => undefined);
  const key = info && `${path}\0${info.dev}:${info.ino}:${info.size}:${info.ctimeNs}:${info.mtimeNs}`;
  const known = key === undefined ? undefined : hashes.get(key);
  if (known !== undefined) return known;
  const hash = sha256(await readRunFile(path, expected));
  if (key !== undefined) hashes.set(key, hash);
  return hash;
}

/** The SHA-256 of each file the splits are read from, by file name. */
export async function fingerprintData(
  dataDir: string | undefined,
  splits: SplitRead[],
): Promise<Record<string, string>> {
  const found: Record<string, string> = {};
  for (const { split, limit } of splits) {
    for (const path of await dataFiles(dataDir, split, limit))
      found[basename(path)] ??= await dataFileSha256(path, `a CIFAR-10 file (--data-dir ${dataDir})`);
  }
  return found;
}

/** Fails, naming the file, unless each file the splits are read from has the SHA-256 `recorded` (config.json's). */
export async function checkDataFiles(
  dataDir: string | undefined,
  splits: SplitRead[],
  recorded: Record<string, string> | undefined,
): Promise<void> {
  if (recorded === undefined) return;
  for (const { split, limit } of splits) {
    for (const path of await dataFiles(dataDir, split, limit)) {
      const expected = recorded[basename(path)];
      if (expected === undefined) continue;
      const actual = await dataFileSha256(path, 'the CIFAR-10 file the run was trained on');
      if (actual !== expected)
        throw new Error(
          `${path} is not the data this run was trained on: its SHA-256 is ${actual}, the run's config.json records ${expected}`,
        );
    }
  }
}
