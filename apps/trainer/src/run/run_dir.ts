/** A run directory: config.json, history.jsonl (one line per finished epoch), metrics.json, checkpoints/. */
import { access, appendFile, constants, mkdir, readFile, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { RunConfig } from '../train/train.js';
import { writeFileAtomic } from './atomic.js';

/** One finished epoch, as a line of history.jsonl. */
export interface EpochRecord {
  epoch: number;
  loss: number;
  accuracy: number;
  val_loss: number;
  val_accuracy: number;
  seconds: number;
  images_per_second: number;
}

/**
 * Makes `out` ready for a run: creates it, or with `resume` requires an existing run there. A non-empty
 * directory without `resume` is refused, so no earlier run is ever overwritten.
 */
export async function prepareRunDir(out: string, resume: boolean): Promise<string> {
  const dir = resolve(out);
  let entries: string[] | null = null;
  try {
    entries = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new Error(`--out ${out}: cannot read it (${(error as Error).message})`);
  }
  if (resume) {
    if (entries === null || !entries.includes('config.json')) {
      throw new Error(`--resume: ${dir} holds no run to resume (no config.json); start one without --resume`);
    }
  } else if (entries !== null && entries.length > 0) {
    throw new Error(
      `--out ${dir} is not empty; pass --resume to continue the run there, or choose another --out`,
    );
  }
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  } catch (error) {
    throw new Error(`--out ${dir} is not writable: ${(error as Error).message}`);
  }
  return dir;
}

export async function writeJson(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

export async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T;
}

/** Reads a run's config.json, saying what a run directory is when there is none. */
export async function readRunConfig(run: string): Promise<RunConfig> {
  return readJson<RunConfig>(join(resolve(run), 'config.json')).catch(() => {
    throw new Error(
      `--run ${resolve(run)} is not a run directory (no config.json); runs are made by 'inv train --out DIR'`,
    );
  });
}

/** Reads history.jsonl, keeping only epochs ≤ `upToEpoch` (a resumed run drops epochs it will redo). */
export async function readHistory(runDir: string, upToEpoch = Infinity): Promise<EpochRecord[]> {
  let text = '';
  try {
    text = await readFile(join(runDir, 'history.jsonl'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as EpochRecord)
    .filter((record) => record.epoch <= upToEpoch);
}

/** Rewrites history.jsonl to exactly `records` (after a resume) atomically. */
export async function writeHistory(runDir: string, records: EpochRecord[]): Promise<void> {
  await writeFileAtomic(join(runDir, 'history.jsonl'), records.map((r) => `${JSON.stringify(r)}\n`).join(''));
}

export async function appendHistory(runDir: string, record: EpochRecord): Promise<void> {
  await appendFile(join(runDir, 'history.jsonl'), `${JSON.stringify(record)}\n`);
}
