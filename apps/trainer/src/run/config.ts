/**
 * A run's settings and its config.json: what determines a run's result, read back with every field checked so
 * a damaged or hand-edited file is an error naming config.json and the field, never a silently different run.
 */
import { IMAGE_SIZE } from '@inv/data';
import { join, resolve } from 'node:path';
import { LR_SCHEDULES, OPTIMIZERS, type LrSchedule, type OptimizerName } from '../recipe/optimizer.js';
import { readJsonFile } from './files.js';

/** The settings of a run, as flags of `inv train` give them. */
export interface RunSettings {
  model: string;
  /** Kernel generator of the model's involution layers; undefined: the model's own (reduce-expand). */
  generator: string | undefined;
  epochs: number;
  batchSize: number;
  optimizer: OptimizerName;
  lr: number;
  /** How the rate moves step by step (see `scheduledLearningRate`): constant, cosine or onecycle. */
  lrSchedule: LrSchedule;
  /** Epochs of linear warm-up at the start of the schedule (may be fractional). 0: none. */
  warmupEpochs: number;
  /** SGD's momentum; 0: plain SGD. */
  momentum: number;
  /** Nesterov momentum (SGD with momentum only). */
  nesterov: boolean;
  /** Decoupled weight decay of the kernels, w ← w · (1 − lr · weightDecay) each step. 0: none. */
  weightDecay: number;
  /** Label smoothing ε of the training loss (the targets become (1 − ε) · one-hot + ε / 10). 0: none. */
  labelSmoothing: number;
  /** Side of the cutout square of the augmentation (needs `augment`). 0: none. */
  cutout: number;
  /** Decay of the exponential moving average of the weights, evaluated and checkpointed beside them. 0: none. */
  ema: number;
  /**
   * The involution layers store their generated kernels as float16 (rounded once; sums stay float32): half the
   * memory a step holds for them. webgpu only (@inv/core's `FLOAT16_KERNELS_FLAG`).
   */
  float16Kernels: boolean;
  /** Absolute in config.json; undefined: `INV_CIFAR10_DIR` or the cache. */
  dataDir: string | undefined;
  limit: number | undefined;
  seed: number;
  augment: boolean;
}

/** What config.json records: the settings, and the SHA-256 of each data file the run read (by file name). */
export interface RunConfig extends RunSettings {
  dataSha256?: Record<string, string>;
}

/** The recipe settings that runs from before they existed did without (their config.json has none of them). */
export const RECIPE_DEFAULTS = {
  warmupEpochs: 0,
  momentum: 0,
  nesterov: false,
  weightDecay: 0,
  labelSmoothing: 0,
  cutout: 0,
  ema: 0,
  float16Kernels: false,
} as const;

/** The Keras seed's training settings: the defaults of `inv train`, and what `inv compare` trains with. */
export const SEED_TRAINING = {
  epochs: 20,
  batchSize: 256,
  optimizer: 'adam',
  lr: 1e-3,
  lrSchedule: 'constant',
  seed: 42,
  augment: false,
  ...RECIPE_DEFAULTS,
} as const;

export const CONFIG_FILE = 'config.json';

/** The largest cutout square: the image itself. */
export const MAX_CUTOUT = IMAGE_SIZE;

type Check = (value: unknown) => boolean;
const isInteger =
  (min: number): Check =>
  (v) =>
    Number.isInteger(v) && (v as number) >= min;
const isString: Check = (v) => typeof v === 'string' && v !== '';
const optional =
  (check: Check): Check =>
  (v) =>
    v === undefined || check(v);
const inRange =
  (min: number, max: number): Check =>
  (v) =>
    typeof v === 'number' && v >= min && v < max;
const isBoolean: Check = (v) => typeof v === 'boolean';
const among =
  (valid: readonly string[]): Check =>
  (v) =>
    valid.includes(v as string);

