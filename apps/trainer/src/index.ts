// The programmatic API of the trainer (the `inv` CLI is dist/cli.js).
export { parseCli, USAGE, OPTIMIZERS, SEED_TRAINING, MAX_HEATMAP_IMAGES } from './args.js';
export type {
  CliArgs,
  TrainArgs,
  EvaluateArgs,
  EvaluateModelDirArgs,
  ExportArgs,
  SummaryArgs,
  HeatmapsArgs,
  PlotArgs,
  CompareArgs,
  VerifyArgs,
  OptimizerName,
  RunSettings,
} from './args.js';
export { train } from './train/train.js';
export type { TrainOutcome, TrainStatus, TrainIo } from './train/train.js';
export { loadSplits } from './train/data.js';
export { evaluate } from './train/totals.js';
export type { RunConfig } from './run/config.js';
export { evaluateCommand } from './commands/evaluate.js';
export type { EvaluateResult } from './commands/evaluate.js';
export { evaluateModelDirCommand, loadModelDir, MODEL_DIR_META } from './commands/evaluate_model_dir.js';
export type { EvaluateModelDirResult, ModelDirMeta } from './commands/evaluate_model_dir.js';
export { exportModelDirCommand } from './commands/export_model_dir.js';
export type { ExportedModelMeta } from './commands/export_model_dir.js';
export { heatmapsCommand, heatmapFigure } from './commands/heatmaps.js';
export type { HeatmapFigureOptions } from './commands/heatmaps.js';
export { plotCommand, curvesOfRuns } from './commands/plot.js';
export { compareCommand, SEED_EXPERIMENT } from './commands/compare.js';
export type { CompareOutcome } from './commands/compare.js';
export { verifyRun, verifyCommand } from './commands/verify.js';
export type { VerifyReport } from './commands/verify.js';
export { loadCheckpoint, saveCheckpoint } from './run/checkpoint.js';
export type {
  TrainingState,
  LoadedCheckpoint,
  CheckpointName,
  CheckpointManifest,
} from './run/checkpoint.js';
export { readHistory } from './run/run_dir.js';
export type { EpochRecord } from './run/run_dir.js';
