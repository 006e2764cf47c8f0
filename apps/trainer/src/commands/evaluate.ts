import { describeSelection, initBackend } from '@inv/core';
import { loadCifar10 } from '@inv/data';
import { join, resolve } from 'node:path';
import type { EvaluateArgs } from '../args.js';
import { loadCheckpoint } from '../run/checkpoint.js';
import { readJson } from '../run/run_dir.js';
import type { RunConfig } from '../train/train.js';
import { evaluate } from '../train/train.js';

/** `inv evaluate`: test loss and accuracy of a run's best (or latest) checkpoint. */
export async function evaluateCommand(args: EvaluateArgs, log: (line: string) => void): Promise<{ loss: number; accuracy: number }> {
  const runDir = resolve(args.run);
  const config = await readJson<RunConfig>(join(runDir, 'config.json')).catch(() => {
    throw new Error(`--run ${runDir} is not a run directory (no config.json); runs are made by 'inv train --out DIR'`);
  });
  log(describeSelection(await initBackend(args.backend)));
  const checkpoint = await loadCheckpoint(runDir, args.checkpoint);
  if (checkpoint === null) throw new Error(`--run ${runDir} has no '${args.checkpoint}' checkpoint yet (no epoch finished)`);
  const test = await loadCifar10({ dir: args.dataDir ?? config.dataDir, split: 'test', limit: args.limit });
  const result = await evaluate(checkpoint.model, test, config.batchSize);
  log(`${config.model} (${args.checkpoint} checkpoint, epoch ${checkpoint.state.epoch}): test loss ${result.loss.toFixed(4)}, test accuracy ${(result.accuracy * 100).toFixed(2)}% on ${test.size} images`);
  checkpoint.model.dispose();
  return result;
}
