import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create } from 'tar';
import type { Random } from '../../src/index.js';

// Test fixtures in the official layout, written independently of the package's constants.
export const RECORD = 3073;
export const RECORDS = 10_000;
export const CLASS_NAMES = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
];

/** `n` bytes from `random`, four per draw. */
export function randomBytesFrom(random: Random, n: number): Uint8Array {
  const words = new Uint32Array(Math.ceil(n / 4));
  for (let i = 0; i < words.length; i++) words[i] = (random() * 2 ** 32) >>> 0;
  return new Uint8Array(words.buffer, 0, n);
}

/** One random batch file: 10,000 records, labels 0..9, random planes. */
export function randomBatchFile(random: Random): Uint8Array {
  const bytes = randomBytesFrom(random, RECORDS * RECORD);
  for (let r = 0; r < RECORDS; r++) bytes[r * RECORD] = bytes[r * RECORD]! % 10;
  return bytes;
}

/** Pixel (y, x, c) of record r as the official layout stores it: plane c, row-major. */
export function officialPixel(file: Uint8Array, r: number, y: number, x: number, c: number): number {
  return file[r * RECORD + 1 + c * 1024 + y * 32 + x]!;
}

const made: string[] = [];

/** A fresh temp folder, removed by {@link removeTempDirs}. */
export async function tempDir(prefix = 'inv-data-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** Writes `files` (name → bytes) plus batches.meta.txt into `<root>/cifar-10-batches-bin`; returns that folder. */
export async function writeBatchesDir(root: string, files: Record<string, Uint8Array>): Promise<string> {
  const dir = join(root, 'cifar-10-batches-bin');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'batches.meta.txt'), `${CLASS_NAMES.join('\n')}\n\n`);
  for (const [name, bytes] of Object.entries(files)) await writeFile(join(dir, name), bytes);
  return dir;
}

/** A gzipped tar of `<root>/cifar-10-batches-bin`, as the official archive is laid out; with its MD5. */
export async function makeArchive(root: string, out: string): Promise<{ bytes: Buffer; md5: string }> {
  await create({ gzip: true, file: out, cwd: root, portable: true }, ['cifar-10-batches-bin']);
  const bytes = await readFile(out);
  return { bytes, md5: createHash('md5').update(bytes).digest('hex') };
}
