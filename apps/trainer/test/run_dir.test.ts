import { appendFile, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  appendHistory,
  checkRunDir,
  createRunDir,
  readHistory,
  readHistoryFile,
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
  it('checks a new run dir without creating it, and refuses a non-empty one without --resume', async () => {
    const root = await mkdtemp(join(tmpdir(), 'inv-run-'));
    const dir = await checkRunDir(join(root, 'a', 'b'), false);
    expect(await readdir(root)).toEqual([]);
    await createRunDir(dir);
    expect(await readdir(dir)).toEqual([]);
    // A temporary file a crash left does not make the folder a run.
    await writeFile(join(dir, 'config.json.tmp-1-2'), '{');
    await expect(checkRunDir(dir, false)).resolves.toBe(dir);
    await writeFile(join(dir, 'config.json'), '{}');
    await expect(checkRunDir(dir, false)).rejects.toThrow(/is not empty; pass --resume/);
    await expect(checkRunDir(dir, true)).resolves.toBe(dir);
  });

  it('refuses --resume where there is no run', async () => {
    const root = await mkdtemp(join(tmpdir(), 'inv-run-'));
    await expect(checkRunDir(join(root, 'none'), true)).rejects.toThrow(
      /holds no run to resume \(no config.json\)/,
    );
  });

  it('refuses an --out that cannot be read or created', async () => {
    const root = await mkdtemp(join(tmpdir(), 'inv-run-'));
    await writeFile(join(root, 'file'), 'not a directory');
    await expect(checkRunDir(join(root, 'file', 'run'), false)).rejects.toThrow(
      /--out .*file\/run: cannot read it \(ENOTDIR/,
    );
    await expect(createRunDir(join(root, 'file', 'run'))).rejects.toThrow(
      /--out .*file\/run is not writable: ENOTDIR/,
    );
  });

  it('keeps history as one JSON line per epoch and truncates it for a resume', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'inv-run-'));
    for (const e of [1, 2, 3]) await appendHistory(dir, record(e));
    expect((await readFile(join(dir, 'history.jsonl'), 'utf8')).trim().split('\n')).toHaveLength(3);
    expect(await readHistory(dir)).toEqual([record(1), record(2), record(3)]);
    const kept = await readHistory(dir, 2);
    await writeHistory(dir, kept);
    expect(await readHistory(dir)).toEqual([record(1), record(2)]);
  });

  it('reads past a last line torn by a crash mid-append, and names a bad line before it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'inv-run-'));
    await appendHistory(dir, record(1));
    await appendFile(join(dir, 'history.jsonl'), JSON.stringify(record(2)).slice(0, 20));
    expect(await readHistoryFile(dir)).toEqual({ records: [record(1)], tornLastLine: true });
    await writeFile(join(dir, 'history.jsonl'), `{"epoch": 1,\n${JSON.stringify(record(2))}\n`);
    await expect(readHistory(dir)).rejects.toThrow(/history.jsonl line 1 is not JSON/);
  });
});
