/** One epoch's step loop: trains batch after batch until the epoch ends, the loss is not finite, or Ctrl-C. */
import * as tf from '@tensorflow/tfjs';
import { batchIterator, type Cifar10Dataset } from '@inv/data';
import type { RunConfig } from '../run/config.js';
import type { TrainingState } from '../run/checkpoint.js';
import type { TrainIo } from './io.js';
import { decayWeights, scheduledLearningRate, setLearningRate } from '../recipe/optimizer.js';
import type { Progress } from './progress.js';
import { trainStep, type BatchTotals } from '@inv/models';
import { addTotals } from './totals.js';
import type { WeightAverage } from '../recipe/weight_average.js';

/** Everything a run's phases share once it is set up. */
export interface TrainingRun {
  runDir: string;
  config: RunConfig;
  model: tf.LayersModel;
  optimizer: tf.Optimizer;
  variables: tf.Variable[];
  /** The moving average of the weights (runs with `ema`). */
  average: WeightAverage | undefined;
  trainData: Cifar10Dataset;
  testData: Cifar10Dataset;
  io: TrainIo;
  progress: Progress;
  /** Steps per epoch. */
  steps: number;
}

export type EpochResult =
  | { kind: 'finished'; totals: BatchTotals; seconds: number }
  | { kind: 'interrupted'; step: number; totals: BatchTotals; seconds: number }
  | { kind: 'diverged'; step: number; lossSum: number };

/** Trains epoch `epoch` from `from` (its step and partial sums when it was interrupted before). */
export async function trainEpoch(run: TrainingRun, epoch: number, from: TrainingState): Promise<EpochResult> {
  const { config, steps } = run;
  let totals = from.partial;
  let seconds = from.partialSeconds;
  let step = from.step;
  const batches = batchIterator(run.trainData, {
    batchSize: config.batchSize,
    seed: config.seed,
    epoch,
    // { cutout: 0 } is the standard augmentation (crop + flip), as `true` is.
    augment: config.augment && { cutout: config.cutout },
    firstBatch: step,
  });
  const totalSteps = config.epochs * steps;
  const warmupSteps = Math.round(config.warmupEpochs * steps);
  for await (const { xs, ys } of batches) {
    run.io.beforeStep?.({ epoch, step: step + 1 }, run.model);
    const start = performance.now();
    const globalStep = (epoch - 1) * steps + step;
    const lr = scheduledLearningRate(config.lrSchedule, config.lr, globalStep, totalSteps, warmupSteps);
    setLearningRate(run.optimizer, lr);
    decayWeights(run.variables, lr, config.weightDecay);
    const batch = await trainStep(
      run.model,
      run.optimizer,
      run.variables,
      xs as tf.Tensor4D,
      ys as tf.Tensor1D,
      config.labelSmoothing,
    );
    run.average?.update(globalStep);
    tf.dispose([xs, ys]);
    seconds += (performance.now() - start) / 1000;
    step++;
    if (!Number.isFinite(batch.lossSum)) return { kind: 'diverged', step, lossSum: batch.lossSum };
    totals = addTotals(totals, batch);
    run.progress.update({
      epoch,
      epochs: config.epochs,
      step,
      steps,
      loss: totals.lossSum / totals.count,
      accuracy: totals.correct / totals.count,
      imagesPerSecond: totals.count / seconds,
    });
    if (run.io.stopRequested() && step < steps) return { kind: 'interrupted', step, totals, seconds };
  }
  return { kind: 'finished', totals, seconds };
}
