#!/usr/bin/env node
/** The `inv` command line: train, evaluate, summarise, compare, plot and verify runs (see `inv --help`). */
import * as tf from '@tensorflow/tfjs';
import { createModel, summary } from '@inv/models';
import { parseCli, USAGE } from './args.js';
import { compareCommand } from './commands/compare.js';
import { evaluateCommand } from './commands/evaluate.js';
import { evaluateModelDirCommand } from './commands/evaluate_model_dir.js';
import { exportModelDirCommand } from './commands/export_model_dir.js';
import { heatmapsCommand } from './commands/heatmaps.js';
import { plotCommand } from './commands/plot.js';
import { verifyCommand } from './commands/verify.js';
import { inCliWords } from './train/data.js';
import { train, type TrainIo, type TrainStatus } from './train/train.js';

const EXIT_CODES: Record<TrainStatus, number> = { completed: 0, interrupted: 130, diverged: 1 };

/** Training's I/O: first Ctrl-C finishes the current step, checkpoints and exits; a second exits at once. */
function trainingIo(log: (line: string) => void): TrainIo {
  let stop = false;
  process.on('SIGINT', () => {
    if (stop) process.exit(130);
    stop = true;
    console.error('\nstopping after this step (Ctrl-C again to quit without a checkpoint)');
  });
  return { log, progressStream: process.stderr, stopRequested: () => stop };
}

async function main(argv: string[]): Promise<number> {
  // Production mode: no per-op debug checks, and no "install tfjs-node" banner on every run.
  tf.env().set('PROD', true);
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h') {
    console.log(USAGE);
    return 0;
  }
  const args = parseCli(argv);
  const log = (line: string) => console.log(line);
  switch (args.command) {
    case 'summary':
      log(summary(createModel(args.model, { generator: args.generator }), 110));
      return 0;
    case 'evaluate':
      if ('modelDir' in args) await evaluateModelDirCommand(args, log);
      else await evaluateCommand(args, log);
      return 0;
    case 'export':
      await exportModelDirCommand(args, log);
      return 0;
    case 'train':
      return EXIT_CODES[(await train(args, trainingIo(log))).status];
    case 'compare':
      return EXIT_CODES[(await compareCommand(args, trainingIo(log))).status];
    case 'heatmaps':
      await heatmapsCommand(args, log);
      return 0;
    case 'plot':
      await plotCommand(args, log);
      return 0;
    case 'verify':
      return (await verifyCommand(args, log)) ? 0 : 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const shown = inCliWords(error);
    console.error(`inv: ${shown instanceof Error ? shown.message : String(shown)}`);
    process.exit(2);
  },
);
