import type { TrainArgs } from '../../src/args.js';
import { parseCli } from '../../src/args.js';
import type { TrainIo } from '../../src/train/train.js';

/** No output; asks to stop at the `stopAtCheck`-th check (the loop checks once after every step). */
export const quiet = (stopAtCheck = Infinity): TrainIo => {
  let checks = 0;
  return {
    log: () => {},
    progressStream: { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream,
    stopRequested: () => ++checks >= stopAtCheck,
  };
};

/** The flags of a tiny seed-inv run on wasm: 64 images, 2 steps of 32 per epoch, 2 epochs. */
export const tinyRunFlags = (dataDir: string, out: string): string[] => [
  '--model',
  'seed-inv',
  '--epochs',
  '2',
  '--batch-size',
  '32',
  '--limit',
  '64',
  '--seed',
  '5',
  '--lr',
  '0.01',
  '--backend',
  'wasm',
  '--data-dir',
  dataDir,
  '--out',
  out,
];

export const trainArgs = (flags: string[]): TrainArgs => parseCli(['train', ...flags]) as TrainArgs;
