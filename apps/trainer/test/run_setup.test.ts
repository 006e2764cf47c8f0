import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError } from '@inv/data';
import { RECIPE_DEFAULTS, SEED_TRAINING, checkRunConfig, type RunConfig } from '../src/run/config.js';
import { inCliWords } from '../src/train/data.js';
import { newRunConfig, resumedRunConfig } from '../src/train/run_setup.js';

const saved: RunConfig = {
  ...SEED_TRAINING,
  model: 'seed-inv',
  generator: undefined,
  epochs: 5,
  dataDir: '/data/cifar',
  limit: undefined,
};

describe('the settings phase', () => {
  it('a new run: the given settings over the seed, the data folder absolute', () => {
    expect(newRunConfig({ model: 'seed-conv', lr: 0.01, dataDir: 'rel/dir', epochs: undefined })).toEqual({
      ...SEED_TRAINING,
      model: 'seed-conv',
      generator: undefined,
      limit: undefined,
      lr: 0.01,
      dataDir: resolve('rel/dir'),
    });
    expect(() => newRunConfig({})).toThrow('--model is required for a new run');
  });

  it('a resumed run: the saved settings; equal flags pass, a larger --epochs extends, another folder is noted', () => {
    expect(resumedRunConfig({}, saved, 'c.json')).toEqual({ config: saved, notes: [] });
    expect(resumedRunConfig({ model: 'seed-inv', epochs: 5, lr: 1e-3 }, saved, 'c.json').notes).toEqual([]);
    const extended = resumedRunConfig({ epochs: 7 }, saved, 'c.json');
    expect(extended.config.epochs).toBe(7);
    expect(extended.notes).toEqual([
      'extending the run from 5 to 7 epochs (config.json now says 7); the constant learning rate is unchanged',
    ]);
    const moved = resumedRunConfig({ dataDir: '/elsewhere' }, saved, 'c.json');
    expect(moved.config.dataDir).toBe('/elsewhere');
    expect(moved.notes).toEqual(['reading the data from /elsewhere (c.json said /data/cifar)']);
  });

  it('a resumed run: a differing setting is an error naming the flag and both values', () => {
    expect(() => resumedRunConfig({ batchSize: 64 }, saved, 'c.json')).toThrow(
      "--batch-size 64 differs from the run's 256 (c.json); --resume keeps a run's settings: drop --batch-size, or start a new run with another --out",
    );
    expect(() => resumedRunConfig({ epochs: 3 }, saved, 'c.json')).toThrow(
      "--epochs 3 differs from the run's 5 (c.json); --resume keeps a run's settings (a run can be extended, not shortened)",
    );
  });
});

describe('the recipe settings', () => {
  it('are off by default, and an old config.json without them reads as that', () => {
    expect(newRunConfig({ model: 'resinv' })).toMatchObject(RECIPE_DEFAULTS);
    expect(Object.values(RECIPE_DEFAULTS).every((v) => v === 0 || v === false)).toBe(true);
    const old = Object.fromEntries(Object.entries(saved).filter(([key]) => !(key in RECIPE_DEFAULTS)));
    expect(Object.keys(old)).not.toContain('ema');
    expect(checkRunConfig(old, 'old/config.json')).toEqual(saved);
  });

  it('refuse combinations that do not work together, naming the flags', () => {
    expect(() => newRunConfig({ model: 'resinv', momentum: 0.9 })).toThrow(
      'inv train: momentum 0.9 applies to --optimizer sgd, not adam',
    );
    expect(() => newRunConfig({ model: 'resinv', optimizer: 'sgd', nesterov: true })).toThrow(
      'inv train: nesterov needs --optimizer sgd with a --momentum above 0',
    );
    expect(() => newRunConfig({ model: 'resinv', cutout: 8 })).toThrow(
      'inv train: cutout 8 is part of the augmentation: add --augment',
    );
    expect(() => checkRunConfig({ ...saved, ema: 1 }, 'r/config.json')).toThrow(
      "r/config.json: 'ema' is 1; expected a number in [0, 1) (0: no average)",
    );
  });

  it('a resumed run refuses a recipe flag that differs, by its flag name', () => {
    expect(() => resumedRunConfig({ labelSmoothing: 0.1 }, saved, 'c.json')).toThrow(
      "--label-smoothing 0.1 differs from the run's 0 (c.json)",
    );
  });
});

describe('data errors in the CLI', () => {
  it("use the CLI's flags, not @inv/data's options", () => {
    const error = inCliWords(
      new DataError(
        'MISSING_DATA',
        'CIFAR-10 not found. Looked at: /x (dir option). To get the data: pass { dir } (the cifar-10-batches-bin folder), set INV_CIFAR10_DIR, or pass { download: true } to fetch https://h/c.tar.gz into /cache.',
      ),
    ) as DataError;
    expect(error.message).toBe(
      'CIFAR-10 not found. Looked at: /x (--data-dir). To get the data: pass --data-dir DIR (the cifar-10-batches-bin folder), set INV_CIFAR10_DIR, or download https://h/c.tar.gz and pass --data-dir with it.',
    );
    expect(error.code).toBe('MISSING_DATA');
  });
});
