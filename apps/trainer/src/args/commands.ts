/**
 * The table of `inv` commands: for each, the flags it accepts (in the order its usage line shows them) and how
 * its values become the command's arguments. A flag not in a command's row is an error, never ignored.
 */
import { BACKEND_NAMES } from '@inv/core';
import { listModels } from '@inv/models';
import { COLORMAPS, NORMALIZATIONS, REDUCTIONS } from '@inv/viz';
import { MAX_FIGURE_SCALE } from '../commands/figure_file.js';
import { kernelGenerators } from '../generators.js';
import { MAX_CUTOUT, type RunSettings } from '../run/config.js';
import { LR_SCHEDULES, OPTIMIZERS } from '../recipe/optimizer.js';
import type { BackendChoice, CliArgs, CommandName } from './types.js';
import { integer, nonEmpty, numberIn, oneOf, positive } from './values.js';

/** Every flag of any command, with its kind for node's parseArgs. */
export const FLAGS = {
  model: { type: 'string' },
  generator: { type: 'string' },
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  optimizer: { type: 'string' },
  lr: { type: 'string' },
  'lr-schedule': { type: 'string' },
  'data-dir': { type: 'string' },
  limit: { type: 'string' },
  seed: { type: 'string' },
  backend: { type: 'string' },
  out: { type: 'string' },
  resume: { type: 'boolean' },
  augment: { type: 'boolean' },
  'warmup-epochs': { type: 'string' },
  momentum: { type: 'string' },
  nesterov: { type: 'boolean' },
  'weight-decay': { type: 'string' },
  'label-smoothing': { type: 'string' },
  cutout: { type: 'string' },
  ema: { type: 'string' },
  tta: { type: 'boolean' },
  weights: { type: 'string' },
  run: { type: 'string' },
  'model-dir': { type: 'string' },
  checkpoint: { type: 'string' },
  images: { type: 'string' },
  reduce: { type: 'string' },
  colormap: { type: 'string' },
  normalize: { type: 'string' },
  overlay: { type: 'boolean' },
  runs: { type: 'string', multiple: true },
  scale: { type: 'string' },
  'log-loss': { type: 'boolean' },
  'float16-kernels': { type: 'boolean' },
} as const satisfies Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>;
export type FlagName = keyof typeof FLAGS;

/** The parsed flags of one command line: strings, `true` for boolean flags, a list for `--runs`. */
export type FlagValues = Partial<Record<FlagName, string | boolean | string[]>>;

/** The most rows a heatmap figure takes: each test image is one row of every layer's kernels. */
export const MAX_HEATMAP_IMAGES = 100;

interface CommandSpec {
  /** Flag → how the usage line shows it (`--model NAME`, `[--epochs 20]`). */
  flags: Partial<Record<FlagName, string>>;
  /** Whether bare words are read (only `plot`: the values after `--runs A B`). */
  positionals?: boolean;
  parse(values: FlagValues, positionals: string[]): CliArgs;
}

const modelNames = () => listModels().map((m) => m.name);
const backends = ['auto', ...BACKEND_NAMES] as const;

const text = (values: FlagValues, flag: FlagName): string | undefined => {
  const value = values[flag];
  return typeof value === 'string' ? nonEmpty(flag, value) : undefined;
};
const required = (values: FlagValues, flag: FlagName, command: CommandName): string => {
  const value = text(values, flag);
  if (value === undefined) throw new Error(`inv ${command}: --${flag} is required\n${usageOf(command)}`);
  return value;
};
const backend = (values: FlagValues): BackendChoice =>
  oneOf('backend', text(values, 'backend') ?? 'auto', backends);
const optionalInteger = (
  values: FlagValues,
  flag: FlagName,
  min: number,
  max?: number,
): number | undefined => {
  const value = text(values, flag);
  return value === undefined ? undefined : integer(flag, value, min, max);
};

/** `--scale`: a PNG's size over its layout's, above 0 and at most MAX_FIGURE_SCALE. Default 1. */
const figureScale = (values: FlagValues): number => {
  const value = text(values, 'scale');
  if (value === undefined) return 1;
  const scale = positive('scale', value);
  if (scale > MAX_FIGURE_SCALE)
    throw new Error(`--scale '${value}' is not valid; expected a positive number up to ${MAX_FIGURE_SCALE}`);
  return scale;
};

/** `--generator`, if given: a registered kernel generator, and with `model` one built of involution layers. */
export function generatorFor(value: string | undefined, model: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const generator = oneOf('generator', value, kernelGenerators());
  const involutionModels = listModels()
    .filter((m) => m.involution)
    .map((m) => m.name);
  if (model !== undefined && !involutionModels.includes(model)) {
    throw new Error(
      `--generator applies to models built of involution layers (${involutionModels.join(', ')}); '${model}' has none`,
    );
  }
  return generator;
}

