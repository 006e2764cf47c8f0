#!/usr/bin/env node
/** The `inv` command line: train, evaluate and summarise models (see `inv --help`). */
import * as tf from '@tensorflow/tfjs';
import { createModel, summary } from '@inv/models';
import { parseCli, USAGE } from './args.js';
import { evaluateCommand } from './commands/evaluate.js';
import { train } from './train/train.js';

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
      log(summary(createModel(args.model), 110));
      return 0;
    case 'evaluate':
      await evaluateCommand(args, log);
      return 0;
    case 'train': {
      // First Ctrl-C: finish the current step, checkpoint, exit. A second one exits at once.
      let stop = false;
      process.on('SIGINT', () => {
        if (stop) process.exit(130);
        stop = true;
        console.error('\nstopping after this step (Ctrl-C again to quit without a checkpoint)');
      });
      const outcome = await train(args, { log, progressStream: process.stderr, stopRequested: () => stop });
      return { completed: 0, interrupted: 130, diverged: 1 }[outcome.status];
    }
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`inv: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
