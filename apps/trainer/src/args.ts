/** Command-line parsing for `inv`: each bad value is an error that says what was expected. */
import { parseArgs } from 'node:util';
import { BACKEND_NAMES, type BackendName } from '@inv/core';
import { listModels } from '@inv/models';
import {
  COLORMAPS,
  NORMALIZATIONS,
  REDUCTIONS,
  type ColormapName,
  type HeatmapNormalization,
  type Reduction,
} from '@inv/viz';
import { kernelGenerators } from './generators.js';

export const OPTIMIZERS = ['adam', 'sgd', 'rmsprop'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];
export const LR_SCHEDULES = ['constant', 'cosine'] as const;
export type LrSchedule = (typeof LR_SCHEDULES)[number];

export interface TrainArgs {
  command: 'train';
  model: string;
  /** Kernel generator of the model's involution layers; undefined: the model's own (reduce-expand). */
  generator: string | undefined;
  epochs: number;
  batchSize: number;
  optimizer: OptimizerName;
  lr: number;
  /** `cosine`: lr · ½(1 + cos(π · step / all steps)), step by step down to 0 at the last one. */
  lrSchedule: LrSchedule;
  dataDir: string | undefined;
  limit: number | undefined;
  seed: number;
  backend: BackendName | 'auto';
  out: string;
  resume: boolean;
  augment: boolean;
}

export interface EvaluateArgs {
  command: 'evaluate';
  run: string;
  checkpoint: 'best' | 'latest';
  dataDir: string | undefined;
  limit: number | undefined;
  backend: BackendName | 'auto';
}

export interface SummaryArgs {
  command: 'summary';
  model: string;
}

export interface HeatmapsArgs {
  command: 'heatmaps';
  run: string;
  images: number;
  out: string;
  reduce: Reduction;
  colormap: ColormapName;
  normalize: HeatmapNormalization;
  overlay: boolean;
  dataDir: string | undefined;
  backend: BackendName | 'auto';
}

export interface PlotArgs {
  command: 'plot';
  runs: string[];
  out: string;
}

export interface CompareArgs {
  command: 'compare';
  /** Kernel generator of seed-inv (the conv baseline has none); undefined: the seed's. */
  generator: string | undefined;
  dataDir: string | undefined;
  epochs: number;
  limit: number | undefined;
  backend: BackendName | 'auto';
  out: string;
  resume: boolean;
}

export type CliArgs = TrainArgs | EvaluateArgs | SummaryArgs | HeatmapsArgs | PlotArgs | CompareArgs;

/** The Keras seed's training settings: the defaults of `inv train`, and what `inv compare` trains with. */
export const SEED_TRAINING = {
  epochs: 20,
  batchSize: 256,
  optimizer: 'adam',
  lr: 1e-3,
  lrSchedule: 'constant',
  seed: 42,
  augment: false,
} as const;

export const USAGE = `usage:
  inv train --model NAME [--generator NAME] [--epochs 20] [--batch-size 256] [--optimizer adam] [--lr 1e-3]
            [--lr-schedule constant|cosine] [--data-dir DIR] [--limit N] [--seed 42] [--backend auto] [--out runs/NAME] [--resume] [--augment]
  inv evaluate --run runs/NAME [--checkpoint best|latest] [--data-dir DIR] [--limit N] [--backend auto]
  inv summary --model NAME
  inv heatmaps --run runs/NAME [--images 10] --out fig.png [--reduce sum] [--colormap viridis] [--normalize image]
               [--overlay] [--data-dir DIR] [--backend auto]
  inv plot --runs runs/A runs/B ... --out curves.png|curves.svg
  inv compare --data-dir DIR [--generator NAME] [--epochs 20] [--limit N] [--backend auto] [--out runs/compare] [--resume]
models: ${listModels()
  .map((m) => m.name)
  .join(', ')}; generators (involution models): ${kernelGenerators().join(', ')}
backends: auto, ${BACKEND_NAMES.join(', ')}; optimizers: ${OPTIMIZERS.join(', ')}
heatmaps: --reduce ${REDUCTIONS.join('|')}, --colormap ${COLORMAPS.join('|')}, --normalize ${NORMALIZATIONS.join('|')}`;

function oneOf<T extends string>(flag: string, value: string, valid: readonly T[]): T {
  if (!(valid as readonly string[]).includes(value)) {
    throw new Error(`--${flag} '${value}' is not valid; expected one of: ${valid.join(', ')}`);
  }
  return value as T;
}

function number(
  flag: string,
  value: string | undefined,
  { integer, min }: { integer: boolean; min: number },
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min) {
    throw new Error(
      `--${flag} '${value}' is not valid; expected ${integer ? 'an integer' : 'a number'} >= ${min}`,
    );
  }
  return n;
}

