import * as tf from '@tensorflow/tfjs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Involution } from '@inv/core';
import { parseCli, type TrainArgs } from '../src/args.js';
import { loadCheckpoint } from '../src/run/checkpoint.js';
import { readHistory } from '../src/run/run_dir.js';
import { train, type TrainIo } from '../src/train/train.js';
import { evaluateCommand } from '../src/commands/evaluate.js';
import { writeLearnableCifar } from './helpers/cifar.js';

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'inv-cifar-'));
  await writeLearnableCifar(dataDir);
});

/** No output; asks to stop at the `stopAtCheck`-th check (the loop checks once after every step). */
const quiet = (stopAtCheck = Infinity): TrainIo => {
  let checks = 0;
  return {
    log: () => {},
    progressStream: { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream,
    stopRequested: () => ++checks >= stopAtCheck,
  };
};

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
      expect((await train(await args(resumed, schedArgs), quiet(14))).status).toBe('interrupted');
      // 10 steps per epoch, checked after each and at the epoch's end: check 14 follows step 3 of epoch 2.
      const partial = await loadCheckpoint(resumed, 'latest');
      expect(partial!.state).toMatchObject({ epoch: 1, step: 3 });
      expect((await train(await args(resumed, ['--resume']), quiet())).status).toBe('completed');
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
    const finished = await onThreads(2, async () => train(await args(resumed, ['--resume']), quiet()));
    expect(finished.status).toBe('completed');
    expect(await weightsOf(resumed)).toEqual(await weightsOf(straight));
  });

  it('stops on a NaN loss and keeps the last good checkpoint', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'inv-run-')), 'run');
    const outcome = await train(await args(out, ['--optimizer', 'sgd', '--lr', '1e30']), quiet());
    expect(outcome.status).toBe('diverged');
    const metrics = JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.status).toBe('diverged');
    const latest = await loadCheckpoint(out, 'latest');
    if (latest)
      expect(latest.model.getWeights().every((w) => tf.all(tf.isFinite(w)).dataSync()[0] === 1)).toBe(true);
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

  it('says what was looked for when the data dir has no CIFAR-10', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'inv-empty-'));
    const out = join(await mkdtemp(join(tmpdir(), 'inv-run-')), 'run');
    const bad = { ...(await args(out)), dataDir: empty };
    await expect(train(bad, quiet())).rejects.toThrow(
      new RegExp(empty.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
    );
  });
});