/** The run settings given as flags of `inv train`, and only those. */
function trainSettings(values: FlagValues): Partial<RunSettings> {
  const settings: Partial<RunSettings> = {};
  const model = text(values, 'model');
  if (model !== undefined) settings.model = oneOf('model', model, modelNames());
  if (values.generator !== undefined)
    settings.generator = generatorFor(text(values, 'generator'), settings.model);
  const epochs = optionalInteger(values, 'epochs', 1);
  if (epochs !== undefined) settings.epochs = epochs;
  const batchSize = optionalInteger(values, 'batch-size', 1);
  if (batchSize !== undefined) settings.batchSize = batchSize;
  const optimizer = text(values, 'optimizer');
  if (optimizer !== undefined) settings.optimizer = oneOf('optimizer', optimizer, OPTIMIZERS);
  const lr = text(values, 'lr');
  if (lr !== undefined) settings.lr = positive('lr', lr);
  const schedule = text(values, 'lr-schedule');
  if (schedule !== undefined) settings.lrSchedule = oneOf('lr-schedule', schedule, LR_SCHEDULES);
  const dataDir = text(values, 'data-dir');
  if (dataDir !== undefined) settings.dataDir = dataDir;
  const limit = optionalInteger(values, 'limit', 1);
  if (limit !== undefined) settings.limit = limit;
  const seed = optionalInteger(values, 'seed', 0);
  if (seed !== undefined) settings.seed = seed;
  if (values.augment === true) settings.augment = true;
  if (values['float16-kernels'] === true) settings.float16Kernels = true;
  const number = (flag: FlagName, min: number, below?: number) => {
    const value = text(values, flag);
    return value === undefined ? undefined : numberIn(flag, value, min, below);
  };
  const recipe: Partial<RunSettings> = {
    warmupEpochs: number('warmup-epochs', 0),
    momentum: number('momentum', 0, 1),
    nesterov: values.nesterov === true ? true : undefined,
    weightDecay: number('weight-decay', 0),
    labelSmoothing: number('label-smoothing', 0, 1),
    cutout: optionalInteger(values, 'cutout', 0, MAX_CUTOUT),
    ema: number('ema', 0, 1),
  };
  for (const [key, value] of Object.entries(recipe))
    if (value !== undefined) Object.assign(settings, { [key]: value });
  return settings;
}

