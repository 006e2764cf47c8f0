import { describeSelection, initBackend } from '@inv/core';
import { join, resolve } from 'node:path';
import type { EvaluateArgs } from '../args.js';
import { requireCheckpoint, disposeCheckpoint, useWeights } from '../run/checkpoint.js';
import { CONFIG_FILE, describeModel, readRunConfig } from '../run/config.js';
import { writeJson } from '../run/run_dir.js';
import { loadTestData } from '../train/data.js';
import { evaluate } from '../train/totals.js';

export interface EvaluateResult {
  run: string;
  checkpoint: EvaluateArgs['checkpoint'];
  weights: EvaluateArgs['weights'];
  tta: boolean;
  epoch: number;
  images: number;
  loss: number;
  accuracy: number;
}

/**
 * `inv evaluate`: test loss and accuracy of a run's best (or latest) checkpoint, its raw weights or their moving
 * average, optionally mirror-averaged (`--tta`); with `--out`, also as JSON.
 */
export async function evaluateCommand(
  args: EvaluateArgs,
  log: (line: string) => void,
): Promise<EvaluateResult> {
  const runDir = resolve(args.run);
  const config = await readRunConfig(runDir);
  log(describeSelection(await initBackend(args.backend)));
  const checkpoint = await requireCheckpoint(runDir, args.checkpoint);
  try {
    useWeights(checkpoint, args.weights, runDir);
    const test = await loadTestData(
      {
        dir: args.dataDir === undefined ? config.dataDir : resolve(args.dataDir),
        origin: args.dataDir === undefined ? join(runDir, CONFIG_FILE) : '--data-dir',
        recorded: config.dataSha256,
      },
      args.limit,
    );
    const { loss, accuracy } = await evaluate(checkpoint.model, test, config.batchSize, args.tta);
    const result = {
      run: runDir,
      checkpoint: args.checkpoint,
      weights: args.weights,
      tta: args.tta,
      epoch: checkpoint.state.epoch,
      images: test.size,
      loss,
      accuracy,
    };
    log(
      `${describeModel(config)} (${args.checkpoint} checkpoint, epoch ${result.epoch}${args.weights === 'average' ? ', averaged weights' : ''}${args.tta ? ', mirror-averaged' : ''}): test loss ${loss.toFixed(4)}, test accuracy ${(accuracy * 100).toFixed(2)}% on ${test.size} images`,
    );
    if (args.out !== undefined) {
      await writeJson(resolve(args.out), result);
      log(`wrote ${resolve(args.out)}`);
    }
    return result;
  } finally {
    disposeCheckpoint(checkpoint);
  }
}
