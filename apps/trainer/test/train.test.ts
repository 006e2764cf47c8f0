import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Involution } from '@inv/core';
import { parseCli, type TrainArgs } from '../src/args.js';
import { loadCheckpoint } from '../src/run/checkpoint.js';
import { readHistory, type EpochRecord } from '../src/run/run_dir.js';
import { train, type TrainIo } from '../src/train/train.js';
import { evaluateCommand } from '../src/commands/evaluate.js';
import { verifyRun } from '../src/commands/verify.js';
import { writeLearnableCifar } from './helpers/cifar.js';
import { quiet, trainArgs } from './helpers/run.js';

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'inv-cifar-'));
  await writeLearnableCifar(dataDir);
});

async function args(out: string, extra: string[] = []): Promise<TrainArgs> {
  return parseCli([
    'train',
    '--model',
    'seed-inv',
    '--epochs',
    '2',
    '--batch-size',
    '32',
    '--limit',
    '320',
    '--seed',
    '3',
    '--lr',
    '0.01',
    '--backend',
    'wasm',
    '--data-dir',
    dataDir,
    '--out',
    out,
    '--augment',
    ...extra,
  ]) as TrainArgs;
}

/** Every file under `dir` (recursively), path → bytes. */
function filesUnder(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true }))
    if (entry.isFile())
      files.set(join(entry.parentPath, entry.name), readFileSync(join(entry.parentPath, entry.name)));
  return files;
}

async function weightsOf(runDir: string): Promise<number[][]> {
  const checkpoint = await loadCheckpoint(runDir, 'latest');
  return checkpoint!.model.getWeights().map((w) => Array.from(w.dataSync()));
}

