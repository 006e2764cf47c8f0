/**
 * `inv evaluate --model-dir DIR`: a model folder in tfjs format with inv's metadata (as the docs site's Train
 * page downloads it and `inv export` writes it) evaluates exactly as the same weights do from the run they came
 * from; a damaged folder is an error naming the flag, the file and what was expected.
 */
import { copyFileSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLASS_NAMES, loadCifar10 } from '@inv/data';
import { parseCli, type EvaluateArgs, type EvaluateModelDirArgs, type ExportArgs } from '../src/args.js';
import { evaluateCommand } from '../src/commands/evaluate.js';
import { evaluateModelDirCommand } from '../src/commands/evaluate_model_dir.js';
import { exportModelDirCommand } from '../src/commands/export_model_dir.js';
import { readHistory } from '../src/run/run_dir.js';
import { train } from '../src/train/train.js';
import { writeLearnableCifar } from './helpers/cifar.js';
import { quiet, tinyRunFlags, trainArgs } from './helpers/run.js';

const META = {
  format: 'inv-model',
  version: 1,
  model: 'seed-inv',
  classNames: CLASS_NAMES,
  normalization: 'scale',
};

let dataDir: string;
let runDir: string;
/** Every temp folder made here (the data's 60 MB among them), removed after the tests. */
const temps: string[] = [];
const tempDir = async (prefix: string): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
};

/** A model folder from the run's best checkpoint: its model.json and weights.bin, and `meta`. */
async function modelDir(meta: unknown = META): Promise<string> {
  const dir = await tempDir('inv-model-dir-');
  const best = JSON.parse(readFileSync(join(runDir, 'checkpoints', 'best.json'), 'utf8')) as { dir: string };
  for (const file of ['model.json', 'weights.bin'])
    copyFileSync(join(runDir, 'checkpoints', best.dir, file), join(dir, file));
  writeFileSync(join(dir, 'inv-model.json'), JSON.stringify(meta));
  return dir;
}

const runArgs = (weights: EvaluateArgs['weights']): EvaluateArgs => ({
  command: 'evaluate',
  run: runDir,
  checkpoint: 'best',
  dataDir,
  limit: 64,
  backend: 'wasm',
  weights,
  tta: false,
  out: undefined,
});

const args = (dir: string): EvaluateModelDirArgs =>
  parseCli([
    'evaluate',
    '--model-dir',
    dir,
    '--data-dir',
    dataDir,
    '--limit',
    '64',
    '--backend',
    'wasm',
  ]) as EvaluateModelDirArgs;

beforeAll(async () => {
  dataDir = await tempDir('inv-cifar-');
  await writeLearnableCifar(dataDir);
  runDir = join(await tempDir('inv-run-'), 'run');
  // With a moving average of the weights, for `inv export --weights average`.
  const flags = [...tinyRunFlags(dataDir, runDir), '--ema', '0.9'];
  expect((await train(trainArgs(flags), quiet())).status).toBe('completed');
});

afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

