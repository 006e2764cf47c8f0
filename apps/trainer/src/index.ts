// The programmatic API of the trainer (the `inv` CLI is dist/cli.js).
export { parseCli, USAGE, OPTIMIZERS } from './args.js';
export type { CliArgs, TrainArgs, EvaluateArgs, SummaryArgs, OptimizerName } from './args.js';
export { train, evaluate, loadSplits } from './train/train.js';
export type { RunConfig, TrainOutcome, TrainStatus, TrainIo } from './train/train.js';
export { evaluateCommand } from './commands/evaluate.js';
export { loadCheckpoint, saveCheckpoint } from './run/checkpoint.js';
export type { TrainingState, LoadedCheckpoint, CheckpointName } from './run/checkpoint.js';
export { readHistory } from './run/run_dir.js';
export type { EpochRecord } from './run/run_dir.js';
