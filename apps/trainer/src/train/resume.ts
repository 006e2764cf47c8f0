/** The resume phase: the run's latest checkpoint into a fresh model and optimizer, and its history recovered. */
import type * as tf from '@tensorflow/tfjs';
import {
  checkSameRun,
  disposeCheckpoint,
  loadCheckpoint,
  repairBest,
  type TrainingState,
} from '../run/checkpoint.js';
import type { RunConfig } from '../run/config.js';
import {
  checkHistoryDigest,
  historyDigest,
  readHistory,
  writeHistory,
  type EpochRecord,
} from '../run/run_dir.js';
import { restoreOptimizerState } from '../recipe/optimizer.js';
import { emptyTotals } from './totals.js';

/** Where a new run starts. */
export function initialState(): TrainingState {
  return {
    epoch: 0,
    step: 0,
    partial: emptyTotals(),
    partialSeconds: 0,
    bestValAccuracy: -1,
    historySha256: historyDigest([]),
  };
}

/**
 * Loads `runDir`'s latest checkpoint (verified, and checked to be of the run `saved` describes) into `model`,
 * `optimizer` and the weight average's model; null when the run has none yet (stopped before its first epoch
 * ended).
 */
export async function restoreCheckpoint(
  runDir: string,
  saved: RunConfig,
  configPath: string,
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  average: tf.LayersModel | undefined,
): Promise<TrainingState | null> {
  const checkpoint = await loadCheckpoint(runDir, 'latest');
  if (checkpoint === null) return null;
  try {
    checkSameRun(saved, configPath, checkpoint);
    await repairBest(runDir, checkpoint);
    model.setWeights(checkpoint.model.getWeights());
    if (average) average.setWeights(checkpoint.average!);
    await restoreOptimizerState(optimizer, checkpoint.optimizerWeights);
  } finally {
    disposeCheckpoint(checkpoint);
  }
  return checkpoint.state;
}

/**
 * The history of the epochs a checkpoint at `state` has finished (checked against the checkpoint), written back
 * atomically: drops the epochs it will redo and a last line a crash tore mid-append.
 */
export async function recoverHistory(runDir: string, state: TrainingState): Promise<EpochRecord[]> {
  const history = await readHistory(runDir, state.epoch);
  checkHistoryDigest(runDir, history, state.historySha256, `after epoch ${state.epoch}`);
  await writeHistory(runDir, history);
  return history;
}
