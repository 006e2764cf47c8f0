import { describeSelection, initBackend } from '@inv/core';
import { loadCifar10 } from '@inv/data';
import { resolve } from 'node:path';
import type { EvaluateArgs } from '../args.js';
import { requireCheckpoint } from '../run/checkpoint.js';
import { readRunConfig } from '../run/run_dir.js';
import { describeModel, evaluate } from '../train/train.js';

/** `inv evaluate`: test loss and accuracy of a run's best (or latest) checkpoint. */
export async function evaluateCommand(
  args: EvaluateArgs,
  log: (line: string) => void,
): Promise<{ loss: number; accuracy: number }> {
  const runDir = resolve(args.run);
  const config = await readRunConfig(runDir);
  log(describeSelection(await initBackend(args.backend)));
  const checkpoint = await requireCheckpoint(runDir, args.checkpoint);
  const test = await loadCifar10({ dir: args.dataDir ?? config.dataDir, split: 'test', limit: args.limit });
  const result = await evaluate(checkpoint.model, test, config.batchSize);
  log(
    `${describeModel(config)} (${args.checkpoint} checkpoint, epoch ${checkpoint.state.epoch}): test loss ${result.loss.toFixed(4)}, test accuracy ${(result.accuracy * 100).toFixed(2)}% on ${test.size} images`,
  );
  checkpoint.model.dispose();
  return result;
}
