/**
 * The training loop behind `inv train`: seeded and resumable. Batch k of epoch e depends only on (seed, e, k),
 * so a run stopped anywhere (Ctrl-C after a step, or between epochs) and resumed from its checkpoint reaches
 * the same weights as an uninterrupted one.
 */
import * as tf from '@tensorflow/tfjs';
import { describeSelection, initBackend } from '@inv/core';
import { batchIterator, loadCifar10, type Cifar10Dataset } from '@inv/data';
import { createModel, parameterCounts } from '@inv/models';
import { join } from 'node:path';
import type { TrainArgs } from '../args.js';
import { loadCheckpoint, saveCheckpoint, type TrainingState } from '../run/checkpoint.js';
import {
  appendHistory,
  prepareRunDir,
  readHistory,
  readJson,
  writeHistory,
  writeJson,
  type EpochRecord,
} from '../run/run_dir.js';
import { createProgress } from './progress.js';
import {
  createOptimizer,
  restoreOptimizerState,
  scheduledLearningRate,
  setLearningRate,
} from './optimizer.js';
import { evaluateBatch, trainableVariables, trainStep, type BatchTotals } from './step.js';

/** What config.json records: everything that determines the run's result. */
export type RunConfig = Omit<TrainArgs, 'command' | 'resume' | 'out' | 'backend'>;

export type TrainStatus = 'completed' | 'interrupted' | 'diverged';

export interface TrainOutcome {
  status: TrainStatus;
  runDir: string;
  history: EpochRecord[];
}

export interface TrainIo {
  log: (line: string) => void;
  progressStream: NodeJS.WriteStream;
  /** Resolves when the user asks to stop (Ctrl-C); the loop then checkpoints after the current step. */
  stopRequested: () => boolean;
}

/** The model of a run, with its kernel generator when one was chosen: `seed-inv with the softmax generator`. */
export function describeModel(config: Pick<RunConfig, 'model' | 'generator'>): string {
  return config.generator === undefined
    ? config.model
    : `${config.model} with the ${config.generator} generator`;
}

function emptyTotals(): BatchTotals {
  return { lossSum: 0, correct: 0, count: 0 };
}

function addTotals(a: BatchTotals, b: BatchTotals): BatchTotals {
  return { lossSum: a.lossSum + b.lossSum, correct: a.correct + b.correct, count: a.count + b.count };
}

/** Loss and accuracy of `model` over a whole split, in inference mode. */
export async function evaluate(
  model: tf.LayersModel,
  data: Cifar10Dataset,
  batchSize: number,
): Promise<{ loss: number; accuracy: number }> {
  let totals = emptyTotals();
  for await (const { xs, ys } of batchIterator(data, { batchSize, shuffle: false })) {
    totals = addTotals(totals, await evaluateBatch(model, xs, ys as tf.Tensor1D));
    tf.dispose([xs, ys]);
  }
  return { loss: totals.lossSum / totals.count, accuracy: totals.correct / totals.count };
}

/** Loads both splits, saying how to get the data when it is missing. */
export async function loadSplits(
  dataDir: string | undefined,
  limit: number | undefined,
): Promise<{ train: Cifar10Dataset; test: Cifar10Dataset }> {
  const train = await loadCifar10({ dir: dataDir, split: 'train', limit });
  const test = await loadCifar10({
    dir: dataDir,
    split: 'test',
    limit: limit === undefined ? undefined : Math.min(limit, 10_000),
  });
  return { train, test };
}

