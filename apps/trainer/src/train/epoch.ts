/** One epoch's step loop: trains batch after batch until the epoch ends, the loss is not finite, or Ctrl-C. */
import * as tf from '@tensorflow/tfjs';
import { batchIterator, type Cifar10Dataset } from '@inv/data';
import type { RunConfig } from '../run/config.js';
import type { TrainingState } from '../run/checkpoint.js';
import type { TrainIo } from './io.js';
import { decayWeights, scheduledLearningRate, setLearningRate } from '../recipe/optimizer.js';
import type { Progress } from './progress.js';
import { readSteps, trainStepPending, type BatchTotals, type PendingStep } from '@inv/models';
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

/** Steps between reads on a GPU: a read drains the queue, so the GPU idles while JS catches up. */
const GPU_READ_EVERY = 16;

/** Trains epoch `epoch` from `from` (its step and partial sums when it was interrupted before). */
export async function trainEpoch(run: TrainingRun, epoch: number, from: TrainingState): Promise<EpochResult> {
  const { config, steps } = run;
  const readEvery = run.io.readEvery ?? (tf.getBackend() === 'webgpu' ? GPU_READ_EVERY : 1);
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
  /** Steps run whose numbers are not read yet; `step` counts them. */
  let pending: PendingStep[] = [];
  /** Reads the pending steps into the totals, in order; the first step whose loss is not finite, if any. */
  const read = async (): Promise<{ step: number; lossSum: number } | undefined> => {
    if (pending.length === 0) return undefined;
    const start = performance.now();
    const done = await readSteps(pending);
    seconds += (performance.now() - start) / 1000;
    const first = step - pending.length;
    pending = [];
    for (const [i, batch] of done.entries()) {
      if (!Number.isFinite(batch.lossSum)) return { step: first + i + 1, lossSum: batch.lossSum };
      totals = addTotals(totals, batch);
    }
    run.progress.update({
      epoch,
      epochs: config.epochs,
      step,
      steps,
      loss: totals.lossSum / totals.count,
      accuracy: totals.correct / totals.count,
      imagesPerSecond: totals.count / seconds,
    });
    return undefined;
  };
  for await (const { xs, ys } of batches) {
    run.io.beforeStep?.({ epoch, step: step + 1 }, run.model);
    const start = performance.now();
    const globalStep = (epoch - 1) * steps + step;
    const lr = scheduledLearningRate(config.lrSchedule, config.lr, globalStep, totalSteps, warmupSteps);
    setLearningRate(run.optimizer, lr);
    decayWeights(run.variables, lr, config.weightDecay);
    pending.push(
      trainStepPending(
        run.model,
        run.optimizer,
        run.variables,
        xs as tf.Tensor4D,
        ys as tf.Tensor1D,
        config.labelSmoothing,
      ),
    );
    run.average?.update(globalStep);
    tf.dispose([xs, ys]);
    seconds += (performance.now() - start) / 1000;
    step++;
    const stop = run.io.stopRequested() && step < steps;
    if (pending.length >= readEvery || stop) {
      const diverged = await read();
      if (diverged !== undefined) return { kind: 'diverged', ...diverged };
    }
    if (stop) return { kind: 'interrupted', step, totals, seconds };
  }
  const diverged = await read();
  if (diverged !== undefined) return { kind: 'diverged', ...diverged };
  return { kind: 'finished', totals, seconds };
}
