// The programmatic API of the trainer (the `inv` CLI is dist/cli.js).
export { parseCli, USAGE, OPTIMIZERS, SEED_TRAINING } from './args.js';
export type {
  CliArgs,
  TrainArgs,
  EvaluateArgs,
  SummaryArgs,
  HeatmapsArgs,
  PlotArgs,
  CompareArgs,
  OptimizerName,
} from './args.js';
export { train, evaluate, loadSplits } from './train/train.js';
export type { RunConfig, TrainOutcome, TrainStatus, TrainIo } from './train/train.js';
export { evaluateCommand } from './commands/evaluate.js';
export { heatmapsCommand, heatmapFigure } from './commands/heatmaps.js';
export type { HeatmapFigureOptions } from './commands/heatmaps.js';
export { plotCommand, curvesOfRuns } from './commands/plot.js';
export { compareCommand, SEED_EXPERIMENT } from './commands/compare.js';
export type { CompareOutcome } from './commands/compare.js';
export { loadCheckpoint, saveCheckpoint } from './run/checkpoint.js';
export type { TrainingState, LoadedCheckpoint, CheckpointName } from './run/checkpoint.js';
export { readHistory } from './run/run_dir.js';
export type { EpochRecord } from './run/run_dir.js';