/** Each field of config.json, with what it must be (the words go into the error). */
const FIELDS: Record<keyof RunConfig, [Check, string]> = {
  model: [isString, 'a model name'],
  generator: [optional(isString), 'a generator name or absent'],
  epochs: [isInteger(1), 'an integer >= 1'],
  batchSize: [isInteger(1), 'an integer >= 1'],
  optimizer: [among(OPTIMIZERS), `one of ${OPTIMIZERS.join(', ')}`],
  lr: [(v) => typeof v === 'number' && Number.isFinite(v) && v > 0, 'a positive number'],
  lrSchedule: [among(LR_SCHEDULES), `one of ${LR_SCHEDULES.join(', ')}`],
  dataDir: [optional((v) => isString(v) && (v as string).startsWith('/')), 'an absolute path or absent'],
  limit: [optional(isInteger(1)), 'an integer >= 1 or absent'],
  seed: [isInteger(0), 'an integer >= 0'],
  augment: [isBoolean, 'true or false'],
  warmupEpochs: [inRange(0, Infinity), 'a number >= 0'],
  momentum: [inRange(0, 1), 'a number in [0, 1)'],
  nesterov: [isBoolean, 'true or false'],
  weightDecay: [inRange(0, Infinity), 'a number >= 0'],
  labelSmoothing: [inRange(0, 1), 'a number in [0, 1)'],
  cutout: [(v) => isInteger(0)(v) && (v as number) <= MAX_CUTOUT, `an integer from 0 to ${MAX_CUTOUT}`],
  ema: [inRange(0, 1), 'a number in [0, 1) (0: no average)'],
  float16Kernels: [isBoolean, 'true or false'],
  dataSha256: [
    optional(
      (v) =>
        typeof v === 'object' &&
        v !== null &&
        Object.values(v).every((h) => /^[0-9a-f]{64}$/.test(h as string)),
    ),
    'an object of SHA-256 hex digests or absent',
  ],
};

/**
 * Checks a parsed config.json field by field. Runs from before schedules existed have none (constant), and
 * runs from before the recipe settings none of those (each off).
 */
export function checkRunConfig(value: unknown, path: string): RunConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`${path}: expected a JSON object of run settings`);
  const config = { lrSchedule: 'constant', ...RECIPE_DEFAULTS, ...value } as Record<string, unknown>;
  for (const [field, [check, expected]] of Object.entries(FIELDS)) {
    if (!check(config[field]))
      throw new Error(`${path}: '${field}' is ${JSON.stringify(config[field])}; expected ${expected}`);
  }
  const unknown = Object.keys(config).filter((k) => !(k in FIELDS));
  if (unknown.length > 0)
    throw new Error(
      `${path}: unknown field '${unknown[0]}'; expected only ${Object.keys(FIELDS).join(', ')}`,
    );
  return checkRecipe(config as unknown as RunConfig, path);
}

/** The settings that only make sense together; `where` is the flags or the file they came from. */
export function checkRecipe<T extends RunSettings>(settings: T, where: string): T {
  if (settings.momentum > 0 && settings.optimizer !== 'sgd')
    throw new Error(
      `${where}: momentum ${settings.momentum} applies to --optimizer sgd, not ${settings.optimizer}`,
    );
  if (settings.nesterov && !(settings.optimizer === 'sgd' && settings.momentum > 0))
    throw new Error(`${where}: nesterov needs --optimizer sgd with a --momentum above 0`);
  if (settings.cutout > 0 && !settings.augment)
    throw new Error(`${where}: cutout ${settings.cutout} is part of the augmentation: add --augment`);
  return settings;
}

/** Reads and checks `<runDir>/config.json`, saying what a run folder is when there is none. */
export async function readRunConfig(run: string, flag = '--run'): Promise<RunConfig> {
  const runDir = resolve(run);
  const path = join(runDir, CONFIG_FILE);
  return checkRunConfig(
    await readJsonFile(path, 'run settings', {
      missing: `${flag} ${runDir} is not a run folder (no ${CONFIG_FILE}); runs are made by 'inv train --out DIR'`,
    }),
    path,
  );
}

/** The model of a run, with its kernel generator when one was chosen: `seed-inv with the softmax generator`. */
export function describeModel(config: Pick<RunSettings, 'model' | 'generator'>): string {
  return config.generator === undefined
    ? config.model
    : `${config.model} with the ${config.generator} generator`;
}