export async function train(args: TrainArgs, io: TrainIo): Promise<TrainOutcome> {
  const runDir = await prepareRunDir(args.out, args.resume);
  const configPath = join(runDir, 'config.json');
  // Runs from before schedules existed have no lrSchedule: they were constant.
  const saved = args.resume
    ? await readJson<Omit<RunConfig, 'lrSchedule'> & Partial<RunConfig>>(configPath)
    : undefined;
  // A resumed run keeps the settings that determine its result; only the epoch count may grow.
  // (A cosine run whose epoch count grows on resume continues on the curve of the longer total.)
  const config: RunConfig = saved
    ? { ...saved, lrSchedule: saved.lrSchedule ?? 'constant', epochs: Math.max(saved.epochs, args.epochs) }
    : {
        model: args.model,
        generator: args.generator,
        epochs: args.epochs,
        batchSize: args.batchSize,
        optimizer: args.optimizer,
        lr: args.lr,
        lrSchedule: args.lrSchedule,
        dataDir: args.dataDir,
        limit: args.limit,
        seed: args.seed,
        augment: args.augment,
      };
  const selection = await initBackend(args.backend);
  io.log(describeSelection(selection));
  await writeJson(configPath, config);

  const { train: trainData, test: testData } = await loadSplits(args.dataDir ?? config.dataDir, config.limit);
  const model = createModel(config.model, { seed: config.seed, generator: config.generator });
  const optimizer = createOptimizer(config.optimizer, config.lr);
  const variables = trainableVariables(model);
  let state: TrainingState = {
    epoch: 0,
    step: 0,
    partial: emptyTotals(),
    partialSeconds: 0,
    bestValAccuracy: -1,
  };
  const checkpoint = args.resume ? await loadCheckpoint(runDir, 'latest') : null;
  if (checkpoint) {
    model.setWeights(checkpoint.model.getWeights());
    checkpoint.model.dispose();
    await restoreOptimizerState(optimizer, checkpoint.optimizerWeights);
    state = checkpoint.state;
    io.log(`resuming ${runDir} after epoch ${state.epoch}${state.step > 0 ? `, step ${state.step}` : ''}`);
  }
  const counts = parameterCounts(model);
  io.log(
    `model ${describeModel(config)}: ${counts.total.toLocaleString('en-US')} params (${counts.trainable.toLocaleString('en-US')} trainable); ${trainData.size} train / ${testData.size} test images`,
  );
  let history = await readHistory(runDir, state.epoch);
  await writeHistory(runDir, history);

  const progress = createProgress(io.progressStream, config.batchSize);
  const steps = Math.ceil(trainData.size / config.batchSize);
  for (let epoch = state.epoch + 1; epoch <= config.epochs; epoch++) {
    let totals = state.partial;
    let seconds = state.partialSeconds;
    const batches = batchIterator(trainData, {
      batchSize: config.batchSize,
      seed: config.seed,
      epoch,
      augment: config.augment,
      firstBatch: state.step,
    });
    let step = state.step;
    for await (const { xs, ys } of batches) {
      const start = performance.now();
      const globalStep = (epoch - 1) * steps + step;
      setLearningRate(
        optimizer,
        scheduledLearningRate(config.lrSchedule, config.lr, globalStep, config.epochs * steps),
      );
      const batch = await trainStep(model, optimizer, variables, xs, ys as tf.Tensor1D);
      tf.dispose([xs, ys]);
      seconds += (performance.now() - start) / 1000;
      step++;
      if (!Number.isFinite(batch.lossSum)) {
        progress.line(
          `epoch ${epoch} step ${step}: loss is ${batch.lossSum}; stopping. The last good checkpoint is epoch ${state.epoch}.`,
        );
        await writeJson(join(runDir, 'metrics.json'), {
          status: 'diverged',
          epoch,
          step,
          lastGoodEpoch: state.epoch,
        });
        return { status: 'diverged', runDir, history };
      }
      totals = addTotals(totals, batch);
      progress.update({
        epoch,
        epochs: config.epochs,
        step,
        steps,
        loss: totals.lossSum / totals.count,
        accuracy: totals.correct / totals.count,
        imagesPerSecond: totals.count / seconds,
      });
      if (io.stopRequested() && step < steps) {
        await saveCheckpoint(runDir, ['latest'], model, optimizer, {
          ...state,
          step,
          partial: totals,
          partialSeconds: seconds,
        });
        progress.line(
          `interrupted at epoch ${epoch}, step ${step}/${steps}: checkpoint written; continue with --resume`,
        );
        return { status: 'interrupted', runDir, history };
      }
    }
    const val = await evaluate(model, testData, config.batchSize);
    const record: EpochRecord = {
      epoch,
      loss: totals.lossSum / totals.count,
      accuracy: totals.correct / totals.count,
      val_loss: val.loss,
      val_accuracy: val.accuracy,
      seconds,
      images_per_second: totals.count / seconds,
    };
    history = [...history, record];
    await appendHistory(runDir, record);
    const improved = val.accuracy > state.bestValAccuracy;
    state = {
      epoch,
      step: 0,
      partial: emptyTotals(),
      partialSeconds: 0,
      bestValAccuracy: Math.max(state.bestValAccuracy, val.accuracy),
    };
    await saveCheckpoint(runDir, improved ? ['latest', 'best'] : ['latest'], model, optimizer, state);
    progress.line(
      `epoch ${epoch}/${config.epochs} loss ${record.loss.toFixed(4)} acc ${record.accuracy.toFixed(4)} val_loss ${val.loss.toFixed(4)} val_acc ${val.accuracy.toFixed(4)} ${Math.round(record.images_per_second)} img/s ${seconds.toFixed(1)} s`,
    );
    if (io.stopRequested()) {
      progress.line(`interrupted after epoch ${epoch}: checkpoint written; continue with --resume`);
      return { status: 'interrupted', runDir, history };
    }
  }
  const last = history[history.length - 1];
  await writeJson(join(runDir, 'metrics.json'), {
    status: 'completed',
    model: config.model,
    generator: config.generator,
    backend: selection.backend,
    epochs: config.epochs,
    params: counts,
    test_accuracy: last?.val_accuracy,
    test_loss: last?.val_loss,
    best_test_accuracy: state.bestValAccuracy,
    images_per_second: history.reduce((s, r) => s + r.images_per_second, 0) / Math.max(history.length, 1),
  });
  return { status: 'completed', runDir, history };
}
