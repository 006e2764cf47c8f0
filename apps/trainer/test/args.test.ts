import { describe, expect, it } from 'vitest';
import { parseCli, USAGE } from '../src/args.js';

describe('parseCli', () => {
  it('fills the seed experiment defaults', () => {
    expect(parseCli(['train', '--model', 'seed-conv'])).toEqual({
      command: 'train',
      model: 'seed-conv',
      generator: undefined,
      epochs: 20,
      batchSize: 256,
      optimizer: 'adam',
      lr: 1e-3,
      lrSchedule: 'constant',
      dataDir: undefined,
      limit: undefined,
      seed: 42,
      backend: 'auto',
      out: 'runs/seed-conv',
      resume: false,
      augment: false,
    });
  });

  it('reads every flag', () => {
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
    ]);
    expect(args).toMatchObject({
      epochs: 3,
      batchSize: 64,
      optimizer: 'sgd',
      lr: 0.01,
      lrSchedule: 'cosine',
      dataDir: '/d',
      limit: 500,
      seed: 7,
      backend: 'wasm',
      out: 'o',
      resume: true,
      augment: true,
    });
  });

  it('names the valid choices when a value is unknown', () => {
    expect(() => parseCli(['train', '--model', 'resnet'])).toThrow(
      /--model 'resnet' is not valid; expected one of: seed-conv/,
    );
    expect(() => parseCli(['train', '--model', 'seed-conv', '--backend', 'webgl'])).toThrow(
      "--backend 'webgl' is not valid; expected one of: auto, tensorflow, webgpu, wasm, cpu",
    );
    expect(() => parseCli(['train', '--model', 'seed-conv', '--optimizer', 'lbfgs'])).toThrow(
      "--optimizer 'lbfgs' is not valid; expected one of: adam, sgd, rmsprop",
    );
    expect(() => parseCli(['train', '--model', 'seed-conv', '--lr-schedule', 'step'])).toThrow(
      "--lr-schedule 'step' is not valid; expected one of: constant, cosine",
    );
    expect(() => parseCli(['train', '--model', 'seed-conv', '--epochs', '0'])).toThrow(
      "--epochs '0' is not valid; expected an integer >= 1",
    );
    expect(() => parseCli(['fit'])).toThrow(
      /unknown command 'fit'; expected one of: train, evaluate, summary, heatmaps, plot, compare/,
    );
    expect(() => parseCli(['train'])).toThrow(/--model is required/);
    expect(() => parseCli(['train', '--model', 'seed-conv', '--bogus'])).toThrow(/bogus/);
  });

  it('reads --generator, plugin generators included, for involution models and compare', () => {
    expect(parseCli(['train', '--model', 'seed-inv', '--generator', 'softmax'])).toMatchObject({
      model: 'seed-inv',
      generator: 'softmax',
    });
    expect(parseCli(['train', '--model', 'rednet-26', '--generator', 'context'])).toMatchObject({
      generator: 'context',
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
      "--generator applies to models built of involution layers (seed-inv, inv-separable, inv-separable-deep, rednet-26, rednet-38, rednet-50); 'seed-conv' has none",
    );
  });

  it('reads heatmaps, plot and compare with their defaults', () => {
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
    });
    expect(parseCli(['plot', '--runs', 'a', 'b', '--out', 'c.svg'])).toEqual({
      command: 'plot',
      runs: ['a', 'b'],
      out: 'c.svg',
    });
    expect(parseCli(['compare', '--data-dir', 'd'])).toEqual({
      command: 'compare',
      generator: undefined,
      dataDir: 'd',
      epochs: 20,
      limit: undefined,
      backend: 'auto',
      out: 'runs/compare',
      resume: false,
    });
    expect(() => parseCli(['heatmaps', '--run', 'r'])).toThrow(/--out is required/);
    expect(() => parseCli(['evaluate', '--run', 'r', 'extra'])).toThrow(/unexpected argument 'extra'/);
  });
});
