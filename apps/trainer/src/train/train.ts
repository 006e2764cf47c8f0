/**
 * The training loop behind `inv train`: seeded and resumable. Batch k of epoch e depends only on (seed, e, k),
 * so a run stopped anywhere (Ctrl-C after a step, a crash, between epochs) and resumed from its checkpoint
 * reaches the same weights as an uninterrupted one. The phases, in order: settings (run_setup), backend, data,
 * resume, run folder, then per epoch the step loop (epoch) and its ending (outcomes).
 */
import { describeSelection, FLOAT16_KERNELS_FLAG, initBackend, type BackendName } from '@inv/core';
import * as tf from '@tensorflow/tfjs';
import { createModel, parameterCounts } from '@inv/models';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { TrainArgs } from '../args.js';
import { CONFIG_FILE, describeModel, readRunConfig, type RunConfig } from '../run/config.js';
import { checkRunDir, createRunDir, writeJson } from '../run/run_dir.js';
import { loadRunData } from './data.js';
import { trainEpoch, type TrainingRun } from './epoch.js';
import type { TrainIo, TrainOutcome } from './io.js';
import { createOptimizer } from '../recipe/optimizer.js';
import {
  checkpointInterrupted,
  finishEpoch,
  METRICS_FILE,
  resumeCommand,
  stopDiverged,
  writeCompletedMetrics,
} from './outcomes.js';
import { createProgress } from './progress.js';
import { initialState, recoverHistory, restoreCheckpoint } from './resume.js';
import { newRunConfig, resumedRunConfig } from './run_setup.js';
import { trainableVariables } from '@inv/models';
import { WeightAverage } from '../recipe/weight_average.js';

export type { TrainIo, TrainOutcome, TrainStatus } from './io.js';

/** Sets the float16 kernel storage as the run says; where it cannot be, an error naming `where` it came from. */
function useKernelStorage(config: RunConfig, backend: BackendName, where: string): void {
  if (config.float16Kernels && backend !== 'webgpu') {
    throw new Error(
      `${where}: float16 kernels are a webgpu storage format, and this run would train on ${backend}; use --backend webgpu`,
    );
  }
  tf.env().set(FLOAT16_KERNELS_FLAG, config.float16Kernels);
}

export async function train(args: TrainArgs, io: TrainIo): Promise<TrainOutcome> {
  // Settings, backend and data are checked before anything is written, so a failed start leaves nothing behind.
  const runDir = await checkRunDir(args.out, args.resume);
  const configPath = join(runDir, CONFIG_FILE);
  const saved = args.resume ? await readRunConfig(runDir, '--out') : undefined;
  const { config, notes } = saved
    ? resumedRunConfig(args.settings, saved, configPath)
    : { config: newRunConfig(args.settings), notes: [] };
  const selection = await initBackend(args.backend);
  io.log(describeSelection(selection));
  useKernelStorage(config, selection.backend, saved ? configPath : '--float16-kernels');
  const dataOrigin = args.settings.dataDir !== undefined || !saved ? '--data-dir' : configPath;
  const data = await loadRunData(
    { dir: config.dataDir, origin: dataOrigin, recorded: saved?.dataSha256 },
    config.limit,
  );
  const runConfig = { ...config, dataSha256: data.dataSha256 };

  const model = createModel(config.model, { seed: config.seed, generator: config.generator });
  const optimizer = createOptimizer(config.optimizer, config.lr, config);
  const average =
    config.ema > 0
      ? new WeightAverage(model, createModel(config.model, { generator: config.generator }), config.ema)
      : undefined;
  const restored = saved
    ? await restoreCheckpoint(runDir, saved, configPath, model, optimizer, average?.average)
    : null;
  if (restored === null) average?.start();
  let state = restored ?? initialState();
  // A finished run resumed as it is: nothing to do, unless a crash came between its last checkpoint and metrics.
  if (saved && state.epoch >= config.epochs && existsSync(join(runDir, METRICS_FILE))) {
    io.log(
      `${runDir} has finished all ${config.epochs} epochs; to train it further: ${resumeCommand(runDir)} --epochs N (N > ${config.epochs})`,
    );
    model.dispose();
    average?.average.dispose();
    return { status: 'completed', runDir, history: await recoverHistory(runDir, state) };
  }
  await createRunDir(runDir);
  // The metrics of an earlier stop (diverged, or completed before an extension) no longer describe the run.
  await rm(join(runDir, METRICS_FILE), { force: true });
  await writeJson(configPath, runConfig);
  for (const note of notes) io.log(note);
  if (saved)
    io.log(`resuming ${runDir} after epoch ${state.epoch}${state.step > 0 ? `, step ${state.step}` : ''}`);
  const counts = parameterCounts(model);
  io.log(
    `model ${describeModel(config)}: ${counts.total.toLocaleString('en-US')} params (${counts.trainable.toLocaleString('en-US')} trainable); ${data.train.size} train / ${data.test.size} test images`,
  );
  let history = await recoverHistory(runDir, state);

  const run: TrainingRun = {
    runDir,
    config: runConfig,
    model,
    optimizer,
    variables: trainableVariables(model),
    average,
    trainData: data.train,
    testData: data.test,
    io,
    progress: createProgress(io.progressStream, config.batchSize),
    steps: Math.ceil(data.train.size / config.batchSize),
  };
  for (let epoch = state.epoch + 1; epoch <= config.epochs; epoch++) {
    const result = await trainEpoch(run, epoch, state);
    if (result.kind === 'diverged') {
      await stopDiverged(run, epoch, result, state);
      return { status: 'diverged', runDir, history };
    }
    if (result.kind === 'interrupted') {
      await checkpointInterrupted(run, epoch, result, state);
      return { status: 'interrupted', runDir, history };
    }
    const finished = await finishEpoch(run, epoch, result, state, history);
    state = finished.state;
    history = [...history, finished.record];
    if (io.stopRequested()) {
      run.progress.line(
        `interrupted after epoch ${epoch}: checkpoint written; continue with: ${resumeCommand(runDir)}`,
      );
      return { status: 'interrupted', runDir, history };
    }
  }
  await writeCompletedMetrics(run, selection.backend, counts, history, state);
  return { status: 'completed', runDir, history };
}
