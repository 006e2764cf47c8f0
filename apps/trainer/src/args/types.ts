/** What each `inv` command receives from the command line. */
import type { BackendName } from '@inv/core';
import type { ColormapName, HeatmapNormalization, Reduction } from '@inv/viz';
import type { RunSettings } from '../run/config.js';

export type BackendChoice = BackendName | 'auto';

export interface TrainArgs {
  command: 'train';
  /**
   * Only the settings given as flags. A new run takes the rest from {@link SEED_TRAINING}; a resumed one takes
   * all from its config.json, and a given one that differs is an error (but a larger `epochs` extends the run).
   */
  settings: Partial<RunSettings>;
  backend: BackendChoice;
  out: string;
  resume: boolean;
}

export interface EvaluateArgs {
  command: 'evaluate';
  run: string;
  checkpoint: 'best' | 'latest';
  dataDir: string | undefined;
  limit: number | undefined;
  backend: BackendChoice;
  /** The checkpoint's raw weights, or their moving average (runs trained with `--ema`). */
  weights: 'raw' | 'average';
  /** Average each image's logits with its mirror image's (test-time augmentation). */
  tta: boolean;
  /** Where to write the result as JSON (`.json`), besides printing it. */
  out: string | undefined;
}

/** `inv evaluate --model-dir DIR`: a model folder in tfjs format with inv's metadata (the Train page's download). */
export interface EvaluateModelDirArgs {
  command: 'evaluate';
  modelDir: string;
  dataDir: string | undefined;
  limit: number | undefined;
  backend: BackendChoice;
  tta: boolean;
  out: string | undefined;
}

/** `inv export`: a run's checkpoint as a model folder (tfjs layers format with inv's metadata). */
export interface ExportArgs {
  command: 'export';
  run: string;
  checkpoint: 'best' | 'latest';
  /** The checkpoint's raw weights, or their moving average (runs trained with `--ema`). */
  weights: 'raw' | 'average';
  /** The folder to write; it must not exist yet. */
  out: string;
}

export interface SummaryArgs {
  command: 'summary';
  model: string;
  generator: string | undefined;
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
  backend: BackendChoice;
  /** A PNG's size over its layout's (2: twice the pixels each way, for print). */
  scale: number;
}

export interface PlotArgs {
  command: 'plot';
  runs: string[];
  out: string;
  /** A PNG's size over its layout's. */
  scale: number;
  /** The loss axis in log scale (a diverging epoch no longer flattens the others). */
  logLoss: boolean;
}

export interface CompareArgs {
  command: 'compare';
  /** Kernel generator of seed-inv (the conv baseline has none); undefined: the seed's. */
  generator: string | undefined;
  dataDir: string | undefined;
  /** Undefined: the seed's 20 for new runs; resumed runs keep theirs. */
  epochs: number | undefined;
  limit: number | undefined;
  backend: BackendChoice;
  out: string;
  resume: boolean;
}

export interface VerifyArgs {
  command: 'verify';
  run: string;
}

export type CliArgs =
  | TrainArgs
  | EvaluateArgs
  | EvaluateModelDirArgs
  | ExportArgs
  | SummaryArgs
  | HeatmapsArgs
  | PlotArgs
  | CompareArgs
  | VerifyArgs;
export type CommandName = CliArgs['command'];