describe('inv evaluate --model-dir', () => {
  it('parses as its own form of evaluate, exclusive of --run and its checkpoint flags', () => {
    expect(parseCli(['evaluate', '--model-dir', 'm', '--limit', '5', '--tta'])).toEqual({
      command: 'evaluate',
      modelDir: 'm',
      dataDir: undefined,
      limit: 5,
      backend: 'auto',
      tta: true,
      out: undefined,
    });
    expect(() => parseCli(['evaluate', '--model-dir', 'm', '--run', 'r'])).toThrow(
      '--run and --model-dir exclude each other',
    );
    expect(() => parseCli(['evaluate', '--model-dir', 'm', '--checkpoint', 'latest'])).toThrow(
      "--checkpoint applies to --run (a run's checkpoints); a --model-dir folder holds one model",
    );
    expect(() => parseCli(['evaluate'])).toThrow('inv evaluate: --run or --model-dir is required');
  });

  it("evaluates the folder's model as the run evaluates the same weights, with each image's class", async () => {
    const lines: string[] = [];
    const out = join(await tempDir('inv-out-'), 'result.json');
    const result = await evaluateModelDirCommand({ ...args(await modelDir()), out }, (l) => lines.push(l));
    const fromRun = await evaluateCommand(runArgs('raw'), () => {});
    expect(result.images).toBe(64);
    expect(result.accuracy).toBe(fromRun.accuracy);
    expect(result.loss).toBeCloseTo(fromRun.loss, 5);
    const test = await loadCifar10({ dir: dataDir, split: 'test', limit: 64 });
    expect(result.predictions).toHaveLength(64);
    expect(result.predictions.filter((p, i) => p === test.labels[i]).length / 64).toBe(result.accuracy);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(result);
    expect(lines.join('\n')).toMatch(
      /seed-inv from .*: test loss \d\.\d{4}, test accuracy [\d.]+% on 64 images/,
    );
  });

  it('names the flag, the file and what was expected when the folder is not a model folder', async () => {
    const noMeta = await modelDir();
    const fails = (dir: string) => evaluateModelDirCommand(args(dir), () => {});
    writeFileSync(join(noMeta, 'inv-model.json'), '');
    await expect(fails(noMeta)).rejects.toThrow(/inv-model\.json is empty; expected inv's model metadata/);
    await expect(fails(await modelDir({ ...META, format: 'keras' }))).rejects.toThrow(
      /--model-dir: .*inv-model\.json: format is "keras"; expected inv's model metadata/,
    );
    await expect(fails(await modelDir({ ...META, classNames: ['cat'] }))).rejects.toThrow(
      /classNames is not a list of 10 names/,
    );
    const cut = await modelDir();
    truncateSync(join(cut, 'weights.bin'), 100);
    await expect(fails(cut)).rejects.toThrow(
      /--model-dir: the weight files of .*model\.json hold 100 bytes; its \d+ weight specs need [\d,]+/,
    );
    await expect(fails(join(cut, 'nothing-here'))).rejects.toThrow(
      /--model-dir .*nothing-here: no inv-model\.json/,
    );
  });
});

describe('inv export', () => {
  it('parses --run and --out, the best checkpoint and raw weights by default', () => {
    expect(parseCli(['export', '--run', 'r', '--out', 'm'])).toEqual({
      command: 'export',
      run: 'r',
      checkpoint: 'best',
      weights: 'raw',
      out: 'm',
    });
    expect(() => parseCli(['export', '--run', 'r'])).toThrow(/--out/);
    expect(() => parseCli(['export', '--out', 'm', '--weights', 'ema'])).toThrow(/--weights/);
  });

  it("writes the checkpoint's averaged weights as a model folder that evaluates as the run does", async () => {
    const out = join(await tempDir('inv-export-'), 'model');
    const lines: string[] = [];
    const exported: ExportArgs = {
      command: 'export',
      run: runDir,
      checkpoint: 'best',
      weights: 'average',
      out,
    };
    const meta = await exportModelDirCommand(exported, (l) => lines.push(l));
    const best = JSON.parse(readFileSync(join(runDir, 'checkpoints', 'best.json'), 'utf8')) as {
      epoch: number;
    };
    const record = (await readHistory(runDir)).find((r) => r.epoch === best.epoch)!;
    expect(meta).toMatchObject({
      format: 'inv-model',
      model: 'seed-inv',
      epochs: best.epoch,
      batchSize: 32,
      trainImages: 64,
      testImages: 64,
      testAccuracy: record.average_val_accuracy,
    });
    expect(JSON.parse(readFileSync(join(out, 'inv-model.json'), 'utf8'))).toEqual(meta);
    expect(lines.join('\n')).toMatch(/wrote .*model: inv export --run .* --weights average: seed-inv/);
    const folder = await evaluateModelDirCommand(args(out), () => {});
    const fromRun = await evaluateCommand(runArgs('average'), () => {});
    expect(folder.accuracy).toBe(fromRun.accuracy);
    expect(folder.accuracy).toBe(meta.testAccuracy);
    expect(folder.loss).toBeCloseTo(fromRun.loss, 5);
    await expect(exportModelDirCommand(exported, () => {})).rejects.toThrow(
      /--out .*model: already exists; inv export writes a new folder/,
    );
  });
});
