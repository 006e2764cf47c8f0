import { describe, expect, it } from 'vitest';
import { parseCli, USAGE } from '../src/args.js';

describe('parseCli', () => {
  it('gives train only the settings that were given (defaults come from the seed or the resumed run)', () => {
    expect(parseCli(['train', '--model', 'seed-conv'])).toEqual({
      command: 'train',
      settings: { model: 'seed-conv' },
      backend: 'auto',
      out: 'runs/seed-conv',
      resume: false,
    });
  });

  it('reads every flag of train', () => {
    const args = parseCli([
      'train',
      '--model',
      'seed-conv',
      '--epochs',
      '3',
      '--batch-size',
      '64',
      '--optimizer',
      'sgd',
      '--lr',
      '0.01',
      '--lr-schedule',
      'cosine',
      '--data-dir',
      '/d',
      '--limit',
      '500',
      '--seed',
      '7',
      '--backend',
      'wasm',
      '--out',
      'o',
      '--resume',
      '--augment',
      '--cutout',
      '8',
      '--warmup-epochs',
      '0.5',
      '--momentum',
      '0.9',
      '--nesterov',
      '--weight-decay',
      '5e-4',
      '--label-smoothing',
      '0.1',
      '--ema',
      '0.999',
    ]);
    expect(args).toEqual({
      command: 'train',
      settings: {
        model: 'seed-conv',
        epochs: 3,
        batchSize: 64,
        optimizer: 'sgd',
        lr: 0.01,
        lrSchedule: 'cosine',
        dataDir: '/d',
        limit: 500,
        seed: 7,
        augment: true,
        cutout: 8,
        warmupEpochs: 0.5,
        momentum: 0.9,
        nesterov: true,
        weightDecay: 5e-4,
        labelSmoothing: 0.1,
        ema: 0.999,
      },
      backend: 'wasm',
      out: 'o',
      resume: true,
    });
  });

  it('bounds the recipe flags, naming the flag, the value and the range', () => {
    const train =
      (...flags: string[]) =>
      () =>
        parseCli(['train', '--model', 'resinv', ...flags]);
    expect(train('--momentum', '1')).toThrow("--momentum '1' is not valid; expected a number in [0, 1)");
    expect(train('--label-smoothing=-0.1')).toThrow(
      "--label-smoothing '-0.1' is not valid; expected a number in [0, 1)",
    );
    expect(train('--weight-decay', 'x')).toThrow("--weight-decay 'x' is not valid; expected a number >= 0");
    expect(train('--warmup-epochs', '')).toThrow('--warmup-epochs needs a value');
    expect(train('--cutout', '33')).toThrow("--cutout '33' is not valid; expected an integer from 0 to 32");
    expect(train('--ema', '1.5')).toThrow("--ema '1.5' is not valid; expected a number in [0, 1)");
  });

  it('needs no --model to resume, but the run folder', () => {
    expect(parseCli(['train', '--resume', '--out', 'runs/a'])).toEqual({
      command: 'train',
      settings: {},
      backend: 'auto',
      out: 'runs/a',
      resume: true,
    });
    expect(() => parseCli(['train', '--resume'])).toThrow('inv train --resume: --out DIR is required');
    expect(() => parseCli(['train'])).toThrow(/inv train: --model is required/);
  });

  it('names the valid choices when a value is unknown', () => {
    expect(() => parseCli(['train', '--model', 'resnet'])).toThrow(
      /--model 'resnet' is not valid; expected one of: seed-conv/,
    );
    expect(() => parseCli(['train', '--model', 'seed-conv', '--backend', 'webgl'])).toThrow(
      "--backend 'webgl' is not valid; expected one of: auto, tensorflow, webgpu, wasm, cpu",
    );
    expect(() => parseCli(['train', '--model', 'seed-conv', '--optimizer', 'lbfgs'])).toThrow(
      /--optimizer 'lbfgs' is not valid; expected one of: adam, /,
    );
    expect(() => parseCli(['train', '--model', 'seed-conv', '--lr-schedule', 'step'])).toThrow(
      /--lr-schedule 'step' is not valid; expected one of: constant, cosine/,
    );
    expect(() => parseCli(['train', '--model', 'seed-conv', '--epochs', '0'])).toThrow(
      "--epochs '0' is not valid; expected an integer >= 1",
    );
    expect(() => parseCli(['fit'])).toThrow(
      /unknown command 'fit'; expected one of: train, evaluate, export, summary, heatmaps, plot, compare, verify/,
    );
  });

  it('refuses an empty value, says "a positive number" for --lr, and bounds --images', () => {
    expect(() => parseCli(['train', '--model', 'seed-conv', '--seed='])).toThrow('--seed needs a value');
    expect(() => parseCli(['train', '--model', 'seed-conv', '--seed', ' '])).toThrow(
      "--seed ' ' is not valid; expected an integer >= 0",
    );
    for (const lr of ['0', '-1', 'x', 'Infinity'])
      expect(() => parseCli(['train', '--model', 'seed-conv', `--lr=${lr}`])).toThrow(
        `--lr '${lr}' is not valid; expected a positive number`,
      );
    expect(() => parseCli(['heatmaps', '--run', 'r', '--out', 'f.png', '--images', '100000'])).toThrow(
      "--images '100000' is not valid; expected an integer from 1 to 100",
    );
    expect(parseCli(['heatmaps', '--run', 'r', '--out', 'f.png', '--images', '100'])).toMatchObject({
      images: 100,
    });
  });

  it('refuses a flag the command does not take, naming it, the command and what it accepts', () => {
    expect(() => parseCli(['evaluate', '--run', 'r', '--generator', 'linear'])).toThrow(
      "--generator does not apply to 'inv evaluate'; it accepts: --run, --model-dir, --checkpoint, --data-dir, --limit, --backend, --weights, --tta, --out",
    );
    expect(() => parseCli(['verify', '--run', 'r', '--epochs', '3'])).toThrow(
      "--epochs does not apply to 'inv verify'; it accepts: --run",
    );
    expect(() => parseCli(['train', '--model', 'seed-conv', '--bogus'])).toThrow(
      "--bogus is not a flag of 'inv train'; it accepts: --model,",
    );
    expect(() => parseCli(['plot', '--runs', 'a', '--images', '3', '--out', 'c.png'])).toThrow(
      "--images does not apply to 'inv plot'; it accepts: --runs, --out",
    );
    expect(() => parseCli(['evaluate', '--run'])).toThrow(
      /inv evaluate: Option '--run <value>' argument missing/,
    );
  });

  it('reads --generator for summary and evaluate --out as JSON', () => {
    expect(parseCli(['summary', '--model', 'seed-inv', '--generator', 'linear'])).toEqual({
      command: 'summary',
      model: 'seed-inv',
      generator: 'linear',
    });
    expect(parseCli(['evaluate', '--run', 'r', '--out', 'x.json'])).toMatchObject({
      out: 'x.json',
      weights: 'raw',
      tta: false,
    });
    expect(parseCli(['evaluate', '--run', 'r', '--weights', 'average', '--tta'])).toMatchObject({
      weights: 'average',
      tta: true,
    });
    expect(() => parseCli(['evaluate', '--run', 'r', '--weights', 'ema'])).toThrow(
      "--weights 'ema' is not valid; expected one of: raw, average",
    );
    expect(() => parseCli(['evaluate', '--run', 'r', '--out', 'x.png'])).toThrow(
      '--out x.png: expected a file name ending in .json',
    );
  });

  it('reads --generator, plugin generators included, for involution models and compare', () => {
    expect(parseCli(['train', '--model', 'seed-inv', '--generator', 'softmax'])).toMatchObject({
      settings: { model: 'seed-inv', generator: 'softmax' },
    });
    expect(parseCli(['train', '--model', 'rednet-26', '--generator', 'context'])).toMatchObject({
      settings: { generator: 'context' },
    });
    expect(parseCli(['compare', '--generator', 'global'])).toMatchObject({
      command: 'compare',
      generator: 'global',
    });
    expect(USAGE).toContain(
      'generators (involution models): reduce-expand, linear, context, global, softmax',
    );
  });

  it('names the registered generators when --generator is unknown, and the involution models when it does not apply', () => {
    const valid = 'expected one of: reduce-expand, linear, context, global, softmax';
    expect(() => parseCli(['train', '--model', 'seed-inv', '--generator', 'attention'])).toThrow(
      `--generator 'attention' is not valid; ${valid}`,
    );
    expect(() => parseCli(['compare', '--generator', 'attention'])).toThrow(
      `--generator 'attention' is not valid; ${valid}`,
    );
    expect(() => parseCli(['train', '--model', 'seed-conv', '--generator', 'linear'])).toThrow(
      /--generator applies to models built of involution layers \(seed-inv, inv-separable, .*rednet-50\); 'seed-conv' has none/,
    );
    expect(() => parseCli(['summary', '--model', 'seed-conv', '--generator', 'linear'])).toThrow(
      /--generator applies to models built of involution layers/,
    );
  });

  it('reads heatmaps, plot, compare and verify with their defaults', () => {
    expect(parseCli(['heatmaps', '--run', 'r', '--out', 'f.png'])).toEqual({
      command: 'heatmaps',
      run: 'r',
      images: 10,
      out: 'f.png',
      reduce: 'sum',
      colormap: 'viridis',
      normalize: 'image',
      overlay: false,
      dataDir: undefined,
      backend: 'auto',
      scale: 1,
    });
    expect(parseCli(['plot', '--runs', 'a', 'b', '--out', 'c.svg'])).toEqual({
      command: 'plot',
      runs: ['a', 'b'],
      out: 'c.svg',
      scale: 1,
      logLoss: false,
    });
    expect(parseCli(['heatmaps', '--run', 'r', '--out', 'f.png', '--scale', '2.5'])).toMatchObject({
      scale: 2.5,
    });
    expect(parseCli(['compare', '--data-dir', 'd'])).toEqual({
      command: 'compare',
      generator: undefined,
      dataDir: 'd',
      epochs: undefined,
      limit: undefined,
      backend: 'auto',
      out: 'runs/compare',
      resume: false,
    });
    expect(parseCli(['verify', '--run', 'r'])).toEqual({ command: 'verify', run: 'r' });
    expect(() => parseCli(['heatmaps', '--run', 'r'])).toThrow(/--out is required/);
    expect(() => parseCli(['evaluate', '--run', 'r', 'extra'])).toThrow(/unexpected argument 'extra'/);
  });
});
