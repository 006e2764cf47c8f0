import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCli, type EvaluateArgs } from '../src/args.js';
import { evaluateCommand } from '../src/commands/evaluate.js';
import { readHistory } from '../src/run/run_dir.js';
import { train } from '../src/train/train.js';
import { writeLearnableCifar } from './helpers/cifar.js';
import { quiet, tinyRunFlags, trainArgs } from './helpers/run.js';

let dataDir: string;
let finished: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'inv-cifar-'));
  await writeLearnableCifar(dataDir);
  finished = join(await mkdtemp(join(tmpdir(), 'inv-run-')), 'run');
  expect((await train(trainArgs(tinyRunFlags(dataDir, finished)), quiet())).status).toBe('completed');
});

const config = async (run: string) => JSON.parse(await readFile(join(run, 'config.json'), 'utf8'));

describe('inv train --resume', () => {
  it('takes every setting from the run: a plain --resume of a finished run changes nothing', async () => {
    const before = await readFile(join(finished, 'config.json'), 'utf8');
    const lines: string[] = [];
    const outcome = await train(trainArgs(['--resume', '--out', finished]), {
      ...quiet(),
      log: (l) => lines.push(l),
    });
    expect(outcome.status).toBe('completed');
    expect(lines.at(-1)).toBe(
      `${finished} has finished all 2 epochs; to train it further: inv train --resume --out ${finished} --epochs N (N > 2)`,
    );
    expect(await readFile(join(finished, 'config.json'), 'utf8')).toBe(before);
    expect((await readHistory(finished)).map((r) => r.epoch)).toEqual([1, 2]);
  });

  it('refuses a given setting that differs from the run, naming both values and the flag', async () => {
    const path = join(finished, 'config.json');
    const refusals: [string[], string][] = [
      [['--model', 'seed-conv'], `--model seed-conv differs from the run's seed-inv (${path})`],
      [['--lr', '0.5'], `--lr 0.5 differs from the run's 0.01 (${path})`],
      [['--optimizer', 'sgd'], `--optimizer sgd differs from the run's adam (${path})`],
      [['--batch-size', '16'], `--batch-size 16 differs from the run's 32 (${path})`],
      [['--limit', '32'], `--limit 32 differs from the run's 64 (${path})`],
      [['--augment'], `--augment true differs from the run's false (${path})`],
      [['--generator', 'linear'], `--generator linear differs from the run's (none) (${path})`],
      [
        ['--epochs', '1'],
        `--epochs 1 differs from the run's 2 (${path}); --resume keeps a run's settings (a run can be extended, not shortened)`,
      ],
    ];
    for (const [flags, message] of refusals)
      await expect(train(trainArgs(['--resume', '--out', finished, ...flags]), quiet())).rejects.toThrow(
        message,
      );
    // The same values again are no conflict.
    expect((await train(trainArgs(['--resume', ...tinyRunFlags(dataDir, finished)]), quiet())).status).toBe(
      'completed',
    );
  });

  it('extends a run with an explicit --epochs N and says what that does to a cosine schedule', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'inv-run-')), 'run');
    const flags = [...tinyRunFlags(dataDir, out), '--epochs', '1', '--lr-schedule', 'cosine'];
    expect((await train(trainArgs(flags), quiet())).status).toBe('completed');
    const lines: string[] = [];
    const outcome = await train(trainArgs(['--resume', '--out', out, '--epochs', '2']), {
      ...quiet(),
      log: (l) => lines.push(l),
    });
    expect(outcome.status).toBe('completed');
    expect(lines).toContain(
      "extending the run from 1 to 2 epochs (config.json now says 2); the cosine schedule now spans 2 epochs: from here on each step's learning rate follows the 2-epoch curve (not the 1-epoch one, and it does not restart), so the result differs from a run of 2 epochs from the start",
    );
    expect(await config(out)).toMatchObject({ epochs: 2, lrSchedule: 'cosine' });
    expect((await readHistory(out)).map((r) => r.epoch)).toEqual([1, 2]);
  });

  it('stores absolute paths, so evaluate works from another folder', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'inv-run-')), 'run');
    const cwd = process.cwd();
    const elsewhere = await mkdtemp(join(tmpdir(), 'inv-cwd-'));
    process.chdir(elsewhere);
    try {
      const flags = tinyRunFlags(relative(elsewhere, dataDir), relative(elsewhere, out));
      expect((await train(trainArgs([...flags, '--epochs', '1']), quiet())).status).toBe('completed');
    } finally {
      process.chdir(cwd);
    }
    const saved = await config(out);
    expect(saved.dataDir).toBe(dataDir);
    expect(Object.keys(saved.dataSha256).sort()).toEqual([
      'batches.meta.txt',
      'data_batch_1.bin',
      'test_batch.bin',
    ]);
    const result = join(elsewhere, 'result.json');
    const evaluated = await evaluateCommand(
      parseCli(['evaluate', '--run', out, '--backend', 'wasm', '--out', result]) as EvaluateArgs,
      () => {},
    );
    expect(JSON.parse(await readFile(result, 'utf8'))).toEqual({
      ...evaluated,
      run: out,
      checkpoint: 'best',
      epoch: 1,
    });
  });
});
