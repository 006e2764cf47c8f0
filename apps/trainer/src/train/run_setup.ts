/**
 * The settings of a run about to train: a new run's from the flags and the seed's defaults; a resumed run's
 * from its config.json, where a flag that disagrees is an error and a larger `--epochs` extends the run.
 */
import { resolve } from 'node:path';
import { SEED_TRAINING, checkRecipe, type RunConfig, type RunSettings } from '../run/config.js';

const FLAG_OF: Record<keyof RunSettings, string> = {
  model: '--model',
  generator: '--generator',
  epochs: '--epochs',
  batchSize: '--batch-size',
  optimizer: '--optimizer',
  lr: '--lr',
  lrSchedule: '--lr-schedule',
  dataDir: '--data-dir',
  limit: '--limit',
  seed: '--seed',
  augment: '--augment',
  warmupEpochs: '--warmup-epochs',
  momentum: '--momentum',
  nesterov: '--nesterov',
  weightDecay: '--weight-decay',
  labelSmoothing: '--label-smoothing',
  cutout: '--cutout',
  ema: '--ema',
  float16Kernels: '--float16-kernels',
};

/** The settings actually given: a key present with an undefined value (from a caller like compare) is not. */
const definedSettings = (given: Partial<RunSettings>): Partial<RunSettings> =>
  Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined));

const shown = (value: unknown) => (value === undefined ? '(none)' : String(value));

export interface RunSetup {
  config: RunConfig;
  /** What resuming changes, said before training starts (an extension, data read from elsewhere). */
  notes: string[];
}

/** A new run: the given settings over the seed's; the data folder stored absolute. */
export function newRunConfig(settings: Partial<RunSettings>): RunConfig {
  const given = definedSettings(settings);
  if (given.model === undefined) throw new Error('inv train: --model is required for a new run');
  return checkRecipe(
    {
      ...SEED_TRAINING,
      generator: undefined,
      limit: undefined,
      ...given,
      model: given.model,
      dataDir: given.dataDir === undefined ? undefined : resolve(given.dataDir),
    },
    'inv train',
  );
}

/** What extending a run from `from` to `to` epochs does to its learning-rate schedule, in words. */
function extensionNote(saved: RunConfig, to: number): string {
  const what =
    saved.lrSchedule !== 'constant'
      ? `the ${saved.lrSchedule} schedule now spans ${to} epochs: from here on each step's learning rate follows the ${to}-epoch curve (not the ${saved.epochs}-epoch one, and it does not restart), so the result differs from a run of ${to} epochs from the start`
      : 'the constant learning rate is unchanged';
  return `extending the run from ${saved.epochs} to ${to} epochs (config.json now says ${to}); ${what}`;
}

/** A resumed run: its config.json, checked against the flags given (`configPath` names it in errors). */
export function resumedRunConfig(
  settings: Partial<RunSettings>,
  saved: RunConfig,
  configPath: string,
): RunSetup {
  const given = definedSettings(settings);
  const notes: string[] = [];
  const config: RunConfig = { ...saved };
  for (const key of Object.keys(given) as (keyof RunSettings)[]) {
    const value = key === 'dataDir' && given.dataDir !== undefined ? resolve(given.dataDir) : given[key];
    if (value === saved[key]) continue;
    if (key === 'dataDir') {
      // Where the data lives is not a setting: its files are checked against the run's fingerprint.
      notes.push(`reading the data from ${shown(value)} (${configPath} said ${shown(saved.dataDir)})`);
      config.dataDir = value as string;
    } else if (key === 'epochs' && (value as number) > saved.epochs) {
      notes.push(extensionNote(saved, value as number));
      config.epochs = value as number;
    } else {
      throw new Error(
        `${FLAG_OF[key]} ${shown(value)} differs from the run's ${shown(saved[key])} (${configPath}); --resume keeps a run's settings${
          key === 'epochs' ? ' (a run can be extended, not shortened)' : ''
        }: drop ${FLAG_OF[key]}, or start a new run with another --out`,
      );
    }
  }
  return { config, notes };
}
