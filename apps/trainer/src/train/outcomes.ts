/** What ends an epoch or a run: the epoch's evaluation and checkpoint, a NaN stop, Ctrl-C, the final metrics. */
import { join } from 'node:path';
import { saveCheckpoint, type CheckpointName, type TrainingState } from '../run/checkpoint.js';
import { appendHistory, historyDigest, writeJson, type EpochRecord } from '../run/run_dir.js';
import type { EpochResult, TrainingRun } from './epoch.js';
import { emptyTotals, evaluate } from './totals.js';

export const METRICS_FILE = 'metrics.json';

/** The command that continues a run exactly as it is (no flag but where it is: the rest is its config.json). */
export function resumeCommand(runDir: string): string {
  return `inv train --resume --out ${/[\s'"]/.test(runDir) ? JSON.stringify(runDir) : runDir}`;
}

/** Where a run can be picked up again, in words, or that it cannot. */
function lastCheckpoint(state: TrainingState): string {
  if (state.epoch === 0 && state.step === 0) return 'There is no checkpoint yet (no epoch finished)';
  return `The last good checkpoint is epoch ${state.epoch}${state.step > 0 ? `, step ${state.step}` : ''} (checkpoints/latest.json)`;
}

/** A loss that is not finite: stops without a checkpoint, so the last good one stays the latest. */
export async function stopDiverged(
  run: TrainingRun,
  epoch: number,
  result: Extract<EpochResult, { kind: 'diverged' }>,
  state: TrainingState,
): Promise<void> {
  run.progress.line(
    `epoch ${epoch} step ${result.step}: loss is ${result.lossSum}; stopping. ${lastCheckpoint(state)}.`,
  );
  await writeJson(join(run.runDir, METRICS_FILE), {
    status: 'diverged',
    epoch,
    step: result.step,
    lastGoodEpoch: state.epoch === 0 && state.step === 0 ? null : state.epoch,
  });
}

/** Ctrl-C mid-epoch: a checkpoint of the steps done so far, and the command that continues from it. */
export async function checkpointInterrupted(
  run: TrainingRun,
  epoch: number,
  result: Extract<EpochResult, { kind: 'interrupted' }>,
  state: TrainingState,
): Promise<void> {
  const partial = { ...state, step: result.step, partial: result.totals, partialSeconds: result.seconds };
  await saveCheckpoint(
    run.runDir,
    ['latest'],
    run.model,
    run.optimizer,
    partial,
    run.config,
    run.average?.average,
  );
  run.progress.line(
    `interrupted at epoch ${epoch}, step ${result.step}/${run.steps}: checkpoint written; continue with: ${resumeCommand(run.runDir)}`,
  );
}

/** A loss for history.jsonl: JSON has no NaN or ±Inf, so a non-finite one is written as null. */
const finiteOrNull = (loss: number): number | null => (Number.isFinite(loss) ? loss : null);

/** A finished epoch: evaluated on the test split, appended to history.jsonl, checkpointed (and best if so). */
export async function finishEpoch(
  run: TrainingRun,
  epoch: number,
  result: Extract<EpochResult, { kind: 'finished' }>,
  state: TrainingState,
  history: EpochRecord[],
): Promise<{ record: EpochRecord; state: TrainingState }> {
  const { totals, seconds } = result;
  const val = await evaluate(run.model, run.testData, run.config.batchSize);
  const averaged = run.average && (await evaluate(run.average.average, run.testData, run.config.batchSize));
  const record: EpochRecord = {
    epoch,
    loss: totals.lossSum / totals.count,
    accuracy: totals.correct / totals.count,
    val_loss: finiteOrNull(val.loss),
    val_accuracy: val.accuracy,
    seconds,
    images_per_second: totals.count / seconds,
    ...(averaged && {
      average_val_loss: finiteOrNull(averaged.loss),
      average_val_accuracy: averaged.accuracy,
    }),
  };
  await appendHistory(run.runDir, record);
  const improved = val.accuracy > state.bestValAccuracy;
  const next: TrainingState = {
    epoch,
    step: 0,
    partial: emptyTotals(),
    partialSeconds: 0,
    bestValAccuracy: Math.max(state.bestValAccuracy, val.accuracy),
    historySha256: historyDigest([...history, record]),
  };
  const names: CheckpointName[] = improved ? ['latest', 'best'] : ['latest'];
  // latest.json first: a crash before best.json is written is repaired on resume (repairBest).
  await saveCheckpoint(run.runDir, names, run.model, run.optimizer, next, run.config, run.average?.average);
  run.progress.line(
    `epoch ${epoch}/${run.config.epochs} loss ${record.loss.toFixed(4)} acc ${record.accuracy.toFixed(4)} val_loss ${val.loss.toFixed(4)} val_acc ${val.accuracy.toFixed(4)}${averaged ? ` average val_acc ${averaged.accuracy.toFixed(4)}` : ''} ${Math.round(record.images_per_second)} img/s ${seconds.toFixed(1)} s`,
  );
  return { record, state: next };
}

/** metrics.json of a completed run: what `compare` reads. */
export async function writeCompletedMetrics(
  run: TrainingRun,
  backend: string,
  params: { total: number; trainable: number; nonTrainable: number },
  history: EpochRecord[],
  state: TrainingState,
): Promise<void> {
  const last = history[history.length - 1];
  await writeJson(join(run.runDir, METRICS_FILE), {
    status: 'completed',
    model: run.config.model,
    generator: run.config.generator,
    backend,
    epochs: run.config.epochs,
    params,
    test_accuracy: last?.val_accuracy,
    test_loss: last?.val_loss,
    ...(last?.average_val_accuracy !== undefined && { average_test_accuracy: last.average_val_accuracy }),
    best_test_accuracy: state.bestValAccuracy,
    images_per_second: history.reduce((s, r) => s + r.images_per_second, 0) / Math.max(history.length, 1),
  });
}