export const COMMANDS: Record<CommandName, CommandSpec> = {
  train: {
    flags: {
      model: '--model NAME',
      generator: '[--generator NAME]',
      epochs: '[--epochs 20]',
      'batch-size': '[--batch-size 256]',
      optimizer: `[--optimizer ${OPTIMIZERS.join('|')}]`,
      lr: '[--lr 1e-3]',
      'lr-schedule': `[--lr-schedule ${LR_SCHEDULES.join('|')}]`,
      'data-dir': '[--data-dir DIR]',
      limit: '[--limit N]',
      seed: '[--seed 42]',
      backend: '[--backend auto]',
      out: '[--out runs/NAME]',
      resume: '[--resume]',
      augment: '[--augment]',
      cutout: '[--cutout 0]',
      'warmup-epochs': '[--warmup-epochs 0]',
      momentum: '[--momentum 0]',
      nesterov: '[--nesterov]',
      'weight-decay': '[--weight-decay 0]',
      'label-smoothing': '[--label-smoothing 0]',
      ema: '[--ema 0]',
      'float16-kernels': '[--float16-kernels]',
    },
    parse(values) {
      const settings = trainSettings(values);
      const resume = values.resume === true;
      const out =
        text(values, 'out') ?? (settings.model === undefined ? undefined : `runs/${settings.model}`);
      if (out === undefined) {
        throw new Error(
          resume
            ? 'inv train --resume: --out DIR is required (the run folder to continue)'
            : `inv train: --model is required\n${usageOf('train')}`,
        );
      }
      if (!resume && settings.model === undefined)
        throw new Error(`inv train: --model is required\n${usageOf('train')}`);
      return { command: 'train', settings, backend: backend(values), out, resume };
    },
  },
  evaluate: {
    flags: {
      run: '--run runs/NAME',
      'model-dir': '| --model-dir DIR',
      checkpoint: '[--checkpoint best|latest]',
      'data-dir': '[--data-dir DIR]',
      limit: '[--limit N]',
      backend: '[--backend auto]',
      weights: '[--weights raw|average]',
      tta: '[--tta]',
      out: '[--out result.json]',
    },
    parse(values) {
      const out = text(values, 'out');
      if (out !== undefined && !out.toLowerCase().endsWith('.json'))
        throw new Error(
          `--out ${out}: expected a file name ending in .json (evaluate writes its result as JSON)`,
        );
      const modelDir = text(values, 'model-dir');
      const shared = {
        command: 'evaluate' as const,
        dataDir: text(values, 'data-dir'),
        limit: optionalInteger(values, 'limit', 1),
        backend: backend(values),
        tta: values.tta === true,
        out,
      };
      if (modelDir !== undefined) {
        if (values.run !== undefined)
          throw new Error(
            "inv evaluate: --run and --model-dir exclude each other; evaluate a run's checkpoint or a model folder",
          );
        for (const flag of ['checkpoint', 'weights'] as const)
          if (values[flag] !== undefined)
            throw new Error(
              `--${flag} applies to --run (a run's checkpoints); a --model-dir folder holds one model`,
            );
        return { ...shared, modelDir };
      }
      if (values.run === undefined)
        throw new Error(`inv evaluate: --run or --model-dir is required\n${usageOf('evaluate')}`);
      return {
        ...shared,
        run: required(values, 'run', 'evaluate'),
        checkpoint: oneOf('checkpoint', text(values, 'checkpoint') ?? 'best', ['best', 'latest'] as const),
        weights: oneOf('weights', text(values, 'weights') ?? 'raw', ['raw', 'average'] as const),
      };
    },
  },
  export: {
    flags: {
      run: '--run runs/NAME',
      checkpoint: '[--checkpoint best|latest]',
      weights: '[--weights raw|average]',
      out: '--out DIR',
    },
    parse(values) {
      return {
        command: 'export',
        run: required(values, 'run', 'export'),
        checkpoint: oneOf('checkpoint', text(values, 'checkpoint') ?? 'best', ['best', 'latest'] as const),
        weights: oneOf('weights', text(values, 'weights') ?? 'raw', ['raw', 'average'] as const),
        out: required(values, 'out', 'export'),
      };
    },
  },
  summary: {
    flags: { model: '--model NAME', generator: '[--generator NAME]' },
    parse(values) {
      const model = oneOf('model', required(values, 'model', 'summary'), modelNames());
      return { command: 'summary', model, generator: generatorFor(text(values, 'generator'), model) };
    },
  },
  heatmaps: {
    flags: {
      run: '--run runs/NAME',
      images: `[--images 10 (at most ${MAX_HEATMAP_IMAGES})]`,
      out: '--out fig.png|.svg|.pdf',
      reduce: '[--reduce sum]',
      colormap: '[--colormap viridis]',
      normalize: '[--normalize image]',
      overlay: '[--overlay]',
      'data-dir': '[--data-dir DIR]',
      backend: '[--backend auto]',
      scale: '[--scale 1]',
    },
    parse(values) {
      const images = text(values, 'images');
      return {
        command: 'heatmaps',
        run: required(values, 'run', 'heatmaps'),
        images: images === undefined ? 10 : integer('images', images, 1, MAX_HEATMAP_IMAGES),
        out: required(values, 'out', 'heatmaps'),
        reduce: oneOf('reduce', text(values, 'reduce') ?? 'sum', REDUCTIONS),
        colormap: oneOf('colormap', text(values, 'colormap') ?? 'viridis', COLORMAPS),
        normalize: oneOf('normalize', text(values, 'normalize') ?? 'image', NORMALIZATIONS),
        overlay: values.overlay === true,
        dataDir: text(values, 'data-dir'),
        backend: backend(values),
        scale: figureScale(values),
      };
    },
  },
  plot: {
    flags: {
      runs: '--runs runs/A runs/B ...',
      out: '--out curves.png|.svg|.pdf',
      scale: '[--scale 1]',
      'log-loss': '[--log-loss]',
    },
    positionals: true,
    parse(values, positionals) {
      const runs = [...((values.runs as string[] | undefined) ?? []), ...positionals].map((r) =>
        nonEmpty('runs', r),
      );
      if (runs.length === 0)
        throw new Error(`inv plot: --runs is required (one or more run folders)\n${usageOf('plot')}`);
      return {
        command: 'plot',
        runs,
        out: required(values, 'out', 'plot'),
        scale: figureScale(values),
        logLoss: values['log-loss'] === true,
      };
    },
  },
  compare: {
    flags: {
      'data-dir': '--data-dir DIR',
      generator: '[--generator NAME]',
      epochs: '[--epochs 20]',
      limit: '[--limit N]',
      backend: '[--backend auto]',
      out: '[--out runs/compare]',
      resume: '[--resume]',
    },
    parse(values) {
      return {
        command: 'compare',
        generator: generatorFor(text(values, 'generator'), undefined),
        dataDir: text(values, 'data-dir'),
        epochs: optionalInteger(values, 'epochs', 1),
        limit: optionalInteger(values, 'limit', 1),
        backend: backend(values),
        out: text(values, 'out') ?? 'runs/compare',
        resume: values.resume === true,
      };
    },
  },
  verify: {
    flags: { run: '--run runs/NAME' },
    parse(values) {
      return { command: 'verify', run: required(values, 'run', 'verify') };
    },
  },
};

/** The usage line of `command`, wrapped at 110 columns under its name. */
export function usageOf(command: CommandName): string {
  const lines = [`  inv ${command}`];
  for (const flag of Object.values(COMMANDS[command].flags)) {
    if (lines.at(-1)!.length + flag.length + 1 > 110) lines.push(' '.repeat(command.length + 6));
    lines[lines.length - 1] += ` ${flag}`;
  }
  return lines.join('\n');
}