describe('inv train', () => {
  it('learns, and writes config, history, metrics and checkpoints', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'inv-run-')), 'run');
    const outcome = await train(await args(out, ['--epochs', '3']), quiet());
    expect(outcome.status).toBe('completed');
    const history = await readHistory(out);
    expect(history.map((r) => r.epoch)).toEqual([1, 2, 3]);
    expect(history[2]!.loss).toBeLessThan(history[0]!.loss);
    expect(history[2]!.val_accuracy).toBeGreaterThan(0.3); // chance is 0.1
    const metrics = JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8'));
    expect(metrics).toMatchObject({
      status: 'completed',
      model: 'seed-inv',
      backend: 'wasm',
      epochs: 3,
      test_accuracy: history[2]!.val_accuracy,
    });
    expect(JSON.parse(await readFile(join(out, 'config.json'), 'utf8'))).toMatchObject({
      model: 'seed-inv',
      seed: 3,
      batchSize: 32,
    });
    const best = await loadCheckpoint(out, 'best');
    expect(best!.state.bestValAccuracy).toBe(Math.max(...history.map((r) => r.val_accuracy)));
    const evaluated = await evaluateCommand(
      parseCli(['evaluate', '--run', out, '--backend', 'wasm', '--limit', '320']) as never,
      () => {},
    );
    expect(evaluated.accuracy).toBeCloseTo(best!.state.bestValAccuracy, 6);
  });

  it.each(['constant', 'cosine'])(
    'a run stopped mid-epoch and resumed ends with exactly the weights of an uninterrupted run (%s lr)',
    async (schedule) => {
      const schedArgs = ['--lr-schedule', schedule];
      const root = await mkdtemp(join(tmpdir(), 'inv-run-'));
      const straight = join(root, 'straight');
      await train(await args(straight, schedArgs), quiet());
      const resumed = join(root, 'resumed');
      const said: string[] = [];
      const stopping = {
        ...quiet(14),
        progressStream: { write: (t: string) => said.push(t), isTTY: false } as unknown as NodeJS.WriteStream,
      };
      expect((await train(await args(resumed, schedArgs), stopping)).status).toBe('interrupted');
      expect(said.join('')).toContain(
        `interrupted at epoch 2, step 3/10: checkpoint written; continue with: inv train --resume --out ${resumed}\n`,
      );
      // 10 steps per epoch, checked after each and at the epoch's end: check 14 follows step 3 of epoch 2.
      const partial = await loadCheckpoint(resumed, 'latest');
      expect(partial!.state).toMatchObject({ epoch: 1, step: 3 });
      expect((await train(trainArgs(['--resume', '--out', resumed]), quiet())).status).toBe('completed');
      expect(await weightsOf(resumed)).toEqual(await weightsOf(straight));
      const [a, b] = [await readHistory(straight), await readHistory(resumed)];
      expect(b.map(({ seconds: _s, images_per_second: _i, ...r }) => r)).toEqual(
        a.map(({ seconds: _s, images_per_second: _i, ...r }) => r),
      );
      expect(JSON.parse(await readFile(join(resumed, 'config.json'), 'utf8'))).toMatchObject({
        lrSchedule: schedule,
      });
    },
  );

  it('the small-model recipe (SGD Nesterov, weight decay, onecycle warm-up, label smoothing, cutout, weight average) resumes exactly', async () => {
    const recipe = [
      ...['--optimizer', 'sgd', '--momentum', '0.9', '--nesterov', '--lr', '0.05', '--weight-decay', '5e-4'],
      ...['--lr-schedule', 'onecycle', '--warmup-epochs', '0.5', '--label-smoothing', '0.1'],
      ...['--cutout', '8', '--ema', '0.9'],
    ];
    const root = await mkdtemp(join(tmpdir(), 'inv-run-'));
    const straight = join(root, 'straight');
    await train(await args(straight, recipe), quiet());
    const resumed = join(root, 'resumed');
    expect((await train(await args(resumed, recipe), quiet(14))).status).toBe('interrupted');
    expect((await train(trainArgs(['--resume', '--out', resumed]), quiet())).status).toBe('completed');
    const [a, b] = [await loadCheckpoint(straight, 'latest'), await loadCheckpoint(resumed, 'latest')];
    const values = (tensors: tf.Tensor[]) => tensors.map((w) => Array.from(w.dataSync()));
    expect(values(b!.model.getWeights())).toEqual(values(a!.model.getWeights()));
    expect(values(b!.average!)).toEqual(values(a!.average!));
    // The average is its own set of weights, and each epoch records its test accuracy.
    expect(values(a!.average!)).not.toEqual(values(a!.model.getWeights()));
    const history = await readHistory(straight);
    expect(history.every((r) => typeof r.average_val_accuracy === 'number')).toBe(true);
    expect(JSON.parse(await readFile(join(straight, 'config.json'), 'utf8'))).toMatchObject({
      optimizer: 'sgd',
      momentum: 0.9,
      nesterov: true,
      weightDecay: 5e-4,
      lrSchedule: 'onecycle',
      warmupEpochs: 0.5,
      labelSmoothing: 0.1,
      cutout: 8,
      ema: 0.9,
    });
    const evaluate = (...flags: string[]) =>
      evaluateCommand(
        parseCli([
          'evaluate',
          '--run',
          straight,
          '--backend',
          'wasm',
          '--checkpoint',
          'latest',
          ...flags,
        ]) as never,
        () => {},
      );
    const average = await evaluate('--weights', 'average');
    expect(average.accuracy).toBeCloseTo(history.at(-1)!.average_val_accuracy!, 6);
    const mirrored = await evaluate('--tta');
    expect(mirrored).toMatchObject({ tta: true, weights: 'raw' });
    expect(mirrored.loss).not.toBe((await evaluate()).loss);
    const plain = join(root, 'plain');
    await train(await args(plain, ['--epochs', '1']), quiet());
    await expect(
      evaluateCommand(parseCli(['evaluate', '--run', plain, '--weights', 'average']) as never, () => {}),
    ).rejects.toThrow(
      `--weights average: ${plain} keeps no moving average of its weights (it was trained without --ema)`,
    );
  });

  it('a conv run on 1 engine thread, stopped on 3 and resumed on 2, ends with the 1-thread weights', async () => {
    // The engine splits convolutions and their gradients into fixed tasks and sums partials in a fixed
    // order, so a run's bits do not depend on the threads of the process that resumes it.
    const conv = ['--model', 'seed-conv'];
    const root = await mkdtemp(join(tmpdir(), 'inv-run-'));
    const onThreads = async <T>(threads: number, body: () => Promise<T>): Promise<T> => {
      process.env['INV_THREADS'] = String(threads);
      try {
        return await body();
      } finally {
        delete process.env['INV_THREADS'];
      }
    };
    const straight = join(root, 'straight');
    await onThreads(1, async () => train(await args(straight, conv), quiet()));
    expect(JSON.parse(await readFile(join(straight, 'config.json'), 'utf8'))).toMatchObject({
      model: 'seed-conv',
    });
    const resumed = join(root, 'resumed');
    const stopped = await onThreads(3, async () => train(await args(resumed, conv), quiet(14)));
    expect(stopped.status).toBe('interrupted');
    const finished = await onThreads(2, async () =>
      train(await args(resumed, [...conv, '--resume']), quiet()),
    );
    expect(finished.status).toBe('completed');
    expect(await weightsOf(resumed)).toEqual(await weightsOf(straight));
  });

  it('reading the numbers every 4 steps (as on a GPU) gives the same history and weights, a stop and a NaN at their steps', async () => {
    const root = await mkdtemp(join(tmpdir(), 'inv-run-'));
    const everyStep = join(root, 'every-step');
    const batched = join(root, 'every-4');
    await train(await args(everyStep), { ...quiet(), readEvery: 1 });
    // Stopped at step 14 (4 of epoch 2: one read of 4 pending is cut short) and resumed, reading every 4.
    expect((await train(await args(batched), { ...quiet(14), readEvery: 4 })).status).toBe('interrupted');
    await train(trainArgs(['--resume', '--out', batched]), { ...quiet(), readEvery: 4 });
    const numbers = ({ seconds: _s, images_per_second: _i, ...rest }: EpochRecord) => rest;
    expect((await readHistory(batched)).map(numbers)).toEqual((await readHistory(everyStep)).map(numbers));
    expect(await weightsOf(batched)).toEqual(await weightsOf(everyStep));

    const lines: string[] = [];
    const diverged = await train(await args(join(root, 'nan')), {
      ...quiet(),
      readEvery: 4,
      progressStream: { write: (t: string) => lines.push(t), isTTY: false } as unknown as NodeJS.WriteStream,
      beforeStep: ({ epoch, step }, model) => {
        const weight = model.trainableWeights[0]!.read() as tf.Variable;
        if (epoch === 1 && step === 6) weight.assign(tf.fill(weight.shape, NaN));
      },
    });
    expect(diverged.status).toBe('diverged');
    expect(lines.join('')).toContain('epoch 1 step 6: loss is NaN');
  });

  it("stops on a NaN loss after a finished epoch and leaves that epoch's checkpoint byte for byte", async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'inv-run-')), 'run');
    let snapshot: Map<string, Buffer> | undefined;
    const lines: string[] = [];
    const io: TrainIo = {
      ...quiet(),
      progressStream: { write: (t: string) => lines.push(t), isTTY: false } as unknown as NodeJS.WriteStream,
      // Epoch 1 finishes and is checkpointed; at step 3 of epoch 2 a weight becomes NaN, so the loss does.
      beforeStep: ({ epoch, step }, model) => {
        if (epoch === 2 && step === 1) snapshot = filesUnder(join(out, 'checkpoints'));
        if (epoch === 2 && step === 3) {
          const weight = model.trainableWeights[0]!.read() as tf.Variable;
          weight.assign(tf.fill(weight.shape, NaN));
        }
      },
    };
    const outcome = await train(await args(out), io);
    expect(outcome.status).toBe('diverged');
    expect(lines.join('')).toContain(
      'epoch 2 step 3: loss is NaN; stopping. The last good checkpoint is epoch 1',
    );
    expect(JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8'))).toMatchObject({
      status: 'diverged',
      epoch: 2,
      step: 3,
      lastGoodEpoch: 1,
    });
    expect(snapshot!.size).toBeGreaterThan(6);
    expect(filesUnder(join(out, 'checkpoints'))).toEqual(snapshot);
    const latest = await loadCheckpoint(out, 'latest');
    expect(latest!.state).toMatchObject({ epoch: 1, step: 0 });
  });

  it('says there is no checkpoint when the loss is NaN before the first epoch ends', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'inv-run-')), 'run');
    const lines: string[] = [];
    const outcome = await train(await args(out), {
      ...quiet(),
      progressStream: { write: (t: string) => lines.push(t), isTTY: false } as unknown as NodeJS.WriteStream,
      beforeStep: ({ step }, model) => {
        const weight = model.trainableWeights[0]!.read() as tf.Variable;
        if (step === 2) weight.assign(tf.fill(weight.shape, Infinity));
      },
    });
    expect(outcome.status).toBe('diverged');
    expect(lines.join('')).toContain('There is no checkpoint yet (no epoch finished)');
    expect(JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8'))).toMatchObject({
      lastGoodEpoch: null,
    });
  });

  it('a test loss that is not finite (weights finite) is written as null: the run goes on, resumes and verifies', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'inv-run-')), 'run');
    // Moving means near minus the float32 limit: training (batch statistics) is untouched, inference overflows to ±Inf
    // and then NaN, while every weight stays finite.
    const io: TrainIo = {
      ...quiet(10),
      beforeStep: ({ epoch, step }, model) => {
        if (epoch !== 1 || step !== 10) return;
        // Names carry a suffix when other models were built in this process (moving_mean_3).
        const means = model.weights.filter((w) => w.name.includes('moving_mean'));
        expect(means.length).toBeGreaterThan(0);
        for (const mean of means) {
          const variable = mean.read() as tf.Variable;
          variable.assign(tf.fill(variable.shape, -3e38));
        }
      },
    };
    expect((await train(await args(out), io)).status).toBe('interrupted');
    expect((await readHistory(out))[0]!.val_loss).toBeNull();
    expect((await train(trainArgs(['--resume', '--out', out]), quiet())).status).toBe('completed');
    const history = await readHistory(out);
    expect(history.map((r) => r.epoch)).toEqual([1, 2]);
    expect(history.every((r) => Number.isFinite(r.loss) && Number.isFinite(r.val_accuracy))).toBe(true);
    expect((await verifyRun(out)).problems).toEqual([]);
  });

  it('trains with a plugin generator, records it, and evaluates and resumes with it', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'inv-run-')), 'run');
    const common = [
      'train',
      '--model',
      'seed-inv',
      '--batch-size',
      '32',
      '--limit',
      '64',
      '--backend',
      'wasm',
      '--data-dir',
      dataDir,
      '--out',
      out,
    ];
    const first = parseCli([...common, '--epochs', '1', '--generator', 'softmax']) as TrainArgs;
    expect((await train(first, quiet())).status).toBe('completed');
    expect(JSON.parse(await readFile(join(out, 'config.json'), 'utf8'))).toMatchObject({
      model: 'seed-inv',
      generator: 'softmax',
    });
    expect(JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8'))).toMatchObject({
      status: 'completed',
      generator: 'softmax',
    });

    const lines: string[] = [];
    const evaluated = await evaluateCommand(
      parseCli(['evaluate', '--run', out, '--backend', 'wasm', '--limit', '64']) as never,
      (l) => lines.push(l),
    );
    expect(evaluated.accuracy).toBeCloseTo((await loadCheckpoint(out, 'best'))!.state.bestValAccuracy, 6);
    expect(lines.at(-1)).toMatch(/^seed-inv with the softmax generator \(best checkpoint, epoch 1\)/);

    // No --generator on resume: the run's own is used, for the model built and for the checkpoint it continues.
    expect(
      (await train(parseCli([...common, '--epochs', '2', '--resume']) as TrainArgs, quiet())).status,
    ).toBe('completed');
    expect((await readHistory(out)).map((r) => r.epoch)).toEqual([1, 2]);
    expect(JSON.parse(await readFile(join(out, 'config.json'), 'utf8'))).toMatchObject({
      generator: 'softmax',
      epochs: 2,
    });
    const latest = await loadCheckpoint(out, 'latest');
    const generators = latest!.model.layers
      .filter((l) => l instanceof Involution)
      .map(
        (l) =>
          (JSON.parse(decodeURIComponent(l.getConfig()['generator'] as string)) as { name: string }).name,
      );
    expect(generators).toEqual(['softmax', 'softmax', 'softmax']);
  });

  it("says what was looked for, in the CLI's flags, when the data dir has no CIFAR-10, and creates nothing", async () => {
    const empty = await mkdtemp(join(tmpdir(), 'inv-empty-'));
    const out = join(await mkdtemp(join(tmpdir(), 'inv-run-')), 'run');
    const failed = train(await args(out, ['--data-dir', empty]), quiet());
    await expect(failed).rejects.toThrow(new RegExp(empty.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    await expect(failed).rejects.toThrow(/pass --data-dir DIR/);
    await expect(failed).rejects.not.toThrow(/\{ dir \}|\{ download: true \}/);
    // The failed start left nothing behind: the corrected command is not told the folder is taken.
    expect(existsSync(out)).toBe(false);
  });
});
