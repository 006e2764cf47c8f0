import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  appendHistory,
  prepareRunDir,
  readHistory,
  writeHistory,
  type EpochRecord,
} from '../src/run/run_dir.js';

const record = (epoch: number): EpochRecord => ({
  epoch,
  loss: 1 / epoch,
  accuracy: 0.1 * epoch,
  val_loss: 2 / epoch,
  val_accuracy: 0.05 * epoch,
  seconds: 3,
  images_per_second: 100,
});

describe('run directory', () => {
  it('creates a new run dir and refuses a non-empty one without --resume', async () => {
    const root = await mkdtemp(join(tmpdir(), 'inv-run-'));
    const dir = await prepareRunDir(join(root, 'a', 'b'), false);
    expect(await readdir(dir)).toEqual([]);
    await writeFile(join(dir, 'config.json'), '{}');
    await expect(prepareRunDir(dir, false)).rejects.toThrow(/is not empty; pass --resume/);
    await expect(prepareRunDir(dir, true)).resolves.toBe(dir);
  });

  it('refuses --resume where there is no run', async () => {
    const root = await mkdtemp(join(tmpdir(), 'inv-run-'));
    await expect(prepareRunDir(join(root, 'none'), true)).rejects.toThrow(
      /holds no run to resume \(no config.json\)/,
    );
  });

  it('refuses an --out that cannot be created', async () => {
    const root = await mkdtemp(join(tmpdir(), 'inv-run-'));
    await writeFile(join(root, 'file'), 'not a directory');
    await expect(prepareRunDir(join(root, 'file', 'run'), false)).rejects.toThrow(
      /--out .*file\/run: cannot read it \(ENOTDIR/,
    );
  });

  it('keeps history as one JSON line per epoch and truncates it for a resume', async () => {
    const dir = await prepareRunDir(await mkdtemp(join(tmpdir(), 'inv-run-')), false);
    for (const e of [1, 2, 3]) await appendHistory(dir, record(e));
    expect((await readFile(join(dir, 'history.jsonl'), 'utf8')).trim().split('\n')).toHaveLength(3);
    expect(await readHistory(dir)).toEqual([record(1), record(2), record(3)]);
    const kept = await readHistory(dir, 2);
    await writeHistory(dir, kept);
    expect(await readHistory(dir)).toEqual([record(1), record(2)]);
  });
});
