/**
 * A short run on the real CIFAR-10 (../shared beside the repository, or INV_CIFAR10_DIR): the loss falls and
 * the accuracy clearly beats chance. Skipped, with a visible message, only where no copy is present.
 */
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCli, type TrainArgs } from '../src/args.js';
import { train } from '../src/train/train.js';

const here = dirname(fileURLToPath(import.meta.url));
const dataDir =
  process.env['INV_CIFAR10_DIR'] || resolve(here, '../../../../shared/datasets/cifar10/cifar-10-batches-bin');
const present = existsSync(join(dataDir, 'data_batch_1.bin'));
if (!present)
  console.warn(
    `[inv tests] real-data training test skipped: no CIFAR-10 at ${dataDir} (set INV_CIFAR10_DIR)`,
  );

describe.runIf(present)('inv train on real CIFAR-10', () => {
  it(
    'seed-conv, 3,072 images × 2 epochs: loss falls, test accuracy well above chance (10%)',
    { timeout: 600_000 },
    async () => {
      const out = join(await mkdtemp(join(tmpdir(), 'inv-real-')), 'run');
      const args = parseCli([
        'train',
        '--model',
        'seed-conv',
        '--epochs',
        '2',
        '--batch-size',
        '32',
        '--limit',
        '3072',
        '--seed',
        '1',
        '--backend',
        'wasm',
        '--data-dir',
        dataDir,
        '--out',
        out,
      ]) as TrainArgs;
      const logs: string[] = [];
      const outcome = await train(args, {
        log: (line) => logs.push(line),
        progressStream: { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream,
        stopRequested: () => false,
      });
      expect(outcome.status).toBe('completed');
      const [first, second] = outcome.history;
      console.log(
        `[inv tests] real CIFAR-10: ${JSON.stringify(outcome.history.map(({ epoch, loss, val_accuracy }) => ({ epoch, loss, val_accuracy })))}`,
      );
      expect(second!.loss).toBeLessThan(first!.loss);
      expect(first!.loss).toBeLessThan(2.3026); // below ln(10), the loss of a uniform guess
      expect(second!.val_accuracy).toBeGreaterThan(0.25);
    },
  );
});