function required(flag: string, value: string | undefined): string {
  if (value === undefined || value === '') throw new Error(`--${flag} is required\n${USAGE}`);
  return value;
}

const backends = ['auto', ...BACKEND_NAMES] as const;

/** `--generator`, if given: a registered kernel generator. */
function generatorName(value: string | undefined): string | undefined {
  return value === undefined ? undefined : oneOf('generator', value, kernelGenerators());
}

/** `--generator` of `inv train`: also requires a model built of involution layers. */
function generatorFor(model: string, value: string | undefined): string | undefined {
  const generator = generatorName(value);
  if (generator === undefined) return undefined;
  const involutionModels = listModels()
    .filter((m) => m.involution)
    .map((m) => m.name);
  if (!involutionModels.includes(model)) {
    throw new Error(
      `--generator applies to models built of involution layers (${involutionModels.join(', ')}); '${model}' has none`,
    );
  }
  return generator;
}
const COMMANDS = ['train', 'evaluate', 'summary', 'heatmaps', 'plot', 'compare'] as const;

export function parseCli(argv: string[]): CliArgs {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    strict: true,
    // Only for `--runs A B`: the values after --runs arrive as positionals.
    allowPositionals: true,
    options: {
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
      run: { type: 'string' },
      checkpoint: { type: 'string' },
      images: { type: 'string' },
      reduce: { type: 'string' },
      colormap: { type: 'string' },
      normalize: { type: 'string' },
      overlay: { type: 'boolean' },
      runs: { type: 'string', multiple: true },
    },
  });
  if (command !== 'plot' && positionals.length > 0)
    throw new Error(`unexpected argument '${positionals[0]}'\n${USAGE}`);
  const limit = number('limit', values.limit, { integer: true, min: 1 });
  const backend = oneOf('backend', values.backend ?? 'auto', backends);
  switch (command) {
    case 'train': {
      const model = oneOf(
        'model',
        required('model', values.model),
        listModels().map((m) => m.name),
      );
      return {
        command,
        model,
        generator: generatorFor(model, values.generator),
        epochs: number('epochs', values.epochs, { integer: true, min: 1 }) ?? SEED_TRAINING.epochs,
        batchSize:
          number('batch-size', values['batch-size'], { integer: true, min: 1 }) ?? SEED_TRAINING.batchSize,
        optimizer: oneOf('optimizer', values.optimizer ?? SEED_TRAINING.optimizer, OPTIMIZERS),
        lr: number('lr', values.lr, { integer: false, min: Number.MIN_VALUE }) ?? SEED_TRAINING.lr,
        lrSchedule: oneOf('lr-schedule', values['lr-schedule'] ?? SEED_TRAINING.lrSchedule, LR_SCHEDULES),
        dataDir: values['data-dir'],
        limit,
        seed: number('seed', values.seed, { integer: true, min: 0 }) ?? SEED_TRAINING.seed,
        backend,
        out: values.out ?? `runs/${model}`,
        resume: values.resume ?? false,
        augment: values.augment ?? SEED_TRAINING.augment,
      };
    }
    case 'evaluate':
      return {
        command,
        run: required('run', values.run),
        checkpoint: oneOf('checkpoint', values.checkpoint ?? 'best', ['best', 'latest'] as const),
        dataDir: values['data-dir'],
        limit,
        backend,
      };
    case 'summary':
      return {
        command,
        model: oneOf(
          'model',
          required('model', values.model),
          listModels().map((m) => m.name),
        ),
      };
    case 'heatmaps':
      return {
        command,
        run: required('run', values.run),
        images: number('images', values.images, { integer: true, min: 1 }) ?? 10,
        out: required('out', values.out),
        reduce: oneOf('reduce', values.reduce ?? 'sum', REDUCTIONS),
        colormap: oneOf('colormap', values.colormap ?? 'viridis', COLORMAPS),
        normalize: oneOf('normalize', values.normalize ?? 'image', NORMALIZATIONS),
        overlay: values.overlay ?? false,
        dataDir: values['data-dir'],
        backend,
      };
    case 'plot': {
      const runs = [...(values.runs ?? []), ...positionals];
      if (runs.length === 0) throw new Error(`--runs is required (one or more run directories)\n${USAGE}`);
      return { command, runs, out: required('out', values.out) };
    }
    case 'compare':
      return {
        command,
        generator: generatorName(values.generator),
        dataDir: values['data-dir'],
        epochs: number('epochs', values.epochs, { integer: true, min: 1 }) ?? SEED_TRAINING.epochs,
        limit,
        backend,
        out: values.out ?? 'runs/compare',
        resume: values.resume ?? false,
      };
    default:
      throw new Error(
        `unknown command '${command ?? ''}'; expected one of: ${COMMANDS.join(', ')}\n${USAGE}`,
      );
  }
}
